/**
 * Reading and writing a strided layout: elements of `shape` at `offset + Σ index[d]·strides[d]`
 * in `store`. `gather` copies them out in row-major order (what every other kernel reads);
 * `scatter` writes row-major values back (an in-place op on a view). The innermost dimension
 * runs as a tight loop, the rest as an odometer.
 */
import type { Shape } from "../shape";

/** Row-major copy of a strided layout; into `out` when given (and large enough). */
export function gather(
  store: Float32Array,
  offset: number,
  shape: Shape,
  strides: readonly number[],
  out?: Float32Array | null,
): Float32Array {
  let n = 1;
  for (const s of shape) n *= s;
  const dst = out && out.length === n ? out : new Float32Array(n);
  if (n === 0) return dst;
  walk(shape, strides, offset, (src, at, len, step) => {
    if (step === 1) dst.set(store.subarray(src, src + len), at);
    else for (let j = 0; j < len; j++) dst[at + j] = store[src + j * step];
  });
  return dst;
}

/** Writes row-major `values` into the strided layout. */
export function scatter(
  store: Float32Array,
  offset: number,
  shape: Shape,
  strides: readonly number[],
  values: Float32Array,
): void {
  if (values.length === 0) return;
  walk(shape, strides, offset, (dst, at, len, step) => {
    if (step === 1) store.set(values.subarray(at, at + len), dst);
    else for (let j = 0; j < len; j++) store[dst + j * step] = values[at + j];
  });
}

/** Adds row-major `values` into the strided layout (places met twice get both). */
export function scatterAdd(
  store: Float32Array,
  offset: number,
  shape: Shape,
  strides: readonly number[],
  values: Float32Array,
): void {
  if (values.length === 0) return;
  walk(shape, strides, offset, (dst, at, len, step) => {
    for (let j = 0; j < len; j++) store[dst + j * step] += values[at + j];
  });
}

/**
 * Calls `row(storeIndex, rowMajorIndex, length, step)` for every innermost row of the layout,
 * in row-major order.
 */
function walk(
  shape: Shape,
  strides: readonly number[],
  offset: number,
  row: (storeAt: number, at: number, length: number, step: number) => void,
): void {
  const nd = shape.length;
  if (nd === 0) {
    row(offset, 0, 1, 1);
    return;
  }
  const len = shape[nd - 1];
  const step = strides[nd - 1];
  const index = new Array<number>(nd - 1).fill(0);
  let src = offset;
  for (let at = 0; ; at += len) {
    row(src, at, len, step);
    // advance the odometer over the outer dims
    let d = nd - 2;
    for (; d >= 0; d--) {
      index[d]++;
      src += strides[d];
      if (index[d] < shape[d]) break;
      src -= strides[d] * shape[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

/** Whether two elements of the layout share a place in memory (a stride of 0, say). */
export function overlaps(shape: Shape, strides: readonly number[]): boolean {
  const dims = shape.map((_, i) => i).filter((i) => shape[i] > 1);
  dims.sort((a, b) => strides[a] - strides[b]);
  let span = 1;
  for (const d of dims) {
    if (strides[d] < span) return true;
    span = strides[d] * (shape[d] - 1) + span;
  }
  return false;
}
