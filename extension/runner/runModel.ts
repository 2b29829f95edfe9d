/**
 * The host side of a run: runs happen in worker threads (extension/worker/worker.ts), with a
 * heap limit, a tensor-memory limit and a wall-clock timeout after which the worker is
 * terminated. A new run of a file stops the one still going. Nothing here blocks the host: the
 * user's code and the graph live in the worker, and logs and hints stream out as they come so
 * that a run stopped by a limit still reports them. Model code runs in a fresh sandbox per run
 * inside the worker (sandboxHost.ts), so a worker can serve run after run: a run gets the worker
 * of the file's previous run once that worker says it is idle (see `kept`), else a warm spare,
 * else a new worker. TypeScript lives in one long-lived transpiler worker (transpilerHost.ts),
 * which runs no user code, so a run worker is quick to start. Every message from a worker is
 * checked before it is believed (messageCheck.ts).
 */
import { Worker } from "worker_threads";
import type { GraphDto, SourceLocation } from "../../webview/protocol";
import { PROGRESS_FILE, PROGRESS_LINE } from "../runProtocol/instrumentHelpers";
import type { FromWorker, ToWorker, WorkerOptions } from "../runProtocol/messages";
import type { LayerHint, RunError, RunRequest, RunResult, ShapeHint } from "../runProtocol/types";
import { besideOrIn, disposeTranspiler, transpilerPort } from "./transpilerHost";
import { unpackValues } from "../runProtocol/valuePacking";
import { checkFromWorker } from "./messageCheck";

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MEMORY_LIMIT_MB = 512;
/** How long a worker may take to load and warm up (on a busy machine, with a cold transpiler). */
const STARTUP_LIMIT_MS = 60_000;

/** dist/worker.js next to dist/extension.js (webpack), or out/extension/worker/worker.js (tsc). */
const WORKER_FILE = besideOrIn(__dirname, "worker", "worker.js");

/** What a worker's current user (a run, or the kept slot) hears from it. */
interface WorkerEvents {
  message?(m: FromWorker): void;
  error?(err: Error & { code?: string }): void;
  exit?(code: number): void;
}

/**
 * A started worker and whether it has said "ready". Its listeners are set once and forward
 * to whoever uses it now (`listen`): a Worker's removeAllListeners() would also remove Node's
 * own and silently stop its messages, which broke reusing a worker.
 */
class RunnerWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  /** How many runs it has been given. */
  runs = 0;
  /** Between a run given to it and its "idle" after the result: not to be given another. */
  busy = false;
  private events: WorkerEvents = {};

  listen(events: WorkerEvents): void {
    this.events = events;
  }

  constructor(readonly memoryLimitMb: number) {
    workersStarted++;
    const transpiler = transpilerPort();
    const options: WorkerOptions = { memoryLimitMb, transpiler };
    this.worker = new Worker(WORKER_FILE, {
      workerData: options,
      transferList: [transpiler],
      execArgv: [],
      stdout: true,
      stderr: true,
      resourceLimits: {
        maxOldGenerationSizeMb: memoryLimitMb,
        maxYoungGenerationSizeMb: Math.max(8, Math.min(64, memoryLimitMb / 8)),
      },
    });
    this.worker.stdout.resume(); // the user's printing is captured in the worker; drop the rest
    this.worker.stderr.resume();
    let onReady: () => void;
    this.ready = new Promise((resolve) => (onReady = resolve));
    this.worker.on("message", (raw: unknown) => {
      const m = checkFromWorker(raw);
      if (!m) {
        // Not a message this runner sends: the worker is not to be trusted any more.
        this.events.error?.(new Error("the run worker sent a malformed message"));
        void this.worker.terminate();
        return;
      }
      if (m.type === "ready") onReady();
      if (m.type === "idle") this.busy = false;
      this.events.message?.(m);
    });
    // Without a user, an error is dropped: a spare that fails is simply not used.
    this.worker.on("error", (err: Error) => this.events.error?.(err));
    this.worker.on("exit", (code: number) => this.events.exit?.(code));
  }
}

let spare: RunnerWorker | null = null;
/** Workers started so far (for tests: a reused worker starts none). */
let workersStarted = 0;
const running = new Map<string, () => void>();

