/**
 * The long-lived worker that holds TypeScript (a 9 MB library that takes half a second to load)
 * so that the short-lived workers running user code do not have to. It runs no user code: it
 * only transpiles text. Each run worker gets its own MessagePort to it (transpilerHost.ts) and
 * waits for the answer synchronously (transpileClient.ts), because `require` is synchronous.
 */
import { parentPort, type MessagePort } from "worker_threads";
import { transpile } from "./transpile";
import { TranspileCache } from "./transpileCache";
import { inIdleTurns } from "./idleWarmUp";
import type { ToTranspiler, TranspileReply, TranspileRequest } from "../runProtocol/messages";
import type { Transpiled } from "../runProtocol/transpiled";
import { WARM_UP } from "../worker/warmUp";

const cache = new TranspileCache(transpile);

/** Warm-up transpiles of a model file (the run worker's warm-up model, ~40 lines) in idle turns. */
const WARM_UP_TRANSPILES = 40;
let warming = false;

/**
 * The worker starts at a run's first need: that run's file first, then the warm-up, at once
 * (measured on two busy cores, a warm-up held back until runs paused fell on the next edits).
 */
function transpileFor(file: string, source: string): Transpiled {
  try {
    return cache.get(file, source);
  } finally {
    if (!warming) {
      warming = true;
      // Each text differs (a comment), as a user's edits do; none goes into the cache.
      inIdleTurns(WARM_UP_TRANSPILES, (i) => transpile("/gradlens-warm-up.ts", `${WARM_UP}// ${i}\n`));
    }
  }
}

function answer(port: MessagePort, request: TranspileRequest): void {
  let reply: TranspileReply;
  try {
    reply = { id: request.id, ok: true, result: transpileFor(request.file, request.source) };
  } catch (error) {
    reply = {
      id: request.id,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  port.postMessage(reply);
  // The asker is blocked in Atomics.wait on this cell; the reply is already in its port's queue.
  const signal = new Int32Array(request.signal);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

parentPort!.on("message", (message: ToTranspiler) => {
  switch (message.type) {
    case "connect":
      message.port.on("message", (request: TranspileRequest) => answer(message.port, request));
      break;
    case "prefetch":
      // The host saw the run coming: the run worker will find the file's text in the cache.
      try {
        transpileFor(message.file, message.source);
      } catch {
        // the run worker's own request reports the failure
      }
      break;
  }
});
