/** Joining and splitting: cat, stack, split, chunk (unbind is a view op: ops/strided.ts). */
import { defineOp, traced } from "../autograd/apply";
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";
import { bracketed, normalizeDim, numelOf } from "../shape";
import { sliceCopy, sliceInto } from "../kernels/layout";
import { promoteTypes } from "./binary";
import { narrow, select, unsqueeze, viewOf } from "./view";

export const Cat = defineOp<{ dim: number }>({
  name: "CatBackward0",
  forward(_ctx, inputs, { dim }) {
    const shape = inputs[0].shape.slice();
    shape[dim] = inputs.reduce((n, t) => n + t.shape[dim], 0);
    const out = new Float32Array(numelOf(shape));
    let at = 0;
    for (const t of inputs) {
      sliceInto(out, shape, dim, at, t._values);
      at += t.shape[dim];
    }
    return Tensor._make(out, shape, inputs.map((t) => t.dtype).reduce(promoteTypes));
  },
  // each input's gradient is its slice of the output's gradient
  backward(ctx, [g], { dim }) {
    let at = 0;
    return ctx.needsInputGrad.map((needed, i) => {
      const size = ctx.inputShape(i)[dim];
      const start = at;
      at += size;
      return needed ? Tensor._make(sliceCopy(g._values, g.shape, dim, start, size), ctx.inputShape(i).slice()) : null;
    });
  },
  graphBackward(ctx, [g], { dim }) {
    let at = 0;
    return ctx.needsInputGrad.map((needed, i) => {
      const start = at;
      at += ctx.inputShape(i)[dim];
      return needed ? narrow(g, dim, start, at - start) : null;
    });
  },
});

/** Concatenates tensors along an existing dimension (`torch.cat`). */
export function cat(tensors: Tensor[], dim = 0): Tensor {
  return traced("cat", [tensors], () => {
    if (tensors.length === 0) throw new RuntimeError("torch.cat(): expected a non-empty list of Tensors");
    const ref = tensors[0];
    const d = normalizeDim(dim, ref.shape.length);
    tensors.forEach((t, i) => {
      if (t.shape.length !== ref.shape.length) {
        throw new RuntimeError(
          `Tensors must have same number of dimensions: got ${ref.shape.length} and ${t.shape.length}`,
          { kind: "joinSizes", dim: d, entry: i, expected: ref.shape.slice(), got: t.shape.slice() },
        );
      }
      t.shape.forEach((s, k) => {
        if (k !== d && s !== ref.shape[k]) {
          throw new RuntimeError(
            `Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${s} for tensor number ${i} in the list.`,
            { kind: "joinSizes", dim: d, entry: i, expected: ref.shape.slice(), got: t.shape.slice() },
          );
        }
      });
    });
    return Cat.apply(tensors, { dim: d });
  });
}

export const Stack = defineOp<{ dim: number }>({
  name: "StackBackward0",
  forward: (_ctx, inputs, { dim }) => cat(inputs.map((t) => unsqueeze(t, dim)), dim),
  backward(ctx, [g], { dim }) {
    return ctx.needsInputGrad.map((needed, i) =>
      needed ? Tensor._make(sliceCopy(g._values, g.shape, dim, i, 1), ctx.inputShape(i).slice()) : null,
    );
  },
  graphBackward: (ctx, [g], { dim }) => ctx.needsInputGrad.map((needed, i) => (needed ? select(g, dim, i) : null)),
  forwardWithoutGrad: true,
});

/** Stacks same-shape tensors along a new dimension (`torch.stack`). */
export function stack(tensors: Tensor[], dim = 0): Tensor {
  return traced("stack", [tensors], () => {
    if (tensors.length === 0) throw new RuntimeError("stack expects a non-empty TensorList");
    const ref = tensors[0];
    tensors.forEach((t, i) => {
      if (t.shape.join() !== ref.shape.join()) {
        throw new RuntimeError(
          `stack expects each tensor to be equal size, but got ${bracketed(ref.shape)} at entry 0 and ${bracketed(t.shape)} at entry ${i}`,
          { kind: "joinSizes", dim, entry: i, expected: ref.shape.slice(), got: t.shape.slice() },
        );
      }
    });
    return Stack.apply(tensors, { dim: normalizeDim(dim, ref.shape.length + 1) });
  });
}

const Split = defineOp<{ dim: number; sizes: number[]; name: string }>({
  name: (a) => a.name,
  forward(_ctx, [x], { dim, sizes }) {
    let at = 0;
    const strides = x.stride(); // each piece is a view of x, from a later first element
    return sizes.map((size) => {
      const shape = x.shape.slice();
      shape[dim] = size;
      const part = viewOf(x, shape, strides, x.storageOffset() + at * strides[dim]);
      part._multiView = true;
      at += size;
      return part;
    });
  },
  // the pieces' gradients side by side (zeros for pieces no gradient reached)
  backward(ctx, grads, { dim }) {
    const shape = ctx.inputShape(0);
    const out = new Float32Array(numelOf(shape));
    let at = 0;
    for (const g of grads) {
      sliceInto(out, shape, dim, at, g._values);
      at += g.shape[dim];
    }
    return [Tensor._make(out, shape.slice())];
  },
  graphBackward: (_ctx, grads, { dim }) => [cat(grads, dim)],
});

/** Splits into pieces of `splitSize` (the last may be smaller) or of the given sizes. */
export function split(x: Tensor, splitSize: number | number[], dim = 0): Tensor[] {
  return traced("split", [x], () => {
    const d = normalizeDim(dim, x.shape.length);
    const size = x.shape[d];
    let sizes: number[];
    if (Array.isArray(splitSize)) {
      const total = splitSize.reduce((a, b) => a + b, 0);
      if (total !== size) {
        throw new RuntimeError(
          `split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split_sizes=${bracketed(splitSize)}`,
        );
      }
      sizes = splitSize;
    } else {
      if (splitSize <= 0 && size > 0) throw new RuntimeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${size}`);
      sizes = [];
      for (let at = 0; at < size; at += splitSize) sizes.push(Math.min(splitSize, size - at));
    }
    const name = Array.isArray(splitSize) ? "SplitWithSizesBackward0" : "SplitBackward0";
    return Split.applyMulti([x], { dim: d, sizes, name });
  });
}

/** Splits into `chunks` nearly equal pieces (`torch.chunk`). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  return traced("chunk", [x], () => {
    const d = normalizeDim(dim, x.shape.length);
    return split(x, Math.ceil(x.shape[d] / chunks), d);
  });
}

/**
 * `unsafe_chunk`: `chunk` whose pieces are not views (`UnsafeSplitBackward0`), what ATen's
 * recurrent cells use to cut their gates apart.
 */
export function unsafeChunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  const d = normalizeDim(dim, x.shape.length);
  const size = x.shape[d];
  const piece = Math.ceil(size / chunks);
  const sizes: number[] = [];
  for (let at = 0; at < size; at += piece) sizes.push(Math.min(piece, size - at));
  return Split.applyMulti([x], { dim: d, sizes, name: "UnsafeSplitBackward0" });
}

