/**
 * The only line between a model's sandbox (a fresh `vm` context holding its own copy of the
 * engine and of the run code) and the worker thread around it. Host functions cross into the
 * sandbox, so each takes and returns primitives (or a typed array the host checks and copies)
 * and never throws: any host object, error or promise the model code could touch would hand
 * it the worker's own `Function` constructor, and with it Node. The sandbox keeps these in
 * closures its code never exposes.
 */

/** What the worker offers the sandbox. Every call is synchronous. */
export interface Bridge {
  /** TypeScript → instrumented JavaScript, as JSON: `{ ok: true, result: Transpiled }` or `{ ok: false, message }`. */
  transpile(file: string, source: string): string;
  /** A user .ts file's text (the editor's unsaved text first), or null when there is none. */
  readText(file: string): string | null;
  /** A relative import → the absolute path of the .ts file it names, or "" when none exists. */
  resolve(from: string, spec: string): string;
  /** The folder of a file (`__dirname`). */
  dirname(file: string): string;
  /**
   * Compiles a module wrapper inside the sandbox's own realm (code generation from strings is
   * off there, so only the worker can): the function, or the compile error's message.
   */
  compile(code: string, params: string, file: string): ((...args: never[]) => unknown) | string;
  /**
   * Streams one log line, hint or file out of a run that may be stopped before it ends (JSON),
   * and "ran" once its model code has finished without an error.
   */
  post(kind: "log" | "shapeHint" | "layerHint" | "file" | "ran", json: string): void;
  /**
   * The sandbox's progress cell (made in the sandbox: a buffer of the worker's would hand it the
   * worker's constructors): [line, file index] of where the run is, read by the host at a time-out.
   */
  shareProgress(buffer: SharedArrayBuffer): void;
  /**
   * The engine's shared kernel memory and its control block (made in the sandbox, as the progress
   * cell is), once at start: the worker's helper threads serve it while this sandbox runs. Returns
   * how many helpers there are (0: the kernels stay on one thread).
   */
  shareKernels(memory: object, control: SharedArrayBuffer): number;
  /** The run's result (JSON, non-finite numbers kept) and its tensor values; once per run. */
  finish(json: string, data: Float32Array, lengths: Int32Array): void;
  /** Milliseconds, as performance.now(). */
  now(): number;
  /** Timers the model asks for (`ms` -1: setImmediate): the worker calls `fire(id)` when due. */
  setTimer(id: number, ms: number, repeat: boolean): void;
  clearTimer(id: number): void;
  /** Bytes held by every ArrayBuffer of the worker (its own allocator), and a full GC. */
  arrayBufferBytes(): number;
  gc(): void;
}

/** What the sandbox's start-up hands back: functions of the sandbox's realm, for the worker to call. */
export interface SandboxEntry {
  /**
   * Runs one job (JSON of a RunJob); it ends by calling `finish` exactly once. With
   * `warmUp`, the request is Gradlens's own warm-up model (trusted code, run before any model
   * code exists in this context, so that the engine's kernels are compiled and optimised in
   * this context too); the engine's state is put back as at start-up after it. One request at
   * a time; after a user's request, only `reusable()` can open the sandbox to another.
   */
  run(requestJson: string, warmUp: boolean): void;
  /** After the warm-up: records what later runs must leave as it is (sandbox/snapshot.ts). */
  seal(): void;
  /**
   * After a user's run, once the thread is idle: "" when it left every shared object as it was
   * (then the engine's state is reset and the sandbox takes the next run), else what changed.
   */
  reusable(): string;
  /** A timer set through `setTimer` is due. */
  fire(id: number): void;
}

/** The global the bundle leaves its start function under; the worker takes it and deletes it. */
export const START = "__gradlensStart";

/** `config`: JSON of sandbox/main.ts's SandboxConfig. */
export type StartFn = (bridge: Bridge, config: string) => SandboxEntry;

/** JSON that keeps NaN, Infinity and -Infinity (JSON alone turns them into null). */
export const NON_FINITE: Record<string, number> = {
  "\u0000NaN": NaN,
  "\u0000Infinity": Infinity,
  "\u0000-Infinity": -Infinity,
};

export function stringifyKeepingNonFinite(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "number" && !Number.isFinite(v) ? `\u0000${v}` : v,
  );
}

export function parseKeepingNonFinite(json: string): unknown {
  return JSON.parse(json, (_key, v: unknown) =>
    typeof v === "string" && Object.hasOwn(NON_FINITE, v) ? NON_FINITE[v] : v,
  );
}
