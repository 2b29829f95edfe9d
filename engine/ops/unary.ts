/**
 * Unary element-wise ops; each derivative is written with the input x and the output y, once
 * as a loop and once with recorded ops (for higher-order gradients).
 */
import { defineOp, Op } from "../autograd/apply";
import { Tensor } from "../tensor";
import { map, zip, fullOf, zerosOf } from "../tensorKernels";
import { RuntimeError } from "../errors";
import { reluBackwardInto, reluInto } from "../kernels/elementwiseWasm";

/** Element loops of a unary op: y = f(x), and the input gradient from g and the saved x or y. */
interface Loops {
  forward(x: Float32Array, y: Float32Array): void;
  backward(g: Float32Array, saved: Float32Array, out: Float32Array): void;
}

/** Loops that call f and f'(x, y) per element (y = f(x)); only what f' reads is saved. */
function viaCalls(
  f: (x: number) => number,
  df: (x: number, y: number) => number,
  reads: "x" | "y",
): Loops {
  return {
    forward(x, y) {
      for (let i = 0; i < x.length; i++) y[i] = f(x[i]);
    },
    backward(g, s, out) {
      if (reads === "x") for (let i = 0; i < g.length; i++) out[i] = g[i] * df(s[i], NaN);
      else for (let i = 0; i < g.length; i++) out[i] = g[i] * df(NaN, s[i]);
    },
  };
}

/** The input gradient with recorded ops, from g and the saved x or y (createGraph). */
type GraphDerivative = (g: Tensor, saved: Tensor) => Tensor;

/** A 0/1 mask of `t` (a constant: no gradient flows through a mask). */
const maskOf = (t: Tensor, keep: (v: number) => boolean): Tensor => map(t, (v) => (keep(v) ? 1 : 0));

/**
 * A unary op from its loops. `keepsInt`: an int64 input gives an int64 output (neg, abs,
 * relu), else float32.
 */
function unaryOp(
  name: string,
  loops: Loops,
  reads: "x" | "y",
  graph: GraphDerivative,
  keepsInt = false,
): Op<undefined> {
  return defineOp({
    name,
    forward(ctx, [a]) {
      const x = a._values;
      const out = new Float32Array(x.length);
      loops.forward(x, out);
      const dtype = keepsInt && a.dtype === "int64" ? "int64" : "float32";
      const y = Tensor._make(out, a.shape.slice(), dtype);
      ctx.save(reads === "x" ? a : y);
      return y;
    },
    backward(ctx, [g]) {
      const [s] = ctx.saved;
      const out = new Float32Array(g._values.length);
      loops.backward(g._values, s!._values, out);
      return [Tensor._make(out, g.shape.slice())];
    },
    graphBackward: (ctx, [g]) => [graph(g, ctx.saved[0]!)],
  });
}

/** A unary op from f and its derivative f'(x, y), as a loop and recorded. */
const simple = (
  name: string,
  f: (x: number) => number,
  df: (x: number, y: number) => number,
  reads: "x" | "y",
  graph: GraphDerivative,
  keepsInt = false,
) => unaryOp(name, viaCalls(f, df, reads), reads, graph, keepsInt);