/**
 * The worker of the last run, kept for the next run of the same file: its code is warm for
 * exactly this model. Each run in it has a fresh sandbox, so nothing of the last run is seen;
 * it is given the next run only once it said "idle" (its thread is free). Bounded, so that
 * nothing accumulates.
 */
let kept: { file: string; runner: RunnerWorker } | null = null;
const MAX_RUNS_PER_WORKER = 50;

function dropKept(): void {
  void kept?.runner.worker.terminate();
  kept = null;
}

/** The kept worker when it ran this file, else a warm spare, else a new worker. */
function takeWorker(file: string, memoryLimitMb: number): RunnerWorker {
  if (
    kept &&
    kept.file === file &&
    kept.runner.memoryLimitMb === memoryLimitMb &&
    !kept.runner.busy
  ) {
    const { runner } = kept;
    kept = null;
    runner.worker.ref();
    return runner;
  }
  dropKept();
  return takeSpare(memoryLimitMb);
}

function keep(file: string, runner: RunnerWorker): void {
  dropKept();
  runner.worker.unref();
  runner.listen({
    exit: () => {
      if (kept?.runner === runner) kept = null;
    },
  });
  kept = { file, runner };
}

/** A warm worker with this memory limit (started now if there is none). */
function takeSpare(memoryLimitMb: number): RunnerWorker {
  const w = spare;
  spare = null;
  if (w && w.memoryLimitMb === memoryLimitMb) {
    w.worker.ref();
    return w;
  }
  void w?.worker.terminate();
  return new RunnerWorker(memoryLimitMb);
}

/** Starts a worker for a later run (it warms up meanwhile); it does not keep the process alive. */
function prepareSpare(memoryLimitMb: number): void {
  if (spare) return;
  const s = new RunnerWorker(memoryLimitMb);
  s.worker.unref();
  s.worker.once("exit", () => {
    if (spare === s) spare = null;
  });
  spare = s;
}

