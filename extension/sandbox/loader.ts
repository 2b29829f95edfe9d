/**
 * The module system user code runs under, inside the sandbox. `require("gradlens")` returns the
 * sandbox's own engine (so the trace listener sees the user's ops), "gradlens/tf" and
 * "gradlens/mxnet" its front ends; relative imports of other .ts files are transpiled and run
 * the same way; `assert` is the sandbox's own, and every other
 * module is refused with an error that says why. Files, paths and compiling go through the
 * worker (LoaderHost), which alone can reach the disk and compile code into the sandbox.
 */
import { HELPER, InstrumentHelpers } from "../runProtocol/instrumentHelpers";
import { TraceMap } from "@jridgewell/trace-mapping";
import type { SyntaxProblem, TranspileFn } from "../runProtocol/transpiled";
import type { SourceMaps } from "./locations";
import { assertModule, assertStrict } from "./assert";
import { guardEngine } from "./namespaceGuard";
import type { FrontEnd } from "./graph/frontEndNames";

/** Modules besides "gradlens" that model files may import: made in the sandbox, harmless. */
const BUILTINS: Record<string, unknown> = {
  assert: assertModule,
  "assert/strict": assertStrict,
};
export const ALLOWED_BUILTINS = Object.keys(BUILTINS);

/** The engine's front ends in other frameworks' styles: the import and the engine's namespace. */
const FRONT_ENDS: Record<string, FrontEnd> = { "gradlens/tf": "tf", "gradlens/mxnet": "mxnet" };

/** What the loader needs of the world outside the sandbox (see sandbox/bridge.ts). */
export interface LoaderHost {
  /** Globals passed to each module as parameters of its wrapper (name, value). */
  intrinsics: [string, unknown][];
  /** A user file's text (unsaved editor text first), or null. */
  readText(file: string): string | null;
  /** A relative import → the .ts file's absolute path, or "" when there is none. */
  resolve(from: string, spec: string): string;
  dirname(file: string): string;
  /** A module wrapper compiled in the sandbox's realm, or the compile error's message. */
  compile(code: string, params: string[], file: string): ((...args: unknown[]) => unknown) | string;
}

/** The file had syntax errors: nothing of it ran. */
export class SyntaxFailure extends Error {
  constructor(
    readonly file: string,
    readonly problems: SyntaxProblem[],
  ) {
    super(problems[0]?.message ?? "syntax error");
    this.name = "SyntaxError";
  }
}

/** A module the sandbox does not provide. */
export class RefusedModuleError extends Error {
  override name = "Error";
}

export interface LoaderOptions {
  /** What `require("gradlens")` returns. */
  engine: object;
  /** TypeScript → instrumented JavaScript (the transpiler worker, when in a run worker). */
  transpile: TranspileFn;
  /** The `__gradlens` helpers for one file's instrumented code. */
  helpers: (file: string) => InstrumentHelpers;
  console: object;
  process: object;
  maps: SourceMaps;
  host: LoaderHost;
}

interface LoadedModule {
  exports: Record<string, unknown>;
}

const WRAPPER_PARAMS = [
  "exports",
  "require",
  "module",
  "__filename",
  "__dirname",
  "console",
  "process",
  HELPER,
];

export class ModuleLoader {
  private readonly cache = new Map<string, LoadedModule>();
  /** The guarded engine per name the package is imported as ("" for named imports). */
  private readonly engineViews = new Map<string, object>();
  /** Every user file the run asked for, in order (even one that failed to transpile). */
  readonly files: string[] = [];
  /** The front end the run's files imported ("gradlens/tf" → "tf"), whose op names the graph shows. */
  frontEnd: FrontEnd | null = null;

  constructor(private readonly options: LoaderOptions) {}

  /** The text of a user file: the editor's unsaved text, else the file on disk. */
  text(file: string): string {
    const text = this.options.host.readText(file);
    if (text === null) throw new Error(`ENOENT: no such file or directory, open '${file}'`);
    return text;
  }

  /** Runs a file (the main model file, or an import) and returns its exports. */
  load(file: string): Record<string, unknown> {
    const cached = this.cache.get(file);
    if (cached) return cached.exports;
    this.files.push(file);
    const source = this.text(file);
    const { code, sourceMap, problems } = this.options.transpile(file, source);
    if (problems.length > 0) throw new SyntaxFailure(file, problems);
    this.options.maps.add(file, new TraceMap(sourceMap));
    const module: LoadedModule = { exports: {} };
    this.cache.set(file, module); // before running: circular imports see partial exports, as in Node
    const { intrinsics } = this.options.host;
    const fn = this.options.host.compile(
      code,
      [...WRAPPER_PARAMS, ...intrinsics.map(([n]) => n)],
      file,
    );
    if (typeof fn === "string")
      throw new SyntaxFailure(file, [{ message: fn, line: 1, column: 1 }]);
    const { console, process, helpers } = this.options;
    const require = (spec: string): unknown => this.require(file, spec);
    fn.call(
      module.exports,
      module.exports,
      require,
      module,
      file,
      this.options.host.dirname(file),
      console,
      process,
      helpers(file),
      ...intrinsics.map(([, v]) => v),
    );
    return module.exports;
  }

  private require(from: string, spec: string): unknown {
    if (Object.hasOwn(FRONT_ENDS, spec)) this.frontEnd = FRONT_ENDS[spec];
    if (spec === "gradlens" || Object.hasOwn(FRONT_ENDS, spec)) return this.guardedEngine(from, spec);
    if (spec.startsWith("./") || spec.startsWith("../")) return this.load(this.resolve(from, spec));
    const bare = spec.replace(/^node:/, "");
    if (Object.hasOwn(BUILTINS, bare)) return BUILTINS[bare];
    throw new RefusedModuleError(
      `Gradlens does not load "${spec}" in model files: they run in a sandbox that provides only ` +
        `"gradlens", ${Object.keys(FRONT_ENDS).map((f) => `"${f}"`).join(", ")}, relative imports of ` +
        `.ts files and ${ALLOWED_BUILTINS.join(", ")}.`,
    );
  }

  /**
   * The engine as `from` sees it: a missing name fails with the name as the file wrote it
   * (`torch.nn.Foo` after `import * as torch`, `nn.Foo` after `import { nn }`).
   */
  private guardedEngine(from: string, spec: string): object {
    const root = packageAlias(this.text(from), spec);
    const key = `${spec} ${root}`;
    let view = this.engineViews.get(key);
    if (!view) {
      const { engine } = this.options;
      const namespace = spec === "gradlens" ? engine : (engine as Record<string, object>)[FRONT_ENDS[spec]];
      this.engineViews.set(key, (view = guardEngine(namespace, root)));
    }
    return view;
  }

  private resolve(from: string, spec: string): string {
    const file = this.options.host.resolve(from, spec);
    if (file) return file;
    throw new RefusedModuleError(
      `Cannot find module '${spec}' from ${baseName(from)} (model files can import .ts files)`,
    );
  }
}

/** The name a file gives the whole of `spec` (`import * as torch from "gradlens"`), or "". */
function packageAlias(source: string, spec: string): string {
  const quoted = `["']${spec}["']`; // "gradlens" or "gradlens/tf": nothing to escape
  const m =
    new RegExp(`import\\s+\\*\\s+as\\s+([A-Za-z_$][\\w$]*)\\s+from\\s+${quoted}`).exec(source) ??
    new RegExp(`\\b([A-Za-z_$][\\w$]*)\\s*=\\s*require\\(\\s*${quoted}\\s*\\)`).exec(source);
  return m ? m[1] : "";
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
}
