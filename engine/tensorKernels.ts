/**
 * The element-wise and reduction kernels on whole tensors: a tensor's row-major values and its
 * shape go into kernels/ (which know typed arrays and shapes, not Tensor), and the result comes
 * back as a new Tensor. Ops and autograd's gradient arithmetic call these.
 */
import { Tensor, DType } from "./tensor";
import { Shape, broadcastShapes, numelOf, sameShape } from "./shape";
import {
  BinaryKind,
  addValues,
  binaryValues,
  expandValues,
  mapValues,
  scaleValues,
  zipValues,
} from "./kernels/elementwise";
import { extremeAlongValues, sumDimsValues, sumToValues } from "./kernels/reduce";

/** `a (op) b` with broadcasting, into a new tensor of dtype `dtype`. */
export function binary(kind: BinaryKind, a: Tensor, b: Tensor, dtype: DType): Tensor {
  const outShape = sameShape(a.shape, b.shape)
    ? a.shape.slice()
    : broadcastShapes(a.shape, b.shape);
  return Tensor._make(
    binaryValues(kind, a._values, a.shape, b._values, b.shape, outShape),
    outShape,
    dtype,
  );
}

/** A new tensor (float unless `dtype` says otherwise) with `f` applied to every element. */
export function map(a: Tensor, f: (x: number) => number, dtype: DType = "float32"): Tensor {
  return Tensor._make(mapValues(a._values, f), a.shape.slice(), dtype);
}

/** A new float tensor with `f(a[i], b[i])` for same-shape a and b (backward formulas). */
export function zip(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  return Tensor._make(zipValues(a._values, b._values, f), a.shape.slice(), "float32");
}

/** a + b for tensors of one shape (summing gradients). */
export function addSameShape(a: Tensor, b: Tensor): Tensor {
  return Tensor._make(addValues(a._values, b._values), a.shape.slice(), "float32");
}

/** a * s for a number s. */
export function scale(a: Tensor, s: number): Tensor {
  return Tensor._make(scaleValues(a._values, s), a.shape.slice(), "float32");
}

export function fullOf(shape: Shape, value: number, dtype: DType = "float32"): Tensor {
  const out = new Float32Array(numelOf(shape));
  if (value !== 0) out.fill(value);
  return Tensor._make(out, shape.slice(), dtype);
}

export function zerosOf(shape: Shape): Tensor {
  return fullOf(shape, 0);
}

export function onesOf(shape: Shape): Tensor {
  return fullOf(shape, 1);
}

/** Copies `t` broadcast to `shape` (expand, and the backward of sums). */
export function expandTo(t: Tensor, shape: Shape): Tensor {
  return Tensor._make(expandValues(t._values, t.shape, shape), shape.slice(), t.dtype);
}

/** Sum over `dims` (sorted, distinct, non-negative); `keepdim` keeps them as size 1. */
export function sumDims(t: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  const { values, shape } = sumDimsValues(t._values, t.shape, dims, keepdim);
  return Tensor._make(values, shape, t.dtype);
}

/** Sums a gradient down to `shape`, undoing a broadcast (`g` itself when it has that shape). */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  return Tensor._make(sumToValues(g._values, g.shape, shape), shape.slice(), g.dtype);
}

/** Max (or min) along `dim`: values and the index of the first extreme (NaN propagates). */
export function extremeAlong(
  t: Tensor,
  dim: number,
  keepdim: boolean,
  wantMax: boolean,
): [Tensor, Tensor] {
  const { values, indices } = extremeAlongValues(t._values, t.shape, dim, wantMax);
  const shape = t.shape.slice();
  if (keepdim) shape[dim] = 1;
  else shape.splice(dim, 1);
  return [Tensor._make(values, shape, t.dtype), Tensor._make(indices, shape.slice(), "int64")];
}