export const Neg = simple("NegBackward0", (x) => -x, () => -1, "x", (g) => g.neg(), true);
export const Exp = simple("ExpBackward0", Math.exp, (_x, y) => y, "y", (g, y) => g.mul(y)); // (eˣ)' = eˣ
export const Log = simple("LogBackward0", Math.log, (x) => 1 / x, "x", (g, x) => g.div(x)); // (ln x)' = 1/x
// (√x)' = 1/(2√x)
export const Sqrt = simple("SqrtBackward0", Math.sqrt, (_x, y) => 1 / (2 * y), "y", (g, y) => g.div(y.mul(2)));
// NOTE: sign(0) = 0
export const Abs = simple("AbsBackward0", Math.abs, (x) => Math.sign(x), "x", (g, x) => g.mul(map(x, Math.sign)), true);
// (1/x)' = -1/x² = -y²
export const Reciprocal = simple("ReciprocalBackward0", (x) => 1 / x, (_x, y) => -y * y, "y", (g, y) => g.mul(y.mul(y).neg()));
export const Sin = simple("SinBackward0", Math.sin, (x) => Math.cos(x), "x", (g, x) => g.mul(x.cos()));
export const Cos = simple("CosBackward0", Math.cos, (x) => -Math.sin(x), "x", (g, x) => g.mul(x.sin().neg()));
// NOTE: the gradient is 0 at x = 0; NaN passes through (PyTorch clamps, and NaN > 0 is false).
// The hottest op of small nets: its loops run in WebAssembly SIMD past a few hundred elements.
export const Relu = unaryOp(
  "ReluBackward0",
  { forward: (x, y) => reluInto(x, y), backward: (g, y, out) => reluBackwardInto(g, y, out) },
  "y",
  (g, y) => g.mul(maskOf(y, (v) => !(v <= 0))),
  true,
);
// σ' = σ(1 − σ), tanh' = 1 − tanh²
export const Sigmoid = simple("SigmoidBackward0", (x) => 1 / (1 + Math.exp(-x)), (_x, y) => y * (1 - y), "y", (g, y) => g.mul(y.mul(y.neg().add(1))));
export const Tanh = simple("TanhBackward0", Math.tanh, (_x, y) => 1 - y * y, "y", (g, y) => g.mul(y.mul(y).neg().add(1)));

/** clamp(x, min, max); the gradient passes where min ≤ x ≤ max (bounds included, as PyTorch). */
export const Clamp = defineOp<{ min: number | null; max: number | null }>({
  name: "ClampBackward1",
  forward(ctx, [a], { min, max }) {
    ctx.save(a);
    const lo = min ?? -Infinity;
    const hi = max ?? Infinity;
    // an int tensor clamped to a fractional bound becomes float (PyTorch's type promotion)
    const whole = (v: number) => Number.isInteger(v) || v === Infinity || v === -Infinity;
    const dtype = whole(lo) && whole(hi) ? a.dtype : "float32";
    return map(a, (x) => (x < lo ? lo : x > hi ? hi : x), dtype);
  },
  backward(ctx, [g], { min, max }) {
    const [a] = ctx.saved;
    const lo = min ?? -Infinity;
    const hi = max ?? Infinity;
    return [zip(g, a!, (gi, x) => (x >= lo && x <= hi ? gi : 0))];
  },
  graphBackward(ctx, [g], { min, max }) {
    const [a] = ctx.saved;
    return [g.mul(maskOf(a!, (x) => x >= (min ?? -Infinity) && x <= (max ?? Infinity)))];
  },
});

/** `zero_()`/`fill_(v)` of a tensor that requires grad: its old values get no gradient. */
const filler = (name: string) =>
  defineOp<{ value: number }>({
    name,
    forward: (_ctx, [x], { value }) => fullOf(x.shape, x.dtype === "bool" ? Number(value !== 0) : value, x.dtype),
    backward: (_ctx, [g]) => [zerosOf(g.shape)],
  });
const Zero = filler("ZeroBackward0");
const Fill = filler("FillBackward2");

/** The values `x.fill_(value)` writes (`x.zero_()` when value is 0), recorded as PyTorch names it. */
export function filled(x: Tensor, value: number, zero = false): Tensor {
  return (zero ? Zero : Fill).apply([x], { value });
}

const one = (op: Op<undefined>) => (a: Tensor) => op.apply([a], undefined);
export function neg(a: Tensor): Tensor {
  if (a.dtype === "bool") {
    throw new RuntimeError(
      "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
    );
  }
  return Neg.apply([a], undefined);
}
export const exp = one(Exp);
export const log = one(Log);
export const sqrt = one(Sqrt);
export const abs = one(Abs);
export const sin = one(Sin);
export const reciprocal = one(Reciprocal);
export const cos = one(Cos);
export const relu = one(Relu);
export const sigmoid = one(Sigmoid);
export const tanh = one(Tanh);
export function clamp(a: Tensor, min: number | null, max: number | null): Tensor {
  return Clamp.apply([a], { min, max });
}
