/**
 * The entry of the sandbox bundle (dist/sandbox.js): what runs *inside* a model's `vm` context.
 * The worker (sandboxHost.ts) makes a fresh context per run, with code generation from strings
 * turned off, and runs the guard script (guardMain.ts) and then this bundle in it: the sandbox gets its own engine, its own intrinsics
 * (a model that patches Array.prototype or an engine class patches only its own run) and a
 * `start` function the worker takes and removes from the global. `start` keeps the bridge's
 * host functions in its closure and hands back only functions of this realm.
 *
 * Thread: the run worker, inside the model's context.
 */
import * as engine from "../../engine/index";
import { installKernelThreads } from "../../engine/kernels/kernelThreads";
import { executeRun, type RunSink } from "./execute";
import { packValues } from "../runProtocol/valuePacking";
import type { RunJob } from "../runProtocol/types";
import type { Transpiled } from "../runProtocol/transpiled";
import {
  START,
  stringifyKeepingNonFinite,
  type Bridge,
  type SandboxEntry,
  type StartFn,
} from "./bridge";
import { GUARD, type GuardControls } from "./memoryGuard";
import { firstChange, takeSnapshot, type Snapshot } from "./snapshot";

// The guard script ran first (guardMain.ts): its controls, taken off the global.
const g0 = globalThis as unknown as Record<string, unknown>;
const guard = g0[GUARD] as GuardControls | undefined;
delete g0[GUARD];

/** What the worker tells the sandbox when it starts it (JSON). */
export interface SandboxConfig {
  memoryLimitMb: number;
  /** Globals the model's module wrapper binds as parameters (fast lookups in old Nodes' contexts). */
  localIntrinsics: string[];
  platform: string;
  version: string;
}

type Callback = (...args: unknown[]) => unknown;

