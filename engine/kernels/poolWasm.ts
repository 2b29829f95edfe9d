/**
 * Max and average pooling in WebAssembly (wasm/pool.wat): planes are copied into the module's
 * memory in chunks (memcpy), pooled there, and the results copied out into new arrays. The
 * module makes the JS loops' comparisons and double-precision sums in the same order, so its
 * results have the same bits (tests compare the two on every path). Null where WebAssembly
 * SIMD is missing: pool.ts then runs its JS loops.
 */
import { POOL_WASM_HEX } from "./poolWasmBinary";
import { instantiateWasm, WasmMemory } from "./wasmModule";
import type { AvgOptions, PoolGeometry } from "./poolGeometry";

type Kernel = (...args: number[]) => void;

interface Kernels {
  maxPool: Kernel;
  maxPoolBackward: Kernel;
  avgPool: Kernel;
  memory: WasmMemory;
}

function instantiate(): Kernels | null {
  // nothing here multiplies and adds: one build, as written
  const instance = instantiateWasm({ simd: POOL_WASM_HEX, relaxed: POOL_WASM_HEX }, "simd");
  if (!instance) return null;
  const ex = instance.exports;
  return {
    maxPool: ex.maxPool as Kernel,
    maxPoolBackward: ex.maxPoolBackward as Kernel,
    avgPool: ex.avgPool as Kernel,
    memory: ex.mem as WasmMemory,
  };
}

// made when the engine loads: the model sandbox removes the WebAssembly global before model code runs
const kernels: Kernels | null = instantiate();

/** Whether the WebAssembly kernels can run here. */
export const poolWasmAvailable = kernels !== null;

/** Planes per chunk are capped so that the module's memory stays near this many floats. */
const CHUNK_FLOATS = 1 << 20;
/** Room after each region: the vector gather may read 32 bytes past its last float. */
const SLACK = 8;

/** Float offsets of consecutive regions of `sizes` floats, 16-byte aligned, with room after each. */
function regionsFor(sizes: number[]): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const n of sizes) {
    starts.push(at);
    at += Math.ceil((n + SLACK) / 4) * 4;
  }
  starts.push(at);
  return starts;
}

/** The module's memory as floats; a new view only when the memory grew. */
let floats = new Float32Array(0);

/** The module's memory as floats, grown to hold at least `n`. */
function memoryOf(k: Kernels, n: number): Float32Array {
  const need = n * 4 - k.memory.buffer.byteLength;
  if (need > 0) k.memory.grow(Math.ceil(need / 65536));
  if (floats.buffer !== k.memory.buffer) floats = new Float32Array(k.memory.buffer);
  return floats;
}

/** Runs `each(first, count)` over chunks of planes, each at most CHUNK_FLOATS over all regions. */
function forPlaneChunks(
  planes: number,
  floatsPerPlane: number,
  each: (p0: number, n: number) => void,
): void {
  const perChunk = Math.max(1, Math.floor(CHUNK_FLOATS / floatsPerPlane));
  for (let p0 = 0; p0 < planes; p0 += perChunk) each(p0, Math.min(perChunk, planes - p0));
}

/** maxPool2d of pool.ts in WebAssembly, or null where it cannot run. */
export function maxPool2dWasm(
  x: Float32Array,
  g: PoolGeometry,
): { values: Float32Array; indices: Float32Array } | null {
  const k = kernels;
  if (!k) return null;
  const { planes, H, W, OH, OW } = g;
  const HW = H * W;
  const L = OH * OW;
  const values = new Float32Array(planes * L);
  const indices = new Float32Array(planes * L);
  forPlaneChunks(planes, HW + 2 * L, (p0, n) => {
    const [xAt, vAt, iAt, end] = regionsFor([n * HW, n * L, n * L]);
    const mem = memoryOf(k, end);
    mem.set(x.subarray(p0 * HW, (p0 + n) * HW), xAt);
    k.maxPool(4 * xAt, 4 * vAt, 4 * iAt, n, H, W, OH, OW, g.kH, g.kW, g.sH, g.sW, g.pH, g.pW, g.dH, g.dW); // prettier-ignore
    values.set(mem.subarray(vAt, vAt + n * L), p0 * L);
    indices.set(mem.subarray(iAt, iAt + n * L), p0 * L);
  });
  return { values, indices };
}

/** maxPool2dBackward of pool.ts in WebAssembly, or null where it cannot run. */
export function maxPool2dBackwardWasm(
  gOut: Float32Array,
  indices: Float32Array,
  g: PoolGeometry,
): Float32Array | null {
  const k = kernels;
  if (!k) return null;
  const HW = g.H * g.W;
  const L = g.OH * g.OW;
  const gx = new Float32Array(g.planes * HW);
  forPlaneChunks(g.planes, HW + 2 * L, (p0, n) => {
    const [gAt, iAt, xAt, end] = regionsFor([n * L, n * L, n * HW]);
    const mem = memoryOf(k, end);
    mem.set(gOut.subarray(p0 * L, (p0 + n) * L), gAt);
    mem.set(indices.subarray(p0 * L, (p0 + n) * L), iAt);
    k.maxPoolBackward(4 * gAt, 4 * iAt, 4 * xAt, n, HW, L);
    gx.set(mem.subarray(xAt, xAt + n * HW), p0 * HW);
  });
  return gx;
}

/**
 * avgPool2d (`forward`) or avgPool2dBackward of pool.ts in WebAssembly: `from` is the input
 * or the output gradient; null where it cannot run.
 */
export function avgPool2dWasm(
  forward: boolean,
  from: Float32Array,
  g: PoolGeometry,
  opts: AvgOptions,
): Float32Array | null {
  const k = kernels;
  if (!k) return null;
  const HW = g.H * g.W;
  const L = g.OH * g.OW;
  const [inPer, outPer] = forward ? [HW, L] : [L, HW];
  const out = new Float32Array(g.planes * outPer);
  // NaN: no divisor given (the module divides by the window's size)
  const override = opts.divisorOverride ?? NaN;
  forPlaneChunks(g.planes, HW + L, (p0, n) => {
    const [inAt, outAt, end] = regionsFor([n * inPer, n * outPer]);
    const mem = memoryOf(k, end);
    mem.set(from.subarray(p0 * inPer, (p0 + n) * inPer), inAt);
    k.avgPool(forward ? 1 : 0, 4 * inAt, 4 * outAt, n, g.H, g.W, g.OH, g.OW, g.kH, g.kW, g.sH, g.sW, g.pH, g.pW, opts.countIncludePad ? 1 : 0, override); // prettier-ignore
    out.set(mem.subarray(outAt, outAt + n * outPer), p0 * outPer);
  });
  return out;
}
