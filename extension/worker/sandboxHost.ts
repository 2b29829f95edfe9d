/**
 * The worker's side of a model's sandbox: a fresh `vm` context per run, made with code
 * generation from strings turned off, holding its own copy of the engine and of the run code
 * (the sandbox bundle, dist/sandbox.js, compiled once per thread and run in each new context).
 *
 * Why a context and not only the worker: a worker thread is still Node. Model code given any
 * object of the worker's realm reaches the worker's `Function` constructor through its
 * prototype chain, and from there `process`, `require` and the machine. In the context every
 * object the model can reach was made in the context: its intrinsics, the engine, `console`,
 * `require`, timers. The worker gives it only the functions of sandbox/bridge.ts, which take
 * and return primitives and which the sandbox's own code keeps out of the model's reach. The
 * context's `Function`, `eval` and the AsyncFunction/GeneratorFunction constructors throw
 * (code generation is off); `import()` has no loader; WebAssembly is gone before model code
 * runs. A new context per run means nothing a run changes (prototypes, engine classes,
 * globals) is seen by the next.
 *
 * Thread: the run worker (worker.ts), or the caller's thread in unit tests.
 */
import * as fs from "fs";
import * as path from "path";
import * as v8 from "v8";
import * as vm from "vm";
import { types } from "util";
import type { LayerHint, RunJob, RunResult, ShapeHint } from "../runProtocol/types";
import type { TranspileFn } from "../runProtocol/transpiled";
import type { PackedValues } from "../runProtocol/valuePacking";
import { parseKeepingNonFinite, START, type Bridge, type SandboxEntry } from "../sandbox/bridge";
import type { SandboxConfig } from "../sandbox/main";
import { checkHint, checkRunResult } from "../runProtocol/resultCheck";
import { checkedKernelMemory, threadHelpers } from "../kernelThreads/sandboxKernels";
import type { SharedKernelMemory } from "../../engine/kernels/kernelThreads";

/** What a run streams out while it goes. */
export interface SandboxSink {
  log(line: string): void;
  shapeHint(hint: ShapeHint): void;
  layerHint(hint: LayerHint): void;
  /** A user file got its index in the progress cell. */
  file?(index: number, file: string): void;
  /** The run waits for the transpiler (true) or runs again (false): its clock pauses meanwhile. */
  transpiling?(waiting: boolean): void;
  /** The model's code finished without an error: every hint has been told (execute.ts). */
  ran?(): void;
}

export type SandboxOutcome =
  | { type: "result"; result: RunResult; values: PackedValues }
  | { type: "crash"; message: string };

/** More timers than this at once, and a model's `setTimeout` is ignored (the run is ending soon anyway). */
const MAX_TIMERS = 10_000;
const MAX_HINTS = 10_000;

let scripts: vm.Script[] | null = null;

/**
 * dist/sandbox.js (or another file of the sandbox build) beside dist/worker.js (webpack), or in
 * the repo's dist/ when this runs from out/ (tsc, the unit tests).
 */
export function sandboxBundlePath(name = "sandbox.js"): string {
  const candidates = [path.join(__dirname, name), path.resolve(__dirname, "../../../dist", name)];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found)
    throw new Error(`Gradlens's sandbox bundle is missing (run npm run compile): ${candidates[0]}`);
  return found;
}

/** The guard script, then the sandbox bundle: compiled once per thread, run in every context. */
function sandboxScripts(): vm.Script[] {
  scripts ??= ["sandboxGuard.js", "sandbox.js"].map((name) => {
    const file = sandboxBundlePath(name);
    return new vm.Script(fs.readFileSync(file, "utf8"), { filename: file });
  });
  return scripts;
}

/**
 * Node 22.8+ can make a context whose global is an ordinary object; before it, every global
 * lookup in a context goes through an interceptor, ~100× slower than a local. There the model
 * code's module wrapper binds the common intrinsics as parameters (the sandbox bundle does the
 * same for itself: webpack.config.js).
 */
