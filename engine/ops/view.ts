/**
 * View ops: each result shares its input's storage with a geometry of its own (shape, strides,
 * offset), as PyTorch's views do, so that writes through a view reach its base and `view`
 * succeeds or fails exactly as in PyTorch; `reshape`/`contiguous` add the same nodes
 * (`ViewBackward0`, or `CloneBackward0` + `UnsafeViewBackward0`) that a PyTorch user sees.
 */
import { defineOp, traced } from "../autograd/apply";
import type { FailureReason } from "../failureReasons";
import { Tensor } from "../tensor";
import { RuntimeError, IndexError, ValueError } from "../errors";
import { Shape, bracketed, inferViewShape, normalizeDim, numelOf, stridesOf } from "../shape";
import { sumTo } from "../tensorKernels";
import { sumToRecorded } from "./gradGraph";
import { scatter } from "../kernels/strided";

/** PyTorch's strides of `t`. */
export function torchStrides(t: Tensor): number[] {
  return t._torchStrides ?? stridesOf(t.shape);
}

/**
 * A view of `x`: its storage (and version counter) with the given geometry, remembering the
 * tensor it views (`_base`, the root base, for in-place changes through it).
 */
export function viewOf(x: Tensor, shape: number[], strides: readonly number[] | null, offset: number): Tensor {
  const out = Tensor._view(x, shape, strides, offset);
  out._base = x._base ?? x;
  return out;
}

/**
 * Whether strides cover one block without gaps or overlaps (contiguous up to a permutation of
 * dims): PyTorch's `is_non_overlapping_and_dense`, the layouts `clone()` keeps.
 */
function isDense(shape: Shape, strides: readonly number[]): boolean {
  const dims = shape.map((_, i) => i).filter((i) => shape[i] !== 1);
  dims.sort((a, b) => strides[a] - strides[b]);
  let expected = 1;
  for (const d of dims) {
    if (strides[d] !== expected) return false;
    expected *= shape[d];
  }
  return true;
}

/** A result sharing `t`'s storage from the same first element, with the given shape and strides. */
function alias(t: Tensor, shape: number[], strides: readonly number[] | null): Tensor {
  return viewOf(t, shape, strides, t.storageOffset());
}

