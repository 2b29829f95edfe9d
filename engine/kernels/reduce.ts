/**
 * Reductions on contiguous storage. A reduction over one dimension sees the tensor as
 * [outer, size, inner] and sums (or takes the max) along the middle; several dimensions are
 * reduced one after another.
 */
import { Shape, numelOf } from "../shape";

/** [outer, size, inner] for a reduction over `dim`. */
function split3(shape: Shape, dim: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape[dim], inner];
}

/** Sum over one dimension, keeping it with size 1. */
function sumOneDim(values: Float32Array, shape: Shape, dim: number): [Float32Array, number[]] {
  const [outer, size, inner] = split3(shape, dim);
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    const ob = o * inner;
    for (let s = 0; s < size; s++) {
      const row = base + s * inner;
      for (let i = 0; i < inner; i++) out[ob + i] += values[row + i];
    }
  }
  const newShape = shape.slice();
  newShape[dim] = 1;
  return [out, newShape];
}

/** Values and shape of a reduction's result. */
export interface Reduced {
  values: Float32Array;
  shape: number[];
}

/**
 * Sum over `dims` (sorted, distinct, non-negative); `keepdim` keeps them as size 1. The result
 * never shares `values`.
 */
export function sumDimsValues(values: Float32Array, shape: Shape, dims: readonly number[], keepdim: boolean): Reduced {
  if (dims.length === shape.length && !keepdim) {
    // Full reduction in one pass; JS accumulates in double precision (PyTorch: a float32
    // cascade sum), so results agree with PyTorch to float32 rounding.
    let s = 0;
    for (let i = 0; i < values.length; i++) s += values[i];
    return { values: Float32Array.of(s), shape: [] };
  }
  let out = values;
  let cur: number[] = shape.slice();
  for (const d of dims) [out, cur] = sumOneDim(out, cur, d);
  if (out === values) out = values.slice();
  return { values: out, shape: keepdim ? cur : cur.filter((_, i) => !dims.includes(i)) };
}

/** The dims of `from` that broadcasting `shape` to it added or stretched (what `sumTo` sums). */
export function broadcastDims(from: Shape, shape: Shape): number[] {
  const lead = from.length - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < from.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && from[i] !== 1)) dims.push(i);
  }
  return dims;
}

/**
 * Sums a gradient of shape `from` down to `to`, undoing a broadcast: leading dims are summed
 * away, dims where `to` has 1 are summed and kept. The one place broadcasting is undone. The
 * result never shares `values`.
 */
export function sumToValues(values: Float32Array, from: Shape, to: Shape): Float32Array {
  const dims = broadcastDims(from, to);
  let out = values;
  let cur: number[] = from.slice();
  for (const d of dims) [out, cur] = sumOneDim(out, cur, d);
  if (out === values) out = values.slice();
  if (numelOf(to) !== out.length) throw new Error(`sumTo: cannot reduce [${from}] to [${to}]`);
  return out;
}

/** Max (or min) along `dim`: values and the index of the first extreme (NaN propagates). */
export function extremeAlongValues(
  v: Float32Array,
  shape: Shape,
  dim: number,
  wantMax: boolean,
): { values: Float32Array; indices: Float32Array } {
  const [outer, size, inner] = split3(shape, dim);
  const vals = new Float32Array(outer * inner);
  const idx = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let best = v[base];
      let bestAt = 0;
      for (let s = 1; s < size && best === best; s++) {
        const x = v[base + s * inner];
        if (x !== x || (wantMax ? x > best : x < best)) {
          best = x;
          bestAt = s;
        }
      }
      vals[o * inner + i] = best;
      idx[o * inner + i] = bestAt;
    }
  }
  return { values: vals, indices: idx };
}

/** Index of the first max (or min) over all elements, NaN first. */
export function extremeIndex(v: Float32Array, wantMax: boolean): number {
  let bestAt = 0;
  for (let i = 1; i < v.length; i++) {
    const x = v[i];
    const best = v[bestAt];
    if (best !== best) break;
    if (x !== x || (wantMax ? x > best : x < best)) bestAt = i;
  }
  return bestAt;
}
