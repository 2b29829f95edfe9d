/**
 * Whole-array elementwise loops in WebAssembly SIMD (wasm/elementwise.wat): operands enter the
 * module's fixed memory in chunks by memcpy (`TypedArray.set`) and leave the same way. A JS loop
 * over Float32Arrays widens each value to a double and back and runs three to five times
 * slower than the copies and a vector add together, so past a few hundred elements this wins;
 * below that, and where WebAssembly SIMD is missing, the JS loop runs.
 */
import { ELEMENTWISE_WASM_HEX } from "./elementwiseWasmBinary";
import { instantiateWasm } from "./wasmModule";

type AddIntoFn = (dst: number, src: number, n: number) => void;

/** Floats per operand per chunk: the module's 8 pages (512 KB) hold two. */
const CHUNK = 1 << 16;
/** Below this many floats the copies cost more than the JS loop. */
const WASM_FROM = 256;

function instantiate(): ((into: Float32Array, add: Float32Array) => void) | null {
  // there is nothing to fuse in an add: one build, as written
  const instance = instantiateWasm(
    { simd: ELEMENTWISE_WASM_HEX, relaxed: ELEMENTWISE_WASM_HEX },
    "simd",
  );
  if (!instance) return null;
  const mem = new Float32Array((instance.exports.mem as { buffer: ArrayBuffer }).buffer);
  const addInto = instance.exports.addInto as AddIntoFn;
  return (into, add) => {
    for (let s = 0; s < into.length; s += CHUNK) {
      const n = Math.min(CHUNK, into.length - s);
      mem.set(into.subarray(s, s + n), 0);
      mem.set(add.subarray(s, s + n), CHUNK);
      addInto(0, CHUNK * 4, n);
      into.set(mem.subarray(0, n), s);
    }
  };
}

let wasmAdd: ((into: Float32Array, add: Float32Array) => void) | null | undefined;

/**
 * into[i] += add[i] for every i of `into` (`add` at least as long), in float32 as PyTorch's
 * `add_` rounds: each sum rounded once, NaN and infinities as IEEE says.
 */
export function addInPlace(into: Float32Array, add: Float32Array, useWasm = true): void {
  if (wasmAdd === undefined) wasmAdd = instantiate();
  if (useWasm && wasmAdd && into.length >= WASM_FROM) {
    wasmAdd(into, add);
    return;
  }
  for (let i = 0; i < into.length; i++) into[i] += add[i];
}
