/**
 * The host side of a run: each run gets its own worker thread (extension/runner/worker.ts), with
 * a heap limit, a tensor-memory limit and a wall-clock timeout after which it is terminated. A
 * new run of a file stops the one still going. Nothing here blocks the host: the user's code,
 * TypeScript and the graph all live in the worker, and logs and hints stream out as they come so
 * that a run stopped by a limit still reports them. One worker is kept warm (engine loaded and
 * JIT-warmed) for the next run. TypeScript lives in one long-lived transpiler worker
 * (transpilerHost.ts), which runs no user code, so a run worker is quick to start.
 */
import * as path from "path";
import { Worker } from "worker_threads";
import type { GraphDto } from "../../webview/protocol";
import type { FromWorker, ToWorker, WorkerOptions } from "./messages";
import type { LayerHint, RunError, RunRequest, RunResult, ShapeHint } from "./types";
import { disposeTranspiler, transpilerPort } from "./transpilerHost";

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MEMORY_LIMIT_MB = 512;
/** How long a worker may take to load and warm up (on a busy machine, with a cold transpiler). */
const STARTUP_LIMIT_MS = 60_000;

/** dist/worker.js next to dist/extension.js (webpack), or out/extension/runner/worker.js (tsc). */
const WORKER_FILE = path.join(__dirname, "worker.js");

/** A started worker and whether it has said "ready". */
class RunnerWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;

  constructor(readonly memoryLimitMb: number) {
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
    this.ready = new Promise((resolve) => {
      const onReady = (m: FromWorker): void => {
        if (m.type !== "ready") return;
        this.worker.off("message", onReady);
        resolve();
      };
      this.worker.on("message", onReady);
    });
    this.worker.on("error", () => undefined); // a spare that fails is simply not used
  }
}

let spare: RunnerWorker | null = null;
const running = new Map<string, () => void>();

/** A warm worker with this memory limit (started now if there is none). */
function takeWorker(memoryLimitMb: number): RunnerWorker {
  const w = spare;
  spare = null;
  if (w && w.memoryLimitMb === memoryLimitMb) {
    w.worker.ref();
    return w;
  }
  void w?.worker.terminate();
  return new RunnerWorker(memoryLimitMb);
}

/** Starts the next run's worker while the machine is idle; it does not keep the process alive. */
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
  const runner = takeWorker(memoryLimitMb);
  // The next run's worker warms up while this one runs: an edit right after a run (or Run
  // Backward right after the run an edit caused) finds it ready.
  prepareSpare(memoryLimitMb);
  const { worker } = runner;
  const logs: string[] = [];
  const shapeHints: ShapeHint[] = [];
  const layerHints: LayerHint[] = [];

  return new Promise<RunResult>((resolve) => {
    let settled = false;
    const finish = (result: RunResult | { error: RunError; cancelled?: boolean }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (running.get(req.file) === cancel) running.delete(req.file);
      worker.removeAllListeners();
      void worker.terminate();
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
    void runner.ready.then(() => {
      if (settled) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        finish({
          error: {
            kind: "timeout",
            message: `Gradlens stopped the run after ${seconds(timeoutMs)}: the code did not finish (an infinite loop?)`,
          },
        });
      }, timeoutMs);
    });

    worker.on("message", (m: FromWorker) => {
      switch (m.type) {
        case "ready":
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
          finish(m.result);
          break;
        case "crash":
          finish({ error: { kind: "runtime", message: `Gradlens's runner failed: ${m.message}` } });
          break;
        default:
          assertNever(m);
      }
    });
    worker.on("error", (err: Error & { code?: string }) => {
      if (err.code === "ERR_WORKER_OUT_OF_MEMORY") {
        finish({
          error: {
            kind: "memory",
            message: `Gradlens stopped the run: it used more than ${memoryLimitMb} MB of memory (gradlens.memoryLimitMb)`,
          },
        });
      } else {
        finish({ error: { kind: "runtime", message: `Gradlens's runner failed: ${err.message}` } });
      }
    });
    worker.on("exit", (code) => {
      finish({
        error: {
          kind: "runtime",
          message: `The run ended without a result (its worker exited with code ${code})`,
        },
      });
    });
    const message: ToWorker = { type: "run", request: req };
    worker.postMessage(message);
  });
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
  disposeTranspiler();
}

function assertNever(x: never): never {
  throw new Error(`unexpected message ${JSON.stringify(x)}`);
}