const start: StartFn = (bridge: Bridge, configJson: string): SandboxEntry => {
  // The host functions, each called only through `cross`: never passed as a value, never
  // reachable from a property the model code can see.
  const b = bridge;
  const hostTranspile = cross(b.transpile);
  const [readText, resolve, dirname, compile] = [cross(b.readText), cross(b.resolve), cross(b.dirname), cross(b.compile)];
  const [post, finish, now] = [cross(b.post), cross(b.finish), cross(b.now)];
  const progress = new Int32Array(new SharedArrayBuffer(8));
  cross(b.shareProgress)(progress.buffer as SharedArrayBuffer);
  const shareKernels = cross(b.shareKernels);
  installKernelThreads({ attach: (k) => shareKernels(k.memory, k.control) });
  const [setTimer, clearTimer, arrayBufferBytes, gc] = [cross(b.setTimer), cross(b.clearTimer), cross(b.arrayBufferBytes), cross(b.gc)];
  const config = JSON.parse(configJson) as SandboxConfig;
  const g = globalThis as unknown as Record<string, unknown>;
  delete g[START];
  delete g.WebAssembly; // the engine took its own at load; model code compiles no bytes

  if (!guard) throw new Error("the memory guard is not installed");
  guard.setMemoryLimit(config.memoryLimitMb, {
    bytesInUse: () => arrayBufferBytes(),
    collect: () => gc(),
  });

  // Timers: the worker keeps the real ones, by number, and calls `fire` when one is due.
  const timers = new Map<number, { fn: Callback; args: unknown[]; repeat: boolean }>();
  let nextTimer = 1;
  let reportError: (error: unknown) => void = () => undefined;
  const schedule = (fn: unknown, ms: unknown, args: unknown[], repeat: boolean): number => {
    if (typeof fn !== "function") throw new TypeError('The "callback" argument must be of type function');
    const id = nextTimer++;
    timers.set(id, { fn: fn as Callback, args, repeat });
    const delay = ms === -1 ? -1 : Math.max(0, Number(ms) || 0);
    setTimer(id, delay, repeat);
    return id;
  };
  const cancel = (id: unknown): void => {
    if (typeof id !== "number" || !timers.delete(id)) return;
    clearTimer(id);
  };
  Object.assign(g, {
    setTimeout: (fn: unknown, ms?: unknown, ...args: unknown[]) => schedule(fn, ms, args, false),
    setInterval: (fn: unknown, ms?: unknown, ...args: unknown[]) => schedule(fn, ms, args, true),
    setImmediate: (fn: unknown, ...args: unknown[]) => schedule(fn, -1, args, false),
    clearTimeout: cancel,
    clearInterval: cancel,
    clearImmediate: cancel,
    queueMicrotask: (fn: unknown) => {
      if (typeof fn !== "function") throw new TypeError('The "callback" argument must be of type function');
      void Promise.resolve().then(() => (fn as Callback)());
    },
    performance: Object.freeze({ now: () => now(), timeOrigin: Date.now() - now() }),
  });
  const nextTurn = (): Promise<void> =>
    new Promise((done) => schedule(done, -1, [], false));

  const transpile = (file: string, source: string): Transpiled => {
    const reply = JSON.parse(hostTranspile(file, source)) as
      | { ok: true; result: Transpiled }
      | { ok: false; message: string };
    if (!reply.ok) throw new Error(reply.message);
    return reply.result;
  };
  const host = {
    intrinsics: config.localIntrinsics.map((name) => [name, g[name]] as [string, unknown]),
    readText: (file: string) => readText(file),
    resolve: (from: string, spec: string) => resolve(from, spec),
    dirname: (file: string) => dirname(file),
    compile: (code: string, params: string[], file: string) =>
      compile(code, params.join(","), file) as ((...args: unknown[]) => unknown) | string,
  };
  const sink: RunSink = {
    log: (line) => post("log", JSON.stringify(line)),
    shapeHint: (hint) => post("shapeHint", stringifyKeepingNonFinite(hint)),
    layerHint: (hint) => post("layerHint", stringifyKeepingNonFinite(hint)),
    file: (index, file) => post("file", JSON.stringify({ index, file })),
    ran: () => post("ran", "null"),
  };
  const env = {
    host,
    now: () => now(),
    nextTurn,
    progress,
    process: {
      platform: config.platform,
      version: config.version,
      memoryUsage: () => arrayBufferBytes(),
    },
  };

  let running = false;
  /** A user's run happened and the sandbox was not found clean after it. */
  let spent = false;
  let snapshot: Snapshot | null = null;
  /** The warm-up's exports: their prototypes (grad_fn nodes, layers, optimizers) go into the snapshot. */
  let warmExports: unknown = null;
  return {
    run(requestJson: string, warmUp: boolean): void {
      if (running || spent || (warmUp && snapshot)) return;
      running = true;
      if (!warmUp) spent = true; // until reusable() finds it clean
      const request = JSON.parse(requestJson) as RunJob;
      const done = (json: string, data: Float32Array, lengths: Int32Array): void =>
        finish(json, data, lengths);
      const crashed = (error: unknown): void => {
        let message: string;
        try {
          message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        } catch {
          message = "the run code failed";
        }
        done(JSON.stringify({ type: "crash", message }), new Float32Array(0), new Int32Array(0));
      };
      try {
        const logs = { error: (e: unknown) => sink.log?.(`error: Uncaught ${describe(e)}`) };
        reportError = logs.error;
        const runEnv = warmUp ? { ...env, onExports: (e: unknown) => (warmExports = e) } : env;
        executeRun(request, engine, transpile, warmUp ? {} : sink, warmUp ? { ...runEnv, progress: undefined } : runEnv).then((result) => {
          running = false;
          try {
            if (warmUp) engine.trace.resetGlobalState();
            const values = packValues(result.graph);
            done(
              stringifyKeepingNonFinite({ type: "result", result }),
              values.data,
              values.lengths,
            );
          } catch (error) {
            crashed(error);
          }
        }, (error: unknown) => {
          running = false;
          crashed(error);
        });
      } catch (error) {
        running = false;
        crashed(error);
      }
    },
    seal(): void {
      if (!snapshot && !running && !spent) snapshot = takeSnapshot([globalThis, engine, warmExports]);
    },
    reusable(): string {
      if (!snapshot) return "not sealed";
      if (running || !spent) return "not after a run";
      const change = firstChange(snapshot);
      if (change !== null) return change;
      timers.clear();
      engine.trace.resetGlobalState();
      spent = false;
      return "";
    },
    fire(id: number): void {
      const t = timers.get(id);
      if (!t) return;
      if (!t.repeat) timers.delete(id);
      try {
        t.fn(...t.args);
      } catch (error) {
        reportError(error);
      }
    },
  };
};

/**
 * A host function as this realm calls it. The host's functions never throw, but a stack that
 * overflows inside one raises a RangeError of the host's realm, which would hand the model the
 * host's constructors: whatever comes out is dropped here unseen and replaced by our own.
 */
function cross<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return f(...args);
    } catch {
      throw new RangeError("Maximum call stack size exceeded");
    }
  };
}

function describe(e: unknown): string {
  try {
    return e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
  } catch {
    return "an error";
  }
}

(globalThis as unknown as Record<string, unknown>)[START] = start;
