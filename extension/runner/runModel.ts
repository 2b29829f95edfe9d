/**
 * The host side of a run: runs happen in worker threads (extension/worker/worker.ts), with a
 * heap limit, a tensor-memory limit and a wall-clock timeout after which the worker is
 * terminated. A new run of a file stops the one still going. Nothing here blocks the host: the
 * user's code and the graph live in the worker, and logs and hints stream out as they come so
 * that a run stopped by a limit still reports them. Model code runs in a fresh sandbox per run
 * inside the worker (sandboxHost.ts), so a worker can serve run after run: a run gets the worker
 * of the file's previous run once that worker says it is idle (see `kept`), else a warm spare,
 * else a new worker. TypeScript lives in the pool's long-lived transpiler worker (transpilerHost.ts),
 * which runs no user code, so a run worker is quick to start. Every message from a worker is
 * checked before it is believed (messageCheck.ts).
 */
import type { GraphDto, SourceLocation } from "../../webview/protocol";
import { PROGRESS_FILE, PROGRESS_LINE } from "../runProtocol/instrumentHelpers";
import type { ToWorker } from "../runProtocol/messages";
import type {
  LayerHint,
  RunError,
  RunHints,
  RunRequest,
  RunPhases,
  RunResult,
  ShapeHint,
} from "../runProtocol/types";
import { TranspilerHost } from "./transpilerHost";
import { unpackValues } from "../runProtocol/valuePacking";
import { RunnerWorker } from "./runnerWorker";

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MEMORY_LIMIT_MB = 512;
/** How long a worker may take to load and warm up (on a busy machine, with a cold transpiler). */
const STARTUP_LIMIT_MS = 60_000;

