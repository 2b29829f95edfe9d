/**
 * The host's side of the transpiler worker (transpileWorker.ts): started once, on first need,
 * and kept; started again if it ever exits. Each run worker is given a fresh MessagePort to it.
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

let transpiler: Worker | null = null;

function transpilerWorker(): Worker {
  if (transpiler) return transpiler;
  const w = new Worker(TRANSPILER_FILE, {
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: TRANSPILER_HEAP_MB },
  });
  w.unref(); // it never keeps the host (or the CLI) alive
  w.on("error", () => undefined); // it exits; the next run starts another
  w.once("exit", () => {
    if (transpiler === w) transpiler = null;
  });
  return (transpiler = w);
}

/** A port a new run worker transpiles through (transfer it to that worker). */
export function transpilerPort(): MessagePort {
  const { port1, port2 } = new MessageChannel();
  const message: ToTranspiler = { type: "connect", port: port2 };
  transpilerWorker().postMessage(message, [port2]);
  return port1;
}

export function disposeTranspiler(): void {
  void transpiler?.terminate();
  transpiler = null;
}
