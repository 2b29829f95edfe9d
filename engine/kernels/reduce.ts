/**
 * Reductions on contiguous storage. A reduction over one dimension sees the tensor as
 * [outer, size, inner] and sums (or takes the max) along the middle; several dimensions are
 * reduced one after another.
 */
import { Tensor } from "../tensor";
import { Shape, numelOf, sameShape } from "../shape";

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

/** Sum over `dims` (sorted, distinct, non-negative); `keepdim` keeps them as size 1. */
export function sumDims(t: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  let values = t._values;
  let shape: number[] = t.shape.slice();
  if (dims.length === t.shape.length && !keepdim) {
    // Full reduction in one pass; JS accumulates in double precision (PyTorch: a float32
    // cascade sum), so results agree with PyTorch to float32 rounding.
    let s = 0;
    for (let i = 0; i < values.length; i++) s += values[i];
    return Tensor._make(Float32Array.of(s), [], t.dtype);
  }
  for (const d of dims) [values, shape] = sumOneDim(values, shape, d);
  if (values === t._values) values = values.slice();
  const outShape = keepdim ? shape : shape.filter((_, i) => !dims.includes(i));
  return Tensor._make(values, outShape, t.dtype);
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
 * Sums a gradient down to `shape`, undoing a broadcast: leading dims are summed away, dims
 * where `shape` has 1 are summed and kept. The one place broadcasting is undone.
 */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const dims = broadcastDims(g.shape, shape);
  let values = g._values;
  let cur: number[] = g.shape.slice();
  for (const d of dims) [values, cur] = sumOneDim(values, cur, d);
  if (values === g._values) values = values.slice();
  if (numelOf(shape) !== values.length) throw new Error(`sumTo: cannot reduce [${g.shape}] to [${shape}]`);
  return Tensor._make(values, shape.slice(), g.dtype);
}

/** Max (or min) along `dim`: values and the index of the first extreme (NaN propagates). */
export function extremeAlong(t: Tensor, dim: number, keepdim: boolean, wantMax: boolean): [Tensor, Tensor] {
  const [outer, size, inner] = split3(t.shape, dim);
  const v = t._values;
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
  const shape = t.shape.slice();
  if (keepdim) shape[dim] = 1;
  else shape.splice(dim, 1);
  return [Tensor._make(vals, shape, t.dtype), Tensor._make(idx, shape.slice(), "int64")];
}

/** Index of the first max (or min) over all elements, NaN first. */
export function extremeIndex(t: Tensor, wantMax: boolean): number {
  const v = t._values;
  let bestAt = 0;
  for (let i = 1; i < v.length; i++) {
    const x = v[i];
    const best = v[bestAt];
    if (best !== best) break;
    if (x !== x || (wantMax ? x > best : x < best)) bestAt = i;
  }
  return bestAt;
}