function emptyGraph(file: string, runMs: number): GraphDto {
  return { file, nodes: [], edges: [], hasGradients: false, runMs };
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;

/** A worker serves at most this many runs. */
const MAX_RUNS_PER_WORKER = 50;

/**
 * The run workers of one owner (the extension between activate and deactivate, or one CLI
 * command): the runs going, per file; the worker kept for the next run of the last file; a
 * warm spare; and the transpiler worker they share. `dispose` stops them all.
 */
export class RunPool {
  private spare: RunnerWorker | null = null;
  /** Workers started so far (for tests: a reused worker starts none). */
  private workersStarted = 0;
  /** How to stop the run going, per file. */
  private readonly running = new Map<string, () => void>();
  /**
   * The worker of the last run, kept for the next run of the same file: its code is warm for
   * exactly this model. Each run in it has a fresh sandbox, so nothing of the last run is seen;
   * it is given the next run only once it said "idle" (its thread is free). Bounded, so that
   * nothing accumulates.
   */
  private kept: { file: string; runner: RunnerWorker } | null = null;
  private readonly transpiler = new TranspilerHost();

  /**
   * Runs a model file in a worker and resolves with everything the editor shows about it. Never
   * rejects for the user's code: its errors, a timeout or too much memory come back in `error`.
   * `onHints` hears the run's hints as soon as its model code has finished without an error,
   * ahead of the result (building the graph, packing it and sending it take a while).
   */
  run(req: RunRequest, onHints?: (hints: RunHints) => void): Promise<RunResult> {
    // The limits are enforced here (and the memory limit when the worker starts); the worker
    // is sent only the job.
    const { timeoutMs = DEFAULT_TIMEOUT_MS, memoryLimitMb = DEFAULT_MEMORY_LIMIT_MB, ...job } = req;
    this.running.get(job.file)?.();
    const started = performance.now();
    this.transpiler.prefetch(job.file, job.source);
    const { runner, kind } = this.takeWorker(job.file, memoryLimitMb);
    const phases: RunPhases = { worker: kind, transpileMs: 0 };
    const since = (): number => performance.now() - started;
    runner.runs++;
    runner.busy = true;
    // The next run's worker warms up while this one runs: an edit right after a run (or Run
    // Backward right after the run an edit caused) finds it ready.
    this.prepareSpare(memoryLimitMb);
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
        if (this.running.get(job.file) === cancel) this.running.delete(job.file);
        runner.listen({});
        if (reusable && runner.runs < MAX_RUNS_PER_WORKER) this.keep(job.file, runner);
        else void worker.terminate();
        const durationMs = since();
        if ("graph" in result) resolve({ ...result, durationMs, phases });
        else {
          const { error, cancelled } = result;
          const graph = emptyGraph(job.file, durationMs);
          resolve({
            ok: false,
            graph,
            error,
            logs,
            shapeHints,
            layerHints,
            roots: [],
            durationMs,
            phases,
            ...(cancelled ? { cancelled } : {}),
          });
        }
        this.prepareSpare(memoryLimitMb);
      };
      const cancel = (): void =>
        finish({
          cancelled: true,
          error: { kind: "runtime", message: "A newer run of this file replaced this one" },
        });
      this.running.set(job.file, cancel);

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
      let tickedAt = 0;
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
        tickedAt = performance.now();
        ticking = true;
        clearTimeout(timer);
        timer = setTimeout(timeUp, Math.max(0, timeoutMs - used));
      };
      const pause = (): void => {
        if (!ticking) return;
        ticking = false;
        clearTimeout(timer);
        used += performance.now() - tickedAt;
      };
      /** While the transpiler holds the run: a limit of its own (the worker's, 60 s). */
      let transpiling = false;
      let transpileFrom = 0;
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
              phases.startedMs = since();
              progress = m.progress ? new Int32Array(m.progress) : null;
              break;
            case "file":
              files[m.index] = m.file;
              break;
            case "transpiling":
              if (m.waiting === transpiling || settled) break;
              transpiling = m.waiting;
              if (transpiling) transpileFrom = since();
              else phases.transpileMs += since() - transpileFrom;
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
            case "ran":
              phases.hintsMs = since();
              if (!settled) onHints?.({ shapeHints: [...shapeHints], layerHints: [...layerHints] });
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
      const message: ToWorker = { type: "run", job };
      worker.postMessage(message);
    });
  }

  /** How many run workers were started, and whether the kept one is idle (for tests). */
  stats(): { workersStarted: number; keptIdle: boolean } {
    return { workersStarted: this.workersStarted, keptIdle: !!this.kept && !this.kept.runner.busy };
  }

  /** Stops the run of `file`, if one is going (it resolves as cancelled). */
  cancel(file: string): void {
    this.running.get(file)?.();
  }

  /** Stops every run, the kept and the warm worker, and the transpiler. */
  dispose(): void {
    for (const cancel of [...this.running.values()]) cancel();
    void this.spare?.worker.terminate();
    this.spare = null;
    this.dropKept();
    this.transpiler.dispose();
  }

  private startWorker(memoryLimitMb: number): RunnerWorker {
    this.workersStarted++;
    return new RunnerWorker(memoryLimitMb, this.transpiler.port());
  }

  private dropKept(): void {
    void this.kept?.runner.worker.terminate();
    this.kept = null;
  }

  /** The kept worker when it ran this file, else a warm spare, else a new worker. */
  private takeWorker(
    file: string,
    memoryLimitMb: number,
  ): { runner: RunnerWorker; kind: RunPhases["worker"] } {
    const kept = this.kept;
    if (
      kept &&
      kept.file === file &&
      kept.runner.memoryLimitMb === memoryLimitMb &&
      !kept.runner.busy
    ) {
      this.kept = null;
      kept.runner.worker.ref();
      return { runner: kept.runner, kind: "kept" };
    }
    this.dropKept();
    return this.takeSpare(memoryLimitMb);
  }

  private keep(file: string, runner: RunnerWorker): void {
    this.dropKept();
    runner.worker.unref();
    runner.listen({
      exit: () => {
        if (this.kept?.runner === runner) this.kept = null;
      },
    });
    this.kept = { file, runner };
  }

  /** A warm worker with this memory limit (started now if there is none). */
  private takeSpare(memoryLimitMb: number): { runner: RunnerWorker; kind: RunPhases["worker"] } {
    const w = this.spare;
    this.spare = null;
    if (w && w.memoryLimitMb === memoryLimitMb) {
      w.worker.ref();
      return { runner: w, kind: "spare" };
    }
    void w?.worker.terminate();
    return { runner: this.startWorker(memoryLimitMb), kind: "new" };
  }

  /** Starts a worker for a later run (it warms up meanwhile); it does not keep the process alive. */
  private prepareSpare(memoryLimitMb: number): void {
    if (this.spare) return;
    const s = this.startWorker(memoryLimitMb);
    s.worker.unref();
    s.worker.once("exit", () => {
      if (this.spare === s) this.spare = null;
    });
    this.spare = s;
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected message ${JSON.stringify(x)}`);
}