const ORDINARY_GLOBAL = (vm as unknown as { constants?: { DONT_CONTEXTIFY?: symbol } }).constants?.DONT_CONTEXTIFY;
const LOCAL_INTRINSICS = ORDINARY_GLOBAL
  ? []
  : ["Math", "Array", "Object", "Number", "String", "JSON", "Map", "Set", "Float32Array", "Float64Array", "Int32Array", "Uint8Array", "Infinity", "NaN"];

let collect: (() => void) | null | undefined;
/** A full collection (V8's `gc`), so that dead tensors do not count against the limit. */
function fullGc(): void {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString("--expose-gc");
      collect = vm.runInNewContext("gc") as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** One fresh context with the sandbox bundle loaded, ready for one run. */
export class Sandbox {
  private readonly context: vm.Context;
  private readonly entry: Pick<SandboxEntry, "run" | "fire" | "seal" | "reusable">;
  private readonly timers = new Map<number, { clear(): void }>();
  private request: RunJob | null = null;
  private sink: SandboxSink | null = null;
  private settle: ((outcome: SandboxOutcome) => void) | null = null;
  /** Between a run's start and its result: what the sandbox says is heard. */
  private accepting = false;
  private disposed = false;
  /** User runs so far. */
  runs = 0;
  /** The sandbox's progress cell ([line, file index], see instrumentHelpers.ts), once it shared it. */
  progress: SharedArrayBuffer | null = null;
  /** The sandbox engine's shared kernel memory, which this thread's helpers serve while it runs. */
  private kernels: SharedKernelMemory | null = null;
  /** What the last run changed of the shared objects ("" for nothing), once `reuse()` asked. */
  lastChange = "";
  private hints = 0;

  constructor(
    private readonly memoryLimitMb: number,
    private readonly transpile: TranspileFn,
  ) {
    // An ordinary global where Node has one; else a null-prototype object to contextify (an
    // object of ours with a prototype would lend the context this realm's Object.prototype:
    // `this.constructor.constructor` would be our Function).
    this.context = vm.createContext(ORDINARY_GLOBAL ?? Object.create(null), {
      name: "Gradlens model",
      codeGeneration: { strings: false, wasm: true },
    });
    for (const s of sandboxScripts()) s.runInContext(this.context);
    const start = (this.context as Record<string, unknown>)[START];
    if (typeof start !== "function") throw new Error("Gradlens's sandbox bundle did not start");
    const config: SandboxConfig = {
      memoryLimitMb,
      localIntrinsics: LOCAL_INTRINSICS,
      platform: process.platform,
      version: process.version,
    };
    const entry = (start as (b: Bridge, c: string) => SandboxEntry)(this.bridge(), JSON.stringify(config));
    // read once, before any model code exists that could redefine them
    const { run, fire, seal, reusable } = entry;
    for (const f of [run, fire, seal, reusable])
      if (typeof f !== "function") throw new Error("Gradlens's sandbox bundle did not start");
    this.entry = { run, fire, seal, reusable };
  }

  /**
   * Runs Gradlens's own warm-up model in this sandbox before any model code is in it, so that
   * the engine's kernels are optimised in this context (V8 keeps optimised code per context);
   * the engine's state is reset after it. Resolves false when the warm-up failed.
   */
  async warmUp(source: string): Promise<boolean> {
    if (this.runs > 0 || this.accepting || this.disposed) return false;
    const quiet = { log: () => undefined, shapeHint: () => undefined, layerHint: () => undefined };
    const outcome = await this.start({ file: "/gradlens-warm-up.ts", source, backward: {} }, quiet, true);
    return outcome.type === "result" && outcome.result.ok;
  }

  /** After the warm-up: records the shared objects later runs must leave as they are. */
  seal(): void {
    const { seal } = this.entry;
    try {
      seal();
    } catch {
      this.dispose(); // the sandbox's own failure, not looked at
    }
  }

  /**
   * After a run's result, from an idle thread: whether the run left every shared object of
   * the sandbox as it was, so that the next run may use it; a sandbox that is not is disposed.
   */
  reuse(): boolean {
    if (this.disposed || this.accepting) return false;
    const { reusable } = this.entry;
    let change: unknown = "the check failed";
    try {
      change = reusable();
    } catch {
      // the sandbox's own failure, not looked at
    }
    this.lastChange = typeof change === "string" ? change : "the check failed";
    if (this.lastChange !== "") this.dispose();
    return this.lastChange === "";
  }

  /** Runs the user's request; resolves when the sandbox reports its result (or its own failure). */
  run(request: RunJob, sink: SandboxSink): Promise<SandboxOutcome> {
    if (this.accepting || this.disposed) throw new Error("this sandbox cannot take a run now");
    this.runs++;
    return this.start(request, sink, false);
  }

  private start(request: RunJob, sink: SandboxSink, warmUp: boolean): Promise<SandboxOutcome> {
    this.accepting = true;
    this.request = warmUp ? null : request;
    this.sink = sink;
    this.hints = 0;
    const texts = warmUp ? { [request.file]: request.source } : null;
    this.warmTexts = texts;
    const outcome = new Promise<SandboxOutcome>((resolve) => (this.settle = resolve));
    if (this.kernels) threadHelpers().attach(this.kernels);
    const { run } = this.entry;
    try {
      run(JSON.stringify(request), warmUp);
    } catch {
      // Only a failure of the sandbox's own code reaches here (it catches the model's); what
      // was thrown is the sandbox's object and is not looked at.
      this.end({ type: "crash", message: "the sandbox failed to start the run" });
    }
    return outcome;
  }

  /** The sandbox is not used again: its timers are cleared and nothing more it says is heard. */
  dispose(): void {
    this.disposed = true;
    this.stopTimers();
  }

  private stopTimers(): void {
    this.accepting = false;
    for (const t of this.timers.values()) t.clear();
    this.timers.clear();
  }

  /** Timers of the run still pending (a model that left work behind). */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** A run ended: its timers go and nothing more it says is heard (until the next run). */
  private end(outcome: SandboxOutcome): void {
    if (!this.accepting) return;
    this.stopTimers();
    if (outcome.type === "crash") this.dispose();
    const settle = this.settle;
    this.settle = null;
    settle?.(outcome);
  }

  /** The warm-up model's text, while it runs. */
  private warmTexts: Record<string, string> | null = null;

  /**
   * The host functions the sandbox may call. Each coerces what it is given to primitives,
   * never throws (a host error thrown into the sandbox would carry this realm's constructors)
   * and returns only primitives or functions compiled in the sandbox.
   */
  private bridge(): Bridge {
    const texts = (): Record<string, string> => {
      const r = this.request;
      return r ? { ...r.texts, [r.file]: r.source } : (this.warmTexts ?? {});
    };
    const guard =
      <A extends unknown[], R>(fallback: R, f: (...args: A) => R) =>
      (...args: A): R => {
        try {
          return f(...args);
        } catch {
          return fallback;
        }
      };
    const bridge: Bridge = {
      transpile: guard('{"ok":false,"message":"Gradlens could not transpile the file"}', (file, source) => {
        const f = String(file);
        const text = String(source);
        this.sink?.transpiling?.(true);
        try {
          return JSON.stringify({ ok: true, result: this.transpile(f, text) });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return JSON.stringify({ ok: false, message });
        } finally {
          this.sink?.transpiling?.(false);
        }
      }),
      readText: guard(null, (file) => {
        const f = String(file);
        const t = texts();
        if (Object.hasOwn(t, f)) return t[f];
        return f.endsWith(".ts") && isFile(f) ? fs.readFileSync(f, "utf8") : null;
      }),
      resolve: guard("", (from, spec) => {
        const base = path.resolve(path.dirname(String(from)), String(spec));
        const t = texts();
        const candidates = [base, `${base}.ts`, base.replace(/\.js$/, ".ts"), path.join(base, "index.ts")];
        return candidates.find((c) => c.endsWith(".ts") && (Object.hasOwn(t, c) || isFile(c))) ?? "";
      }),
      dirname: guard("", (file) => path.dirname(String(file))),
      compile: guard("Gradlens could not compile the file", (code, params, file) => {
        try {
          return vm.compileFunction(String(code), String(params).split(","), {
            filename: String(file),
            parsingContext: this.context,
          }) as (...args: never[]) => unknown;
        } catch (error) {
          return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        }
      }),
      post: guard(undefined, (kind, json) => {
        if (!this.accepting || !this.sink || typeof json !== "string") return;
        const value = parseKeepingNonFinite(json);
        if (kind === "log" && typeof value === "string") this.sink.log(value);
        else if (kind === "ran") this.sink.ran?.();
        else if (kind === "file") {
          const v = value as { index?: unknown; file?: unknown } | null;
          if (typeof v?.index === "number" && typeof v.file === "string") this.sink.file?.(v.index, v.file);
        }
        else if ((kind === "shapeHint" || kind === "layerHint") && this.hints++ < MAX_HINTS) {
          if (!checkHint(kind, value)) return;
          if (kind === "shapeHint") this.sink.shapeHint(value as ShapeHint);
          else this.sink.layerHint(value as LayerHint);
        }
      }),
      finish: guard(undefined, (json, data, lengths) => {
        if (!this.accepting) return;
        if (typeof json !== "string" || !types.isFloat32Array(data) || !types.isInt32Array(lengths)) {
          this.end({ type: "crash", message: "the sandbox returned a malformed result" });
          return;
        }
        const message = parseKeepingNonFinite(json) as { type?: unknown; message?: unknown; result?: unknown };
        if (message?.type === "crash" && typeof message.message === "string") {
          this.end({ type: "crash", message: message.message });
          return;
        }
        const values = { data: new Float32Array(data), lengths: new Int32Array(lengths) };
        const problem = message?.type === "result" ? checkRunResult(message.result, values) : "not a result";
        if (problem) {
          this.end({ type: "crash", message: `the sandbox returned a malformed result (${problem})` });
          return;
        }
        this.end({ type: "result", result: message.result as RunResult, values });
      }),
      shareProgress: guard(undefined, (buffer) => {
        if (!this.progress && types.isSharedArrayBuffer(buffer) && buffer.byteLength >= 8)
          this.progress = buffer;
      }),
      shareKernels: guard(0, (memory, control) => {
        if (this.kernels) return 0;
        this.kernels = checkedKernelMemory(memory, control);
        return this.kernels ? threadHelpers().attach(this.kernels) : 0;
      }),
      now: guard(0, () => performance.now()),
      setTimer: guard(undefined, (id, ms, repeat) => {
        if (!this.accepting || this.timers.size >= MAX_TIMERS) return;
        const n = Number(id);
        const fire = (): void => {
          if (!repeat) this.timers.delete(n);
          if (!this.accepting) return;
          const f = this.entry.fire;
          try {
            f(n);
          } catch {
            // the sandbox's own failure; its error object is not looked at
          }
        };
        const delay = Number(ms);
        if (delay < 0) {
          const h = setImmediate(fire);
          this.timers.set(n, { clear: () => clearImmediate(h) });
        } else if (repeat) {
          const h = setInterval(fire, Math.max(1, delay));
          this.timers.set(n, { clear: () => clearInterval(h) });
        } else {
          const h = setTimeout(fire, delay);
          this.timers.set(n, { clear: () => clearTimeout(h) });
        }
      }),
      clearTimer: guard(undefined, (id) => {
        const n = Number(id);
        this.timers.get(n)?.clear();
        this.timers.delete(n);
      }),
      arrayBufferBytes: guard(0, () => process.memoryUsage().arrayBuffers),
      gc: guard(undefined, () => fullGc()),
    };
    return bridge;
  }
}
