/**
 * One run worker thread (extension/worker/worker.ts) as the host holds it: started with its
 * heap limit and its line to the transpiler, its messages checked before anyone hears them.
 */
import { Worker, type MessagePort } from "worker_threads";
import type { FromWorker, WorkerOptions } from "../runProtocol/messages";
import { besideOrIn } from "./transpilerHost";
import { checkFromWorker } from "./messageCheck";

/** dist/worker.js next to dist/extension.js (webpack), or out/extension/worker/worker.js (tsc). */
const WORKER_FILE = besideOrIn(__dirname, "worker", "worker.js");

/** What a worker's current user (a run, or the pool's kept slot) hears from it. */
export interface WorkerEvents {
  message?(m: FromWorker): void;
  error?(err: Error & { code?: string }): void;
  exit?(code: number): void;
}

/**
 * A started worker and whether it has said "ready". Its listeners are set once and forward
 * to whoever uses it now (`listen`): a Worker's removeAllListeners() would also remove Node's
 * own and silently stop its messages, which broke reusing a worker.
 */
export class RunnerWorker {
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

  constructor(
    readonly memoryLimitMb: number,
    transpiler: MessagePort,
  ) {
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
