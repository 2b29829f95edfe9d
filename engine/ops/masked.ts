/**
 * Element-wise choices: `torch.where`, `maskedFill`, `clamp` with tensor bounds, `tril` and
 * `triu`. Conditions and masks are bool tensors held as attributes (they carry no gradient),
 * so a node's edges go only to the values it chose from, as PyTorch's do. Each backward sends
 * the gradient to whichever value was chosen; `apply` sums it down where an input was broadcast.
 */
import { defineOp, traced } from "../autograd/apply";
import { Tensor, TensorLike, asTensor, DType } from "../tensor";
import { RuntimeError, TorchTypeError } from "../errors";
import { Shape, broadcastShapes, normalizeDim, sameShape } from "../shape";
import { expandTo } from "../kernels/elementwise";
import { promoteTypes } from "./binary";
import { clamp as clampNumbers } from "./unary";

/** A value written into a tensor of `dtype`: truncated to an integer, or nonzero for bool. */
export const castTo = (dtype: DType, v: number): number =>
  dtype === "int64" ? Math.trunc(v) : dtype === "bool" ? Number(v !== 0) : v;

/** The values of `t` broadcast to `shape`, without a copy when it already has that shape. */
const valuesAt = (t: Tensor, shape: Shape): Float32Array =>
  sameShape(t.shape, shape) ? t._values : expandTo(t, shape)._values;

/** `pick(c)` of every element of the broadcast cond: g where it holds, else 0. */
function gradWhere(g: Tensor, cond: Float32Array, keep: boolean): Tensor {
  const out = new Float32Array(g._values.length);
  const G = g._values;
  for (let i = 0; i < out.length; i++) out[i] = (cond[i] !== 0) === keep ? G[i] : 0;
  return Tensor._make(out, g.shape.slice());
}

function checkBool(cond: Tensor, fn: string): void {
  if (cond.dtype !== "bool") {
    const name = cond.dtype === "int64" ? "Long" : "Float";
    throw new RuntimeError(
      fn === "where"
        ? `where expected condition to be a boolean tensor, but got a tensor with dtype ${name}`
        : `masked_fill_ only supports boolean masks, but got mask with dtype ${cond.dtype === "int64" ? "long int" : "float"}`,
      { kind: "dtype", expected: "Bool", got: name },
    );
  }
}

const Where = defineOp<{ cond: Tensor }>({
  name: "WhereBackward0",
  forward(_ctx, [a, b], { cond }) {
    const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape), b.shape);
    const C = valuesAt(cond, shape);
    const A = valuesAt(a, shape);
    const B = valuesAt(b, shape);
    const out = new Float32Array(C.length);
    for (let i = 0; i < out.length; i++) out[i] = C[i] !== 0 ? A[i] : B[i];
    return Tensor._make(out, shape, promoteTypes(a.dtype, b.dtype));
  },
  // the gradient goes to a where the condition held, to b elsewhere
  backward(ctx, [g], { cond }) {
    const C = valuesAt(cond, g.shape);
    return [
      ctx.needsInputGrad[0] ? gradWhere(g, C, true) : null,
      ctx.needsInputGrad[1] ? gradWhere(g, C, false) : null,
    ];
  },
});

/** `a` where `cond` holds, else `b`, all broadcast together (`torch.where(cond, a, b)`). */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  return traced("where", [cond, a, b], () => {
    checkBool(cond, "where");
    return Where.apply([asTensor(a), asTensor(b)], { cond });
  });
}

/** The indices where `cond` is nonzero, one int64 vector per dim (`torch.where(cond)`). */
export function nonzeroPerDim(cond: Tensor): Tensor[] {
  const nd = cond.shape.length;
  const per: number[][] = Array.from({ length: Math.max(nd, 1) }, () => []);
  const coord = new Array<number>(nd).fill(0);
  const V = cond._values;
  for (let i = 0; i < V.length; i++) {
    if (V[i] !== 0) for (let d = 0; d < per.length; d++) per[d].push(nd === 0 ? 0 : coord[d]);
    for (let d = nd - 1; d >= 0; d--) {
      if (++coord[d] < cond.shape[d]) break;
      coord[d] = 0;
    }
  }
  return per.map((v) => Tensor._make(Float32Array.from(v), [v.length], "int64"));
}

interface Mask {
  mask: Tensor;
}

/** Writes `fill(i)` where the broadcast mask holds, `x` elsewhere. */
function filled(x: Tensor, mask: Tensor, fill: number): Tensor {
  const shape = broadcastShapes(mask.shape, x.shape);
  const M = valuesAt(mask, shape);
  const out = valuesAt(x, shape).slice();
  const v = castTo(x.dtype, fill);
  for (let i = 0; i < out.length; i++) if (M[i] !== 0) out[i] = v;
  return Tensor._make(out, shape, x.dtype);
}

/** The gradient of a masked fill's input: g with the filled places zeroed. */
const unfilled = (g: Tensor, mask: Tensor): Tensor => gradWhere(g, valuesAt(mask, g.shape), false);

const MaskedFill = defineOp<Mask & { value: number }>({
  name: "MaskedFillBackward0",
  forward: (_ctx, [x], { mask, value }) => filled(x, mask, value),
  backward: (_ctx, [g], { mask }) => [unfilled(g, mask)],
});

/** With a 0-dim tensor value (`MaskedFillBackward1`): the value's gradient is the sum over the mask. */
const MaskedFillTensor = defineOp<Mask>({
  name: "MaskedFillBackward1",
  forward: (_ctx, [x, value], { mask }) => filled(x, mask, value._values[0]),
  backward(ctx, [g], { mask }) {
    let sum = 0;
    if (ctx.needsInputGrad[1]) {
      const M = valuesAt(mask, g.shape);
      g._values.forEach((v, i) => M[i] !== 0 && (sum += v));
    }
    return [
      ctx.needsInputGrad[0] ? unfilled(g, mask) : null,
      ctx.needsInputGrad[1] ? Tensor._make(Float32Array.of(sum), []) : null,
    ];
  },
});

