/** Reductions: sum, mean, max/min (whole tensor or along a dim), argmax/argmin, norm. */
import { defineOp, traced } from "../autograd/apply";
import { Tensor, ValuesIndices } from "../tensor";
import { extremeIndex } from "../kernels/reduce";
import { sumDims, extremeAlong, expandTo, scale, zip, fullOf } from "../tensorKernels";
import { normalizeDim, numelOf } from "../shape";
import { RuntimeError } from "../errors";
import { unreduceRecorded } from "./gradGraph";

export interface DimsAttrs {
  /** Sorted, distinct, non-negative dims; null for all. */
  dims: number[] | null;
  keepdim: boolean;
}

function resolveDims(t: Tensor, dim: number | number[] | null | undefined): number[] | null {
  if (dim === null || dim === undefined) return null;
  const list = Array.isArray(dim) ? dim : [dim];
  return [...new Set(list.map((d) => normalizeDim(d, t.shape.length)))].sort((a, b) => a - b);
}

/** The reduced gradient put back to the input's shape (re-inserting kept-away dims). */
function unreduce(g: Tensor, inputShape: readonly number[], { dims, keepdim }: DimsAttrs): Tensor {
  if (dims === null || keepdim) return expandTo(g, inputShape);
  const kept = inputShape.map((s, i) => (dims.includes(i) ? 1 : s));
  return expandTo(g._alias(kept), inputShape);
}

export const Sum = defineOp<DimsAttrs>({
  name: (a) => (a.dims === null ? "SumBackward0" : "SumBackward1"),
  forward(_ctx, [x], a) {
    const out = sumDims(x, a.dims ?? x.shape.map((_, i) => i), a.keepdim && a.dims !== null);
    // a sum of bools counts them (int64)
    return x.dtype === "bool" ? Tensor._make(out._values, out.shape, "int64") : out;
  },
  // d(Σx) = 1 for every element
  backward: (ctx, [g], a) => [unreduce(g, ctx.inputShape(0), a)],
  graphBackward: (ctx, [g], a) => [unreduceRecorded(g, ctx.inputShape(0), a.dims, a.keepdim)],
});

export const Mean = defineOp<DimsAttrs>({
  name: (a) => (a.dims === null ? "MeanBackward0" : "MeanBackward1"),
  forward(_ctx, [x], a) {
    if (x.dtype !== "float32") {
      throw new RuntimeError(
        `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${x.dtype === "int64" ? "Long" : "Bool"}`,
      );
    }
    const dims = a.dims ?? x.shape.map((_, i) => i);
    const count = dims.reduce((n, d) => n * x.shape[d], 1);
    return scale(sumDims(x, dims, a.keepdim && a.dims !== null), 1 / count);
  },
  // d(mean x) = 1/n for every element
  backward(ctx, [g], a) {
    const shape = ctx.inputShape(0);
    return [unreduce(scale(g, 1 / reducedCount(shape, a)), shape, a)];
  },
  graphBackward(ctx, [g], a) {
    const shape = ctx.inputShape(0);
    return [unreduceRecorded(g.div(reducedCount(shape, a)), shape, a.dims, a.keepdim)];
  },
});

/** How many elements each output of a reduction over `dims` summed. */
function reducedCount(shape: readonly number[], { dims }: DimsAttrs): number {
  return dims === null ? numelOf(shape) : dims.reduce((n, d) => n * shape[d], 1);
}

/** max()/min() over all elements: NOTE ties share the gradient evenly (PyTorch 1.13). */
const ExtremeAll = (name: string, wantMax: boolean) =>
  defineOp({
    name,
    forward(ctx, [x]) {
      if (x.numel() === 0) {
        throw new RuntimeError(
          `${wantMax ? "max" : "min"}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`,
        );
      }
      const out = Tensor._make(Float32Array.of(x._values[extremeIndex(x._values, wantMax)]), [], x.dtype);
      ctx.save(x, out);
      return out;
    },
    backward(ctx, [g]) {
      const [x, out] = ctx.saved;
      const m = out!._values[0];
      let ties = 0;
      for (const v of x!._values) if (v === m || (v !== v && m !== m)) ties++;
      const share = g._values[0] / ties;
      return [zip(x!, x!, (v) => (v === m || (v !== v && m !== m) ? share : 0))];
    },
    // the winners' shares (1/ties each) are a constant times g
    graphBackward(ctx, [g]) {
      const [x, out] = ctx.saved;
      const m = out!._values[0];
      const winner = (v: number) => v === m || (v !== v && m !== m);
      const ties = x!._values.reduce((n, v) => n + (winner(v) ? 1 : 0), 0);
      return [g.mul(zip(x!, x!, (v) => (winner(v) ? 1 / ties : 0)))];
    },
  });
