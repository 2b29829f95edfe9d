/** The WebAssembly SIMD GEMM backend; not written yet, so the JS backend runs everywhere. */
import type { GemmBackend } from "./gemmBlocked";

/** The SIMD backend, or null where the runtime cannot run it (for now: always null). */
export function wasmBackend(): GemmBackend | null {
  return null;
}
