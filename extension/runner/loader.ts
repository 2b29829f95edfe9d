/**
 * The module system user code runs under, in the worker. `require("gradlens")` returns the very
 * engine object the worker imported (so the trace listener sees the user's ops); relative imports
 * of other .ts files are transpiled and run the same way; a few harmless Node built-ins are
 * allowed and every other module is refused with an error that says why.
 */
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
// Default imports: what `require` returns (assert and EventEmitter are callable).
import assertModule from "assert";
import assertStrict from "assert/strict";
import utilModule from "util";
import eventsModule from "events";
import pathModule from "path";
import stringDecoder from "string_decoder";
import { HELPER, InstrumentHelpers } from "./instrumentHelpers";
import { TraceMap } from "@jridgewell/trace-mapping";
import type { SyntaxProblem, TranspileFn } from "./transpiled";
import type { SourceMaps } from "./locations";

/** Built-ins that can neither touch the machine nor outlive the run (imported statically). */
const BUILTINS: Record<string, unknown> = {
  assert: assertModule,
  "assert/strict": assertStrict,
  util: utilModule,
  events: eventsModule,
  path: pathModule,
  string_decoder: stringDecoder,
};
export const ALLOWED_BUILTINS = Object.keys(BUILTINS);

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
  /** Unsaved editor texts, by absolute path; other files are read from disk. */
  texts: ReadonlyMap<string, string>;
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
  /** Every user file the run asked for, in order (even one that failed to transpile). */
  readonly files: string[] = [];

  constructor(private readonly options: LoaderOptions) {}

  /** The text of a user file: the editor's unsaved text, else the file on disk. */
  text(file: string): string {
    return this.options.texts.get(file) ?? fs.readFileSync(file, "utf8");
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
    const fn = vm.compileFunction(code, WRAPPER_PARAMS, { filename: file });
    const { console, process, helpers } = this.options;
    const require = (spec: string): unknown => this.require(file, spec);
    fn.call(
      module.exports,
      module.exports,
      require,
      module,
      file,
      path.dirname(file),
      console,
      process,
      helpers(file),
    );
    return module.exports;
  }

  private require(from: string, spec: string): unknown {
    if (spec === "gradlens") return this.options.engine;
    if (spec.startsWith("./") || spec.startsWith("../")) return this.load(this.resolve(from, spec));
    const bare = spec.replace(/^node:/, "");
    if (Object.hasOwn(BUILTINS, bare)) return BUILTINS[bare];
    throw new RefusedModuleError(
      `Gradlens does not load "${spec}" in model files: they run in a sandbox that provides only ` +
        `"gradlens", relative imports of .ts files and the built-ins ${ALLOWED_BUILTINS.join(", ")}.`,
    );
  }

  /** `./layers` → layers.ts, layers/index.ts; `./layers.js` (ESM style) → layers.ts. */
  private resolve(from: string, spec: string): string {
    const base = path.resolve(path.dirname(from), spec);
    const candidates = [
      base,
      `${base}.ts`,
      base.replace(/\.js$/, ".ts"),
      path.join(base, "index.ts"),
    ];
    for (const c of candidates) {
      if (!c.endsWith(".ts")) continue;
      if (this.options.texts.has(c) || isFile(c)) return c;
    }
    throw new RefusedModuleError(
      `Cannot find module '${spec}' from ${path.basename(from)} (model files can import .ts files)`,
    );
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