const MaxAll = ExtremeAll("MaxBackward1", true);
const MinAll = ExtremeAll("MinBackward1", false);

/** max(dim)/min(dim): values and indices; the gradient goes to the selected index only. */
const ExtremeDim = (name: string, wantMax: boolean) =>
  defineOp<{ dim: number; keepdim: boolean }>({
    name,
    nonDifferentiableOutputs: [1],
    forward(ctx, [x], { dim, keepdim }) {
      const [values, indices] = extremeAlong(x, dim, keepdim, wantMax);
      ctx.save(indices);
      return [values, indices];
    },
    backward(ctx, [g], { dim, keepdim }) {
      const [indices] = ctx.saved;
      const shape = ctx.inputShape(0);
      const out = fullOf(shape, 0);
      let outer = 1;
      let inner = 1;
      for (let i = 0; i < dim; i++) outer *= shape[i];
      for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
      void keepdim; // g and indices have one element per (outer, inner) either way
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const k = o * inner + i;
          out._values[(o * shape[dim] + indices!._values[k]) * inner + i] = g._values[k];
        }
      }
      return [out];
    },
  });
const MaxDim = ExtremeDim("MaxBackward0", true);
const MinDim = ExtremeDim("MinBackward0", false);

/** The 2-norm of all elements (PyTorch's `x.norm()`). */
export const Norm = defineOp({
  name: "NormBackward1",
  forward(ctx, [x]) {
    let s = 0;
    for (const v of x._values) s += v * v;
    const out = Tensor._make(Float32Array.of(Math.sqrt(s)), []);
    ctx.save(x, out);
    return out;
  },
  // d‖x‖ = x / ‖x‖   NOTE: 0 where ‖x‖ = 0, as PyTorch masks it
  backward(ctx, [g]) {
    const [x, out] = ctx.saved;
    const n = out!._values[0];
    return [n === 0 ? scale(x!, 0) : scale(x!, g._values[0] / n)];
  },
  graphBackward(ctx, [g]) {
    const [x, out] = ctx.saved;
    return [out!._values[0] === 0 ? x!.mul(0) : x!.mul(g.div(out!))];
  },
});

export function sum(x: Tensor, dim: number | number[] | null | undefined, keepdim: boolean): Tensor {
  return traced("sum", [x], () => {
    return Sum.apply([x], { dims: resolveDims(x, dim), keepdim });
  });
}
export function mean(x: Tensor, dim: number | number[] | null | undefined, keepdim: boolean): Tensor {
  return traced("mean", [x], () => {
    return Mean.apply([x], { dims: resolveDims(x, dim), keepdim });
  });
}
export function maxAll(x: Tensor, wantMax: boolean): Tensor {
  return (wantMax ? MaxAll : MinAll).apply([x], undefined);
}
export function maxDim(x: Tensor, dim: number, keepdim: boolean, wantMax: boolean): ValuesIndices {
  const d = normalizeDim(dim, x.shape.length);
  const [values, indices] = (wantMax ? MaxDim : MinDim).applyMulti([x], { dim: d, keepdim });
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}
/** Index of the max/min (flat index without `dim`); an int64 tensor, no gradient. */
export function argExtreme(x: Tensor, dim: number | undefined, keepdim: boolean, wantMax: boolean): Tensor {
  if (dim === undefined) return Tensor._make(Float32Array.of(extremeIndex(x._values, wantMax)), [], "int64");
  return extremeAlong(x, normalizeDim(dim, x.shape.length), keepdim, wantMax)[1];
}
export function norm(x: Tensor): Tensor {
  return Norm.apply([x], undefined);
}
