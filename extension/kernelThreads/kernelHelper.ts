/**
 * A kernel helper thread (helperPool.ts starts it): serves the engine's split GEMMs and
 * convolutions (engine/kernels/kernelHelper.ts) on the shared memory it is given, switching
 * to another when the pool posts one. It loads only the engine's kernels, runs no model code
 * and never returns to its event loop: it blocks in Atomics.wait between jobs, and reads the
 * pool's messages synchronously when it wakes.
 *
 * Thread: a helper, started by a run worker or by a process that installs kernel threads.
 */
import { parentPort, receiveMessageOnPort, workerData } from "worker_threads";
import { serveKernelJobs } from "../../engine/kernels/kernelHelper";
import type { SharedKernelMemory } from "../../engine/kernels/kernelThreads";
import type { WasmApi } from "../../engine/kernels/wasmModule";
import type { HelperMessage } from "./helperPool";

const port = parentPort!;
serveKernelJobs(workerData as SharedKernelMemory, WebAssembly as unknown as WasmApi, () => {
  const m = receiveMessageOnPort(port)?.message as HelperMessage | undefined;
  if (!m) return null;
  return m.type === "stop" ? "stop" : m.shared;
});
port.close();
