/**
 * The run worker's side of kernel threads for its sandboxes (worker/sandboxHost.ts): one
 * helper pool per worker thread, and the check of what a sandbox hands over. Each sandbox's
 * engine makes its own shared kernel memory inside the sandbox (an object of the worker's
 * realm there would hand model code the worker's constructors) and gives it to the worker once,
 * at start, before any model code exists; helpers serve the memory of the sandbox that runs.
 *
 * Thread: the run worker (or a test's thread that runs sandboxes).
 */
import { types } from "util";
import { CONTROL, SharedKernelMemory } from "../../engine/kernels/kernelThreads";
import type { WasmMemory } from "../../engine/kernels/wasmModule";
import { KernelHelperPool } from "./helperPool";

let pool: KernelHelperPool | null = null;

/** This thread's helpers, started on first use. */
export function threadHelpers(): KernelHelperPool {
  pool ??= new KernelHelperPool();
  return pool;
}

/** WebAssembly.Memory's own `buffer` getter: throws unless given a real memory, of any realm. */
const bufferOf = Object.getOwnPropertyDescriptor(WebAssembly.Memory.prototype, "buffer")!.get!;

/**
 * What a sandbox handed over, if it is a shared WebAssembly memory and a control block of the
 * right size (checked with this realm's functions, never the sandbox's); else null.
 */
export function checkedKernelMemory(memory: unknown, control: unknown): SharedKernelMemory | null {
  if (!types.isSharedArrayBuffer(control) || control.byteLength < CONTROL.WORDS * 4) return null;
  try {
    if (!types.isSharedArrayBuffer(bufferOf.call(memory))) return null;
  } catch {
    return null;
  }
  return { memory: memory as WasmMemory, control };
}