function emptyGraph(file: string, runMs: number): GraphDto {
  return { file, nodes: [], edges: [], hasGradients: false, runMs };
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

/**
 * Runs a model file in a worker and resolves with everything the editor shows about it. Never
 * rejects for the user's code: its errors, a timeout or too much memory come back in `error`.
 */
export function runModel(req: RunRequest): Promise<RunResult> {
  running.get(req.file)?.();
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const memoryLimitMb = req.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
  const started = performance.now();
  const runner = takeWorker(req.file, memoryLimitMb);
  runner.runs++;
  runner.busy = true;
  // The next run's worker warms up while this one runs: an edit right after a run (or Run
  // Backward right after the run an edit caused) finds it ready.
  prepareSpare(memoryLimitMb);
  const { worker } = runner;
  const logs: string[] = [];
  const shapeHints: ShapeHint[] = [];
  const layerHints: LayerHint[] = [];
  /** Where the run is, as its worker's sandbox writes it (instrumentHelpers.ts), and its files. */
  let progress: Int32Array | null = null;
  const files: string[] = [];
  const whereNow = (): { location?: SourceLocation } => {
    const line = progress?.[PROGRESS_LINE] ?? 0;
    const file = files[progress?.[PROGRESS_FILE] ?? -1];
    return line > 0 && file ? { location: { file, line, column: 1 } } : {};
  };

  return new Promise<RunResult>((resolve) => {
    let settled = false;
    const finish = (
      result: RunResult | { error: RunError; cancelled?: boolean },
      reusable = false,
    ): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (running.get(req.file) === cancel) running.delete(req.file);
      runner.listen({});
      if (reusable && runner.runs < MAX_RUNS_PER_WORKER) keep(req.file, runner);
      else void worker.terminate();
      const durationMs = performance.now() - started;
      if ("graph" in result) resolve({ ...result, durationMs });
      else {
        const { error, cancelled } = result;
        const graph = emptyGraph(req.file, durationMs);
        resolve({
          ok: false,
          graph,
          error,
          logs,
          shapeHints,
          layerHints,
          roots: [],
          durationMs,
          ...(cancelled ? { cancelled } : {}),
        });
      }
      prepareSpare(memoryLimitMb);
    };
    const cancel = (): void =>
      finish({
        cancelled: true,
        error: { kind: "runtime", message: "A newer run of this file replaced this one" },
      });
    running.set(req.file, cancel);

    // The limit is on the user's code: its clock starts once the worker has loaded.
    let timer = setTimeout(() => {
      finish({
        error: {
          kind: "runtime",
          message: `Gradlens's runner did not start within ${seconds(STARTUP_LIMIT_MS)}`,
        },
      });
    }, STARTUP_LIMIT_MS);
    // The clock runs while the model's code does: it pauses while the run waits for the
    // transpiler (another file's large transpile must not eat this run's time).
    let used = 0;
    let since = 0;
    let ticking = false;
    const timeUp = (): void => {
      // No file of the user's got to run: it was still being transpiled, so do not blame a
      // loop in code that never ran.
      const message =
        files.length === 0
          ? `Gradlens stopped the run after ${seconds(timeoutMs)}: the file was still being transpiled, none of its code ran yet (gradlens.timeoutMs)`
          : `Gradlens stopped the run after ${seconds(timeoutMs)}: the code did not finish (an infinite loop?)`;
      finish({ error: { kind: "timeout", message, ...whereNow() } });
    };
    const resume = (): void => {
      since = performance.now();
      ticking = true;
      clearTimeout(timer);
      timer = setTimeout(timeUp, Math.max(0, timeoutMs - used));
    };
    const pause = (): void => {
      if (!ticking) return;
      ticking = false;
      clearTimeout(timer);
      used += performance.now() - since;
    };
    /** While the transpiler holds the run: a limit of its own (the worker's, 60 s). */
    let transpiling = false;
    void runner.ready.then(() => {
      if (!settled && !transpiling) resume();
      else if (!settled) clearTimeout(timer); // the start-up limit is over; the transpile's own runs
    });

    runner.listen({
      message: (m) => {
        switch (m.type) {
          case "ready":
          case "idle":
            break;
          case "running":
            progress = m.progress ? new Int32Array(m.progress) : null;
            break;
          case "file":
            files[m.index] = m.file;
            break;
          case "transpiling":
            if (m.waiting === transpiling || settled) break;
            transpiling = m.waiting;
            if (transpiling) pause();
            else resume();
            break;
          case "log":
            logs.push(m.line);
            break;
          case "shapeHint":
            shapeHints.push(m.hint);
            break;
          case "layerHint":
            layerHints.push(m.hint);
            break;
          case "result":
            unpackValues(m.result.graph, m.values);
            finish(m.result, true);
            break;
          case "crash":
            finish({
              error: {
                kind: "runtime",
                message: `Gradlens's runner failed: ${m.message}`,
                ...whereNow(),
              },
            });
            break;
          default:
            assertNever(m);
        }
      },
      error: (err) => {
        if (err.code === "ERR_WORKER_OUT_OF_MEMORY") {
          finish({
            error: {
              kind: "memory",
              message: `Gradlens stopped the run: it used more than ${memoryLimitMb} MB of memory (gradlens.memoryLimitMb)`,
              ...whereNow(),
            },
          });
        } else {
          finish({
            error: {
              kind: "runtime",
              message: `Gradlens's runner failed: ${err.message}`,
              ...whereNow(),
            },
          });
        }
      },
      exit: (code) => {
        finish({
          error: {
            kind: "runtime",
            message: `The run ended without a result (its worker exited with code ${code})`,
            ...whereNow(),
          },
        });
      },
    });
    const message: ToWorker = { type: "run", request: req };
    worker.postMessage(message);
  });
}

/** How many run workers were started, and whether the kept one is idle (for tests). */
export function runnerStats(): { workersStarted: number; keptIdle: boolean } {
  return { workersStarted, keptIdle: !!kept && !kept.runner.busy };
}

/** Stops the run of `file`, if one is going (it resolves as cancelled). */
export function cancelRun(file: string): void {
  running.get(file)?.();
}

/** Stops every run and the warm worker (on deactivate, or at the end of the CLI). */
export function disposeRunner(): void {
  for (const cancel of [...running.values()]) cancel();
  void spare?.worker.terminate();
  spare = null;
  dropKept();
  disposeTranspiler();
}

function assertNever(x: never): never {
  throw new Error(`unexpected message ${JSON.stringify(x)}`);
}
