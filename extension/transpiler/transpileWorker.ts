/**
 * The long-lived worker that holds TypeScript (a 9 MB library that takes half a second to load)
 * so that the short-lived workers running user code do not have to. It runs no user code: it
 * only transpiles text. Each run worker gets its own MessagePort to it (transpilerHost.ts) and
 * waits for the answer synchronously (transpileClient.ts), because `require` is synchronous.
 */
import { parentPort, type MessagePort } from "worker_threads";
import { transpile } from "./transpile";
import type { ToTranspiler, TranspileReply, TranspileRequest } from "../runProtocol/messages";
import type { Transpiled } from "../runProtocol/transpiled";

/** Results by file and text: re-running an unchanged file (Run Backward) transpiles nothing. */
const cache = new Map<string, Transpiled>();
const CACHE_ENTRIES = 64;

function cachedTranspile(file: string, source: string): Transpiled {
  const key = `${file}\0${source}`;
  let result = cache.get(key);
  if (result)
    cache.delete(key); // re-inserted below: the newest use goes last
  else result = transpile(file, source);
  cache.set(key, result);
  if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  return result;
}

function answer(port: MessagePort, request: TranspileRequest): void {
  let reply: TranspileReply;
  try {
    reply = { id: request.id, ok: true, result: cachedTranspile(request.file, request.source) };
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

// Warm TypeScript's JIT before the first user file arrives.
transpile(
  "/gradlens-warm-up.ts",
  'import * as torch from "gradlens";\nconst x = torch.ones(2).mul(3);\n',
);

parentPort!.on("message", (message: ToTranspiler) => {
  if (message.type !== "connect") return;
  message.port.on("message", (request: TranspileRequest) => answer(message.port, request));
});