/** ATen's computeStride: the strides of a view of (shape, strides) as `newShape`, or null. */
function viewStrides(shape: Shape, strides: readonly number[], newShape: Shape): number[] | null {
  if (numelOf(shape) === 0 || shape.length === 0) return stridesOf(newShape);
  const out = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBase = strides[strides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    tensorNumel *= shape[d];
    if (d === 0 || (shape[d - 1] !== 1 && strides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = strides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}

/**
 * A reinterpretation of the same elements in a new shape; the gradient is reshaped back.
 * `asked`: the shape the user's call gave (`-1` not yet inferred), for the editor's hints.
 */
const reshapeLike = (name: string) =>
  defineOp<{ shape: number[]; strides: number[] | null; asked?: readonly number[] }>({
    name,
    forward: (_ctx, [x], { shape, strides }) => alias(x, shape.slice(), strides),
    backward: (ctx, [g]) => [g._alias(ctx.inputShape(0).slice())],
    graphBackward: (ctx, [g]) => [reshape(g, ctx.inputShape(0).slice())],
  });
export const View = reshapeLike("ViewBackward0");
/** `reshape` that can be a view: PyTorch 1.13 calls `_reshape_alias`, not `view`. */
export const ReshapeAlias = reshapeLike("ReshapeAliasBackward0");
export const UnsafeView = reshapeLike("UnsafeViewBackward0");
export const Unsqueeze = reshapeLike("UnsqueezeBackward0");
const SqueezeAll = reshapeLike("SqueezeBackward0");
const SqueezeDim = reshapeLike("SqueezeBackward1");
/** In-place `squeeze_(dim)`, as ATen's matmul applies it to a fresh result. */
export const SqueezeDimInPlace = reshapeLike("SqueezeBackward3");

const VIEW_ERROR =
  "view size is not compatible with input tensor's size and stride (at least one dimension spans " +
  "across two contiguous subspaces). Use .reshape(...) instead.";

export function view(x: Tensor, shape: number[]): Tensor {
  return traced("view", [x], () => {
    const newShape = inferViewShape(shape, x.numel());
    const strides = viewStrides(x.shape, torchStrides(x), newShape);
    if (!strides) {
      throw new RuntimeError(VIEW_ERROR, { kind: "viewStrides", shape: x.shape.slice(), target: shape.slice() });
    }
    return View.apply([x], { shape: newShape, strides, asked: shape.slice() });
  });
}

/**
 * A view when PyTorch can make one (`ReshapeAliasBackward0`), else a copy (`CloneBackward0`
 * then `UnsafeViewBackward0`).
 */
export function reshape(x: Tensor, shape: number[]): Tensor {
  return traced("reshape", [x], () => {
    const newShape = inferViewShape(shape, x.numel());
    const strides = viewStrides(x.shape, torchStrides(x), newShape);
    if (strides) return ReshapeAlias.apply([x], { shape: newShape, strides, asked: shape.slice() });
    return UnsafeView.apply([contiguous(x)], { shape: newShape, strides: null, asked: shape.slice() });
  });
}

/** ATen's `_unsafe_view` of a contiguous tensor (`UnsafeViewBackward0`), used by composite ops. */
export function unsafeView(x: Tensor, shape: number[]): Tensor {
  return UnsafeView.apply([x], { shape: inferViewShape(shape, x.numel()), strides: null });
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  return traced("flatten", [x], () => {
    if (x.shape.length === 0) return reshape(x, [1]);
    const s = normalizeDim(startDim, x.shape.length);
    const e = normalizeDim(endDim, x.shape.length);
    if (s > e) {
      throw new RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim", {
        kind: "invalidArgument",
        argument: "startDim",
      });
    }
    if (s === e) return x;
    const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
    return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
  });
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  return traced("unsqueeze", [x], () => {
    const d = normalizeDim(dim, x.shape.length + 1);
    const shape = x.shape.slice();
    shape.splice(d, 0, 1);
    const strides = torchStrides(x);
    strides.splice(d, 0, d < x.shape.length ? x.shape[d] * strides[d] : 1);
    return Unsqueeze.apply([x], { shape, strides });
  });
}

export function squeeze(x: Tensor, dim?: number): Tensor {
  return traced("squeeze", [x], () => {
    if (dim !== undefined) return squeezeDim(SqueezeDim, x, dim);
    const keep = x.shape.map((s) => s !== 1);
    const strides = torchStrides(x);
    return SqueezeAll.apply([x], { shape: x.shape.filter((_, i) => keep[i]), strides: strides.filter((_, i) => keep[i]) });
  });
}

/**
 * `squeeze_(dim)` of a result nobody else holds yet (ATen's matmul of a vector and a matrix):
 * named `SqueezeBackward3` like PyTorch's in-place squeeze.
 */
export function squeezeInPlace(x: Tensor, dim: number): Tensor {
  return squeezeDim(SqueezeDimInPlace, x, dim);
}

/** Drops `dim` when its size is 1 (else keeps the shape), through `op`. */
function squeezeDim(op: typeof SqueezeDim, x: Tensor, dim: number): Tensor {
  const strides = torchStrides(x);
  const d = normalizeDim(dim, x.shape.length);
  if (x.shape.length === 0 || x.shape[d] !== 1) return op.apply([x], { shape: x.shape.slice(), strides });
  return op.apply([x], { shape: x.shape.filter((_, i) => i !== d), strides: strides.filter((_, i) => i !== d) });
}

/** The dims of `x` reordered: a view (a 2-D transpose is read in place by a GEMM). */
function permuted(x: Tensor, perm: readonly number[]): Tensor {
  const strides = x.stride();
  return Tensor._view(x, perm.map((p) => x.shape[p]), perm.map((p) => strides[p]), x.storageOffset());
}

/** Reorders dimensions; the gradient is reordered back. */
const permuteOp = (name: string) =>
  defineOp<{ perm: number[] }>({
    name,
    forward(_ctx, [x], { perm }) {
      const out = permuted(x, perm);
      out._base = x._base ?? x;
      return out;
    },
    backward: (_ctx, [g], { perm }) => [permuted(g, inversePerm(perm))],
    graphBackward: (_ctx, [g], { perm }) => [permute(g, inversePerm(perm))],
  });

function inversePerm(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return inverse;
}

const Permute = permuteOp("PermuteBackward0");
const Transpose = permuteOp("TransposeBackward0");
export const T = permuteOp("TBackward0");
/** In-place `transpose_`, as ATen applies it to a fresh result (the recurrent layers' output). */
const TransposeInPlace = permuteOp("TransposeBackward1");

export function permute(x: Tensor, dims: number[]): Tensor {
  return traced("permute", [x], () => {
    if (dims.length !== x.shape.length) {
      // PyTorch 1.13's message, "sparse_coo" included
      throw new RuntimeError(
        `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.shape.length} is not equal to len(dims) = ${dims.length}`,
      );
    }
    const perm = dims.map((d) => normalizeDim(d, x.shape.length));
    if (new Set(perm).size !== perm.length) throw new RuntimeError("permute(): duplicate dims are not allowed.");
    return Permute.apply([x], { perm });
  });
}

function swapPerm(n: number, a: number, b: number): number[] {
  const perm = Array.from({ length: n }, (_, i) => i);
  [perm[a], perm[b]] = [perm[b], perm[a]];
  return perm;
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  return traced("transpose", [x], () => {
    const n = x.shape.length;
    return Transpose.apply([x], { perm: swapPerm(n, normalizeDim(dim0, n), normalizeDim(dim1, n)) });
  });
}

/** `transpose_(dim0, dim1)` of a result nobody else holds yet: `TransposeBackward1`. */
export function transposeInPlace(x: Tensor, dim0: number, dim1: number): Tensor {
  const n = x.shape.length;
  return TransposeInPlace.apply([x], { perm: swapPerm(n, normalizeDim(dim0, n), normalizeDim(dim1, n)) });
}

export function t(x: Tensor): Tensor {
  const n = x.shape.length;
  if (n > 2) throw new RuntimeError(`t() expects a tensor with <= 2 dimensions, but self is ${n}D`);
  return T.apply([x], { perm: n === 2 ? [1, 0] : n === 1 ? [0] : [] });
}

const Expand = defineOp<{ shape: number[] }>({
  name: "ExpandBackward0",
  forward(_ctx, [x], { shape }) {
    const own = x.stride();
    const lead = shape.length - x.shape.length;
    const strides = shape.map((s, d) => (d < lead || (x.shape[d - lead] === 1 && s !== 1) ? 0 : own[d - lead]));
    return viewOf(x, shape.slice(), strides, x.storageOffset());
  },
  // the gradient of a broadcast is its sum back to the input's shape
  backward: (ctx, [g]) => [sumTo(g, ctx.inputShape(0))],
  graphBackward: (ctx, [g]) => [sumToRecorded(g, ctx.inputShape(0))],
});

export function expand(x: Tensor, sizes: number[]): Tensor {
  return traced("expand", [x], () => Expand.apply([x], { shape: expandedShape(x.shape, sizes) }));
}

/** The shape `expand(sizes)` gives (-1 keeps a dim), with PyTorch's messages. */
function expandedShape(own: Shape, sizes: number[]): number[] {
  const lead = sizes.length - own.length;
  const reason = (dim: number): FailureReason => ({ kind: "expandSize", shape: own.slice(), target: sizes.slice(), dim });
  if (lead < 0) {
    throw new RuntimeError(
      `expand(torch.FloatTensor{${bracketed(own)}}, size=${bracketed(sizes)}): the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${own.length})`,
      reason(0),
    );
  }
  return sizes.map((s, d) => {
    const had = d < lead ? 1 : own[d - lead];
    const want = s === -1 ? had : s;
    if (had !== 1 && had !== want) {
      throw new RuntimeError(
        `The expanded size of the tensor (${want}) must match the existing size (${had}) at non-singleton dimension ${d}.  Target sizes: ${bracketed(sizes)}.  Tensor sizes: ${bracketed(own)}`,
        reason(d),
      );
    }
    return want;
  });
}

const Clone = defineOp<{ keepLayout: boolean }>({
  name: "CloneBackward0",
  forward(_ctx, [x], { keepLayout }) {
    // clone keeps a dense layout (preserve_format, e.g. a transpose); an expanded or sliced one
    // becomes contiguous
    const s = x._torchStrides;
    if (keepLayout && s && isDense(x.shape, s)) return Tensor._withLayout(x._values, x.shape.slice(), s, x.dtype);
    return Tensor._make(x._values.slice(), x.shape.slice(), x.dtype);
  },
  backward: (_ctx, [g]) => [g],
  graphBackward: (_ctx, [g]) => [g],
});

export function clone(x: Tensor): Tensor {
  return Clone.apply([x], { keepLayout: true });
}

/** Itself when PyTorch sees it as contiguous, else a contiguous copy (`CloneBackward0`). */
export function contiguous(x: Tensor): Tensor {
  if (x.isContiguous()) return x;
  return Clone.apply([x], { keepLayout: false });
}

/** Entries `start, start + step, …` (`length` of them) along `dim`: a view of `x`. */
interface SliceAttrs {
  dim: number;
  start: number;
  length: number;
  step: number;
  keepDim: boolean;
}
const Slice = (name: string) =>
  defineOp<SliceAttrs>({
    name,
    forward(_ctx, [x], { dim, start, length, step, keepDim }) {
      const shape = x.shape.slice();
      const strides = x.stride(); // a slice keeps its base's strides, from a later first element
      const offset = x.storageOffset() + start * strides[dim];
      if (keepDim) {
        shape[dim] = length;
        strides[dim] *= step;
      } else {
        shape.splice(dim, 1);
        strides.splice(dim, 1);
      }
      return viewOf(x, shape, strides, offset);
    },
    // the gradient lands on the selected entries; zeros elsewhere
    backward(ctx, [g], { dim, start, length, step }) {
      const shape = ctx.inputShape(0).slice();
      const out = new Float32Array(numelOf(shape));
      const strides = stridesOf(shape);
      const region = shape.slice();
      region[dim] = length;
      const regionStrides = strides.slice();
      regionStrides[dim] *= step;
      scatter(out, start * strides[dim], region, regionStrides, g._values);
      return [Tensor._make(out, shape)];
    },
    // recorded: g copied into the same entries of a zero tensor (CopySlices)
    graphBackward(ctx, [g], { dim, start, length, step, keepDim }) {
      const out = Tensor._make(new Float32Array(numelOf(ctx.inputShape(0))), ctx.inputShape(0).slice());
      const entries = keepDim ? slice(out, dim, start, start + (length - 1) * step + 1, step) : select(out, dim, start);
      entries.copy_(g);
      return [out];
    },
  });
export const Select = Slice("SelectBackward0");
export const Narrow = Slice("SliceBackward0");

/** PyTorch's `x[start:end:step]` along `dim` (Python's bounds: clamped, negatives from the end). */
export function slice(x: Tensor, dim: number, start: number | null, end: number | null, step = 1): Tensor {
  const d = normalizeDim(dim, x.shape.length);
  if (!Number.isInteger(step) || step <= 0) throw new ValueError("step must be greater than zero");
  const size = x.shape[d];
  const clampTo = (v: number | null, open: number): number =>
    v === null ? open : Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  const s = clampTo(start, 0);
  const e = Math.max(clampTo(end, size), s);
  return Narrow.apply([x], { dim: d, start: s, length: Math.ceil((e - s) / step), step, keepDim: true });
}

/** The `index`-th entry along `dim`, without that dim (PyTorch's `x[i]` / `select`). */
export function select(x: Tensor, dim: number, index: number): Tensor {
  return traced("select", [x], () => {
    if (x.shape.length === 0) {
      throw new IndexError("select() cannot be applied to a 0-dim tensor.", { kind: "inputDims", input: [], min: 1 });
    }
    const d = normalizeDim(dim, x.shape.length);
    const size = x.shape[d];
    if (index < -size || index >= size) {
      throw new IndexError(
        `select(): index ${index} out of range for tensor of size ${bracketed(x.shape)} at dimension ${d}`,
        { kind: "indexOutOfRange", index, size, dim: d },
      );
    }
    return Select.apply([x], { dim: d, start: index < 0 ? index + size : index, length: 1, step: 1, keepDim: false });
  });
}

/** `length` entries of `dim` from `start` (PyTorch's `narrow`, like `x[:, start:start+length]`). */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  return traced("narrow", [x], () => {
    const d = normalizeDim(dim, x.shape.length);
    const size = x.shape[d];
    const s = start < 0 ? start + size : start;
    const reason = (index: number): FailureReason => ({ kind: "indexOutOfRange", index, size, dim: d });
    if (s < 0 || s > size) {
      throw new IndexError(`start out of range (expected to be in range of [${-size}, ${size}], but got ${start})`, reason(start));
    }
    if (s + length > size) {
      throw new RuntimeError(`start (${s}) + length (${length}) exceeds dimension size (${size}).`, reason(s + length));
    }
    return Narrow.apply([x], { dim: d, start: s, length, step: 1, keepDim: true });
  });
}
