/**
 * The run worker's side of the transpiler (transpileWorker.ts): a synchronous call, because the
 * loader's `require` is synchronous. The request goes out on this worker's own port; the thread
 * then sleeps in Atomics.wait until the transpiler has queued its reply and raised the flag.
 */
import { receiveMessageOnPort, type MessagePort } from "worker_threads";
import type { TranspileReply, TranspileRequest } from "../runProtocol/messages";
import type { TranspileFn } from "../runProtocol/transpiled";

export function transpilerClient(port: MessagePort, limitMs: number): TranspileFn {
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  let nextId = 0;
  return (file, source) => {
    const id = ++nextId;
    Atomics.store(flag, 0, 0);
    const request: TranspileRequest = { id, file, source, signal };
    port.postMessage(request);
    if (Atomics.wait(flag, 0, 0, limitMs) === "timed-out") {
      throw new Error(`Gradlens's TypeScript transpiler did not answer within ${limitMs / 1000} s`);
    }
    // A reply to an earlier request that timed out may still be queued: skip it.
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
      const reply = m.message as TranspileReply;
      if (reply.id !== id) continue;
      if (!reply.ok) throw new Error(`Gradlens could not transpile ${file}: ${reply.message}`);
      return reply.result;
    }
    throw new Error("Gradlens's TypeScript transpiler answered without a result");
  };
}
