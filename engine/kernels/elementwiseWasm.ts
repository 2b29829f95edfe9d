/**
 * Whole-array elementwise loops in WebAssembly SIMD (wasm/elementwise.wat): operands enter the
 * module's fixed memory in chunks by memcpy (`TypedArray.set`) and leave the same way. A JS loop
 * over Float32Arrays widens each value to a double and back and runs three to five times
 * slower than the copies and a vector loop together, so past a few hundred elements this wins;
 * below that, and where WebAssembly SIMD is missing, the JS loop runs. Every function gives
 * the JS loop's bits exactly (one float32 rounding per result, NaN and signed zeros alike).
 */
import { ELEMENTWISE_WASM_HEX } from "./elementwiseWasmBinary";
import { instantiateWasm } from "./wasmModule";

/** Floats per operand per chunk: the module's 8 pages (512 KB) hold three. */
const CHUNK = 1 << 15;
/** Below this many floats the copies cost more than the JS loop. */
const WASM_FROM = 256;

type Kernel = (...byteAddresses: number[]) => void;

/** a[s, s + n), without a new view when that is all of `a`. */
function part(a: Float32Array, s: number, n: number): Float32Array {
  return s === 0 && n === a.length ? a : a.subarray(s, s + n);
}

/**
 * Runs `kernel(out, a, [b,] n)` over chunks: `a` copied to region 1, `b` (when given) to region
 * 2 (CHUNK floats each), `out` read back from region 0; `out` is also copied in first when
 * `outIsInput`. No arrays or closures per call: it runs for every relu and gradient sum.
 */
function chunked(
  mem: Float32Array,
  kernel: Kernel,
  out: Float32Array,
  a: Float32Array,
  b: Float32Array | null,
  outIsInput: boolean,
): void {
  for (let s = 0; s < out.length; s += CHUNK) {
    const n = Math.min(CHUNK, out.length - s);
    if (outIsInput) mem.set(part(out, s, n), 0);
    mem.set(part(a, s, n), CHUNK);
    if (b) mem.set(part(b, s, n), 2 * CHUNK);
    // the vector loops run over whole vectors: lanes past n are computed and never read
    const vectors = Math.ceil(n / 4) * 4;
    if (b) kernel(0, CHUNK * 4, 2 * CHUNK * 4, vectors);
    else kernel(0, CHUNK * 4, vectors);
    out.set(mem.subarray(0, n), s);
  }
}

interface Kernels {
  addInto: Kernel;
  relu: Kernel;
  reluBackward: Kernel;
  mem: Float32Array;
}

function instantiate(): Kernels | null {
  // nothing here multiplies and adds: one build, as written
  const hex = ELEMENTWISE_WASM_HEX;
  const instance = instantiateWasm({ simd: hex, relaxed: hex }, "simd");
  if (!instance) return null;
  const ex = instance.exports;
  const mem = new Float32Array((ex.mem as { buffer: ArrayBuffer }).buffer);
  return { addInto: ex.addInto as Kernel, relu: ex.relu as Kernel, reluBackward: ex.reluBackward as Kernel, mem }; // prettier-ignore
}

// made when the engine loads, as the other modules are: the model sandbox removes the
// WebAssembly global before model code runs
const instance: Kernels | null = instantiate();

/** The kernels when `n` floats are worth copying and the runtime has WebAssembly SIMD. */
function kernelsFor(n: number, useWasm: boolean): Kernels | null {
  return useWasm && n >= WASM_FROM ? instance : null;
}

/** into[i] += add[i] for every i of `into` (`add` at least as long), as PyTorch's `add_`. */
export function addInPlace(into: Float32Array, add: Float32Array, useWasm = true): void {
  const k = kernelsFor(into.length, useWasm);
  if (k) chunked(k.mem, k.addInto, into, add, null, true);
  else for (let i = 0; i < into.length; i++) into[i] += add[i];
}

/** y[i] = max(x[i], 0) with NaN kept and -0 made +0 (`x ≤ 0 ? 0 : x`). */
export function reluInto(x: Float32Array, y: Float32Array, useWasm = true): void {
  const k = kernelsFor(x.length, useWasm);
  if (k) chunked(k.mem, k.relu, y, x, null, false);
  else
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      y[i] = v <= 0 ? 0 : v;
    }
}

/** relu's input gradient from its output y: out[i] = g[i]·(y[i] ≤ 0 ? 0 : 1), 0·NaN = NaN. */
export function reluBackwardInto(
  g: Float32Array,
  y: Float32Array,
  out: Float32Array,
  useWasm = true,
): void {
  const k = kernelsFor(g.length, useWasm);
  if (k) chunked(k.mem, k.reluBackward, out, g, y, false);
  else for (let i = 0; i < g.length; i++) out[i] = g[i] * (y[i] <= 0 ? 0 : 1);
}