/** `x` with `value` where `mask` holds (`masked_fill`); a tensor value must be 0-dim. */
export function maskedFill(x: Tensor, mask: Tensor, value: TensorLike): Tensor {
  return traced("maskedFill", [x, mask, value], () => {
    checkBool(mask, "masked_fill");
    if (typeof value === "number") return MaskedFill.apply([x], { mask, value });
    if (value.dim() !== 0) {
      throw new RuntimeError(
        `masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.dim()} dimension(s).`,
      );
    }
    return MaskedFillTensor.apply([x, value], { mask });
  });
}

/** Bounds as tensors, an absent one as ±∞ (its edge then has no node, as in PyTorch). */
const ClampTensor = defineOp<{ dtype: DType }>({
  name: "ClampBackward0",
  forward(ctx, [x, lo, hi], { dtype }) {
    const shape = broadcastShapes(broadcastShapes(x.shape, lo.shape), hi.shape);
    const [X, L, H] = [valuesAt(x, shape), valuesAt(lo, shape), valuesAt(hi, shape)];
    const out = new Float32Array(X.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.min(Math.max(X[i], L[i]), H[i]);
    ctx.save(x, lo, hi);
    return Tensor._make(out, shape, dtype);
  },
  // x's gradient where lo ≤ x ≤ hi; lo's where x < lo < hi; hi's where x > hi or hi < lo
  backward(ctx, [g]) {
    const [x, lo, hi] = ctx.saved as Tensor[];
    const [X, L, H] = [valuesAt(x, g.shape), valuesAt(lo, g.shape), valuesAt(hi, g.shape)];
    const part = (which: (x: number, l: number, h: number) => boolean): Tensor => {
      const out = new Float32Array(g._values.length);
      for (let i = 0; i < out.length; i++) out[i] = which(X[i], L[i], H[i]) ? g._values[i] : 0;
      return Tensor._make(out, g.shape.slice());
    };
    return [
      ctx.needsInputGrad[0] ? part((v, l, h) => v >= l && v <= h) : null,
      ctx.needsInputGrad[1] ? part((v, l, h) => v < l && l < h) : null,
      ctx.needsInputGrad[2] ? part((v, l, h) => v > h || h < l) : null,
    ];
  },
});

/** `clamp` with a tensor bound (`ClampBackward0`); PyTorch refuses a tensor mixed with a number. */
function clampTensor(x: Tensor, min: Tensor | number | null, max: Tensor | number | null): Tensor {
  if (typeof min === "number" || typeof max === "number") {
    const kind = (v: Tensor | number | null) => (v instanceof Tensor ? "Tensor" : "float");
    throw new TorchTypeError(
      `clamp() received an invalid combination of arguments - got (max=${kind(max)}, min=${kind(min)}, ), but expected one of:`,
    );
  }
  const unbounded = (v: number) => Tensor._make(Float32Array.of(v), [], x.dtype);
  const dtype = [min, max].reduce((d: DType, t) => (t ? promoteTypes(d, t.dtype) : d), x.dtype);
  return ClampTensor.apply([x, min ?? unbounded(-Infinity), max ?? unbounded(Infinity)], { dtype });
}

/** Keeps element (i, j) of every matrix where `keep(j − i)`; zeros elsewhere. */
function triangle(
  values: Float32Array,
  shape: Shape,
  keep: (offset: number) => boolean,
): Float32Array {
  const [rows, cols] = shape.slice(-2);
  const out = new Float32Array(values.length);
  for (let m = 0; m < values.length; m += rows * cols) {
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++)
        if (keep(j - i)) out[m + i * cols + j] = values[m + i * cols + j];
    }
  }
  return out;
}

const triangleOp = (name: string, lower: boolean) => {
  const keeps = (diagonal: number) =>
    lower ? (o: number) => o <= diagonal : (o: number) => o >= diagonal;
  return defineOp<{ diagonal: number }>({
    name,
    check: ([x]) => void normalizeDim(-2, x.shape.length), // ATen's message for fewer than 2 dims
    forward: (_ctx, [x], { diagonal }) =>
      Tensor._make(triangle(x._values, x.shape, keeps(diagonal)), x.shape.slice(), x.dtype),
    // the gradient passes where the values were kept
    backward: (_ctx, [g], { diagonal }) => [
      Tensor._make(triangle(g._values, g.shape, keeps(diagonal)), g.shape.slice()),
    ],
  });
};
const Tril = triangleOp("TrilBackward0", true);
const Triu = triangleOp("TriuBackward0", false);

/** The lower triangle of the last two dims, from `diagonal` down (`torch.tril`). */
export const tril = (x: Tensor, diagonal = 0): Tensor => Tril.apply([x], { diagonal });
/** The upper triangle of the last two dims, from `diagonal` up (`torch.triu`). */
export const triu = (x: Tensor, diagonal = 0): Tensor => Triu.apply([x], { diagonal });

/**
 * `clamp(min, max)` in all of PyTorch's forms: numbers (`ClampBackward1`), tensors
 * (`ClampBackward0`), one bound absent; at least one must be given.
 */
export function clamp(x: Tensor, min: Tensor | number | null, max: Tensor | number | null): Tensor {
  if (min === null && max === null)
    throw new RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None");
  if (min instanceof Tensor || max instanceof Tensor) return clampTensor(x, min, max);
  return clampNumbers(x, min, max);
}
