/**
 * The host's side of the transpiler worker (transpileWorker.ts): started once, on first need,
 * and kept by its run pool; started again if it ever exits. Each run worker is given a fresh
 * MessagePort to it.
 */
import * as fs from "fs";
import * as path from "path";
import { MessageChannel, Worker, type MessagePort } from "worker_threads";
import type { ToTranspiler } from "../runProtocol/messages";

/**
 * A worker's script: beside this file in dist/ (webpack bundles every entry into one folder),
 * else in its thread's folder of the tsc build (out/extension/<folder>/).
 */
export function besideOrIn(dir: string, folder: string, file: string): string {
  const beside = path.join(dir, file);
  return fs.existsSync(beside) ? beside : path.join(dir, "..", folder, file);
}

/** dist/transpileWorker.js (webpack), or out/extension/transpiler/transpileWorker.js (tsc). */
const TRANSPILER_FILE = besideOrIn(__dirname, "transpiler", "transpileWorker.js");
/** TypeScript on a large file is far below this; it bounds a pathological one. */
const TRANSPILER_HEAP_MB = 1024;

/** The transpiler worker of one run pool: started on first need, again if it ever exits. */
export class TranspilerHost {
  private worker: Worker | null = null;

  /** A port a new run worker transpiles through (transfer it to that worker). */
  port(): MessagePort {
    const { port1, port2 } = new MessageChannel();
    const message: ToTranspiler = { type: "connect", port: port2 };
    this.started().postMessage(message, [port2]);
    return port1;
  }

  /**
   * A model file about to run: the transpiler starts on it now, while the run worker takes the
   * run, instead of when the worker's loader asks (it then finds it cached). Python files are
   * not transpiled.
   */
  prefetch(file: string, source: string): void {
    if (/\.py$/i.test(file)) return;
    const message: ToTranspiler = { type: "prefetch", file, source };
    this.started().postMessage(message);
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = null;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(TRANSPILER_FILE, {
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: TRANSPILER_HEAP_MB },
    });
    w.unref(); // it never keeps the host (or the CLI) alive
    w.on("error", () => undefined); // it exits; the next run starts another
    w.once("exit", () => {
      if (this.worker === w) this.worker = null;
    });
    return (this.worker = w);
  }
}
