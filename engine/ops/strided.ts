/**
 * Views given by explicit geometry: `diagonal`, `asStrided`, and `unbind` (one view per entry
 * of a dim). Each shares its input's storage; each backward puts the gradient back in place.
 */
import { defineOp, type OpContext } from "../autograd/apply";
import { Tensor } from "../tensor";
import { IndexError, RuntimeError } from "../errors";
import { bracketed, normalizeDim, numelOf, stridesOf, type Shape } from "../shape";
import { gather, scatterAdd } from "../kernels/strided";
import type { Geometry } from "../autograd/viewHistory";
import { viewOf } from "./view";
import { stack } from "./join";

/** A zero gradient of `shape` with `values` added where `geometry` (relative to it) points. */
function placed(shape: Shape, offset: number, viewShape: Shape, viewStrides: readonly number[], values: Float32Array, room = numelOf(shape)): Float32Array {
  const out = new Float32Array(room);
  scatterAdd(out, offset, viewShape, viewStrides, values);
  return out;
}

interface DiagonalAttrs {
  offset: number;
  dim1: number;
  dim2: number;
}

/** The diagonal's shape, strides and first element relative to `shape`'s row-major layout. */
function diagonalGeometry(shape: Shape, strides: readonly number[], { offset, dim1, dim2 }: DiagonalAttrs) {
  const length = Math.max(0, offset >= 0 ? Math.min(shape[dim1], shape[dim2] - offset) : Math.min(shape[dim1] + offset, shape[dim2]));
  const keep = shape.map((_, d) => d).filter((d) => d !== dim1 && d !== dim2);
  const start = length === 0 ? 0 : offset >= 0 ? offset * strides[dim2] : -offset * strides[dim1];
  return {
    shape: [...keep.map((d) => shape[d]), length],
    strides: [...keep.map((d) => strides[d]), strides[dim1] + strides[dim2]],
    start,
  };
}

const Diagonal = defineOp<DiagonalAttrs>({
  name: "DiagonalBackward0",
  forward(_ctx, [x], attrs) {
    const g = diagonalGeometry(x.shape, x.stride(), attrs);
    return viewOf(x, g.shape, g.strides, x.storageOffset() + g.start);
  },
  // the gradient goes back onto the diagonal; zeros elsewhere
  backward(ctx, [g], attrs) {
    const shape = ctx.inputShape(0);
    const d = diagonalGeometry(shape, stridesOf(shape), attrs);
    return [Tensor._make(placed(shape, d.start, d.shape, d.strides, g._values), shape.slice())];
  },
});

export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const n = x.shape.length;
  const a = normalizeDim(dim1, n);
  const b = normalizeDim(dim2, n);
  if (a === b) throw new RuntimeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  return Diagonal.apply([x], { offset, dim1: a, dim2: b });
}

interface AsStridedAttrs {
  size: number[];
  stride: number[];
  storageOffset: number;
  /** Where the input's own elements are in the storage. */
  input: Geometry;
}

const AsStrided = defineOp<AsStridedAttrs>({
  name: "AsStridedBackward0",
  forward: (_ctx, [x], { size, stride, storageOffset }) => viewOf(x, size.slice(), stride, storageOffset),
  // every place the view reads gets its gradient (summed where the view reads one place twice),
  // read back in the input's own layout
  backward(_ctx, [g], { size, stride, storageOffset, input }) {
    const { offset, strides, shape, storageLength } = input;
    const room = placed(shape, storageOffset, size, stride, g._values, storageLength);
    return [Tensor._make(gather(room, offset, shape, strides), shape.slice())];
  },
});

/** PyTorch's `as_strided(size, stride, storage_offset?)`: any geometry over the same storage. */
export function asStrided(x: Tensor, size: number[], stride: number[], storageOffset?: number): Tensor {
  if (size.length !== stride.length) {
    throw new RuntimeError(`mismatch in length of strides and shape`);
  }
  const start = storageOffset ?? x.storageOffset();
  let last = start;
  for (let d = 0; d < size.length; d++) if (size[d] > 0) last += (size[d] - 1) * stride[d];
  const room = x._geometry().storageLength;
  if (size.every((s) => s > 0) && last >= room) {
    throw new RuntimeError(
      `setStorage: sizes ${bracketed(size)}, strides ${bracketed(stride)}, storage offset ${start}, and itemsize 4 requiring a storage size of ${(last + 1) * 4} are out of bounds for storage of size ${room * 4}`,
    );
  }
  return AsStrided.apply([x], { size, stride, storageOffset: start, input: x._geometry() });
}

const Unbind = defineOp<{ dim: number }>({
  name: "UnbindBackward0",
  forward(_ctx, [x], { dim }) {
    const strides = x.stride();
    const shape = x.shape.filter((_, d) => d !== dim);
    const rest = strides.filter((_, d) => d !== dim);
    return Array.from({ length: x.shape[dim] }, (_, i) => {
      const part = viewOf(x, shape.slice(), rest, x.storageOffset() + i * strides[dim]);
      part._multiView = true;
      return part;
    });
  },
  backward: stackedBack,
  graphBackward: stackedBack, // stack records itself when grad mode is on
});

/** The pieces' gradients stacked back along dim (zeros for pieces no gradient reached). */
function stackedBack(ctx: OpContext, grads: (Tensor | null)[], { dim }: { dim: number }): Tensor[] {
  const part = ctx.inputShape(0).filter((_, d) => d !== dim);
  const filled = grads.map((g) => g ?? Tensor._make(new Float32Array(numelOf(part)), part.slice()));
  return [stack(filled, dim)];
}

/** The entries of `dim`, each a view without that dim (PyTorch's `unbind`). */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  if (x.shape.length === 0) throw new IndexError("Dimension specified as 0 but tensor has no dimensions");
  return Unbind.applyMulti([x], { dim: normalizeDim(dim, x.shape.length) });
}
