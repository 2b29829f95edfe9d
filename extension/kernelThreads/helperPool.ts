/**
 * The helper threads of one thread (a run worker, the CLI, a test process) as the engine's
 * kernel-threads provider (engine/kernels/kernelThreads.ts): started once, on the first
 * `attach`, they serve whichever shared kernel memory was attached last. A run worker's
 * sandboxes each have their own engine and memory; the one about to run attaches its own.
 * Helpers never keep a process alive (unref) and end with the thread that started them.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import {
  CONTROL,
  KernelThreadsProvider,
  SharedKernelMemory,
} from "../../engine/kernels/kernelThreads";

/** What a helper is told: serve another memory, or stop. */
export type HelperMessage = { type: "serve"; shared: SharedKernelMemory } | { type: "stop" };

/** dist/kernelHelper.js beside the bundle (webpack), or beside this file (tsc's out/). */
const HELPER_FILE = [
  path.join(__dirname, "kernelHelper.js"),
  path.join(__dirname, "..", "kernelThreads", "kernelHelper.js"),
].find((f) => fs.existsSync(f));

/** Most helpers a pool starts: the kernels split into few slices; more threads add little. */
const MAX_HELPERS = 3;

/** Helpers for this machine: one per core beyond the caller's, at most MAX_HELPERS. */
export function defaultHelperCount(): number {
  const cores =
    typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(0, Math.min(MAX_HELPERS, cores - 1));
}

export class KernelHelperPool implements KernelThreadsProvider {
  private helpers: Worker[] = [];
  private current: SharedKernelMemory | null = null;
  private stopped = false;

  constructor(private readonly count = defaultHelperCount()) {}

  /** Helpers serve `shared` from now on; returns how many (0 where none can start). */
  attach(shared: SharedKernelMemory): number {
    if (this.stopped || this.count === 0 || !HELPER_FILE) return 0;
    if (this.current === shared) return this.helpers.length;
    const previous = this.current;
    this.current = shared;
    if (this.helpers.length === 0) {
      for (let i = 0; i < this.count; i++) this.helpers.push(this.start(shared));
      return this.helpers.length;
    }
    this.tell({ type: "serve", shared });
    if (previous) wake(previous);
    return this.helpers.length;
  }

  /** Slices the helpers have run on the memory they serve now (tests). */
  slicesServed(): number {
    return this.current
      ? Atomics.load(new Int32Array(this.current.control), CONTROL.HELPER_SLICES)
      : 0;
  }

  /** Ends the helpers (they stop at their next wake, which this causes). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.tell({ type: "stop" });
    if (this.current) wake(this.current);
  }

  private tell(m: HelperMessage): void {
    for (const h of this.helpers) h.postMessage(m);
  }

  private start(shared: SharedKernelMemory): Worker {
    const w = new Worker(HELPER_FILE!, {
      workerData: shared,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
    });
    w.on("error", () => undefined); // a helper that fails only costs speed: its slices go to the caller
    w.unref();
    return w;
  }
}

/** Wakes the helpers waiting on `shared`'s control block, so that they read their messages. */
function wake(shared: SharedKernelMemory): void {
  Atomics.notify(new Int32Array(shared.control), CONTROL.SEQ);
}
