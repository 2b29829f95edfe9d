/**
 * The tutorials' activations beyond relu/tanh/sigmoid: leaky_relu, elu, gelu (exact and tanh),
 * silu, softplus, hardtanh. Each saves its input and computes f and f' per element, in double,
 * rounded to float32 on store; the value at each kink is PyTorch's (see the NOTEs). For
 * higher-order gradients each also gives f'' ("zero" where f' is piecewise constant).
 */
import { defineOp, Op } from "../autograd/apply";
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";
import { erf } from "./erf";

/** f' of x, or f'' where f' is piecewise constant, or null where it is not written. */
type SecondDerivative<A> = ((x: number, a: A) => number) | "zero" | null;

/** The values of `fn` at each element of x, as a new tensor. */
function mapped<A>(x: Tensor, fn: (x: number, a: A) => number, a: A): Tensor {
  const X = x._values;
  const out = new Float32Array(X.length);
  for (let i = 0; i < X.length; i++) out[i] = fn(X[i], a);
  return Tensor._make(out, x.shape.slice());
}

/**
 * f'(x) as an op of its own (PyTorch's `…BackwardBackward0`), whose gradient is f''(x): what
 * a recorded backward multiplies g by, so that it can be differentiated again.
 */
function derivativeOp<A>(
  name: string,
  df: (x: number, a: A) => number,
  d2f: (x: number, a: A) => number,
): Op<A> {
  return defineOp<A>({
    name: name.replace(/Backward0$/, "BackwardBackward0"),
    forward(ctx, [x], a) {
      ctx.save(x);
      return mapped(x, df, a);
    },
    backward: (ctx, [g], a) => [g.mul(mapped(ctx.saved[0]!, d2f, a))],
  });
}

/** An element-wise op of x with attributes: y = f(x), dx = g · f'(x). */
function pointwise<A>(
  name: string,
  f: (x: number, a: A) => number,
  df: (x: number, a: A) => number,
  d2f: SecondDerivative<A>,
): Op<A> {
  const derivative = typeof d2f === "function" ? derivativeOp(name, df, d2f) : null;
  return defineOp<A>({
    name,
    forward(ctx, [x], a) {
      ctx.save(x);
      const X = x._values;
      const out = new Float32Array(X.length);
      for (let i = 0; i < X.length; i++) out[i] = f(X[i], a);
      return Tensor._make(out, x.shape.slice());
    },
    backward(ctx, [g], a) {
      const [x] = ctx.saved;
      const X = x!._values;
      const G = g._values;
      const out = new Float32Array(X.length);
      for (let i = 0; i < X.length; i++) out[i] = G[i] * df(X[i], a);
      return [Tensor._make(out, g.shape.slice())];
    },
    graphBackward: d2f
      ? (ctx, [g], a) => {
          const x = ctx.saved[0]!;
          return [g.mul(derivative ? derivative.apply([x], a) : mapped(x, df, a))];
        }
      : undefined,
  });
}

// NOTE: at x = 0 the slope is the negative side's, as in PyTorch (x > 0 is false)
const LeakyRelu = pointwise<{ slope: number }>(
  "LeakyReluBackward0",
  (x, { slope }) => (x > 0 ? x : x * slope),
  (x, { slope }) => (x > 0 ? 1 : slope),
  "zero",
);

// elu: α(eˣ − 1) for x ≤ 0; NOTE: the gradient at 0 is α (PyTorch's x <= 0 branch)
const Elu = pointwise<{ alpha: number }>(
  "EluBackward0",
  (x, { alpha }) => (x > 0 ? x : alpha * Math.expm1(x)),
  (x, { alpha }) => (x > 0 ? 1 : alpha * Math.exp(x)),
  (x, { alpha }) => (x > 0 ? 0 : alpha * Math.exp(x)),
);

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const K_TANH = Math.sqrt(2 / Math.PI);
const C_TANH = 0.044715;

/** gelu: x·Φ(x) exactly, or PyTorch's tanh approximation. */
const Gelu = pointwise<{ approximate: "none" | "tanh" }>(
  "GeluBackward0",
  (x, { approximate }) =>
    approximate === "tanh"
      ? 0.5 * x * (1 + Math.tanh(K_TANH * (x + C_TANH * x * x * x)))
      : 0.5 * x * (1 + erf(x * SQRT1_2)),
  (x, { approximate }) => {
    if (approximate !== "tanh")
      return 0.5 * (1 + erf(x * SQRT1_2)) + x * Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
    const t = Math.tanh(K_TANH * (x + C_TANH * x * x * x));
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * K_TANH * (1 + 3 * C_TANH * x * x);
  },
  // exact: (Φ + xφ)' = φ(x)(2 − x²); tanh form, with u = K(x + Cx³), t = tanh u:
  // (1 − t²)(u' + x(u'' − 2t u'²)/2)
  (x, { approximate }) => {
    if (approximate !== "tanh") return Math.exp(-0.5 * x * x) * INV_SQRT_2PI * (2 - x * x);
    const t = Math.tanh(K_TANH * (x + C_TANH * x * x * x));
    const du = K_TANH * (1 + 3 * C_TANH * x * x);
    return (1 - t * t) * (du + 0.5 * x * (6 * K_TANH * C_TANH * x - 2 * t * du * du));
  },
);

const sigmoidOf = (x: number): number => 1 / (1 + Math.exp(-x));
// silu = x·σ(x); silu' = σ(x)(1 + x(1 − σ(x)))
const Silu = pointwise<undefined>(
  "SiluBackward0",
  (x) => x * sigmoidOf(x),
  (x) => {
    const s = sigmoidOf(x);
    return s * (1 + x * (1 - s));
  },
  // silu'' = σ(1 − σ)(2 + x(1 − 2σ))
  (x) => {
    const s = sigmoidOf(x);
    return s * (1 - s) * (2 + x * (1 - 2 * s));
  },
);

// softplus = log(1 + e^(βx))/β, linear where βx > threshold (for stability, as PyTorch)
const Softplus = pointwise<{ beta: number; threshold: number }>(
  "SoftplusBackward0",
  (x, { beta, threshold }) => (x * beta > threshold ? x : Math.log1p(Math.exp(x * beta)) / beta),
  (x, { beta, threshold }) => {
    if (x * beta > threshold) return 1;
    const z = Math.exp(x * beta);
    return z / (z + 1);
  },
  // softplus'' = β σ(βx)(1 − σ(βx)); 0 on the linear part
  (x, { beta, threshold }) =>
    x * beta > threshold ? 0 : beta * sigmoidOf(x * beta) * (1 - sigmoidOf(x * beta)),
);

// NOTE: unlike clamp, hardtanh passes no gradient at the bounds themselves
const Hardtanh = pointwise<{ min: number; max: number }>(
  "HardtanhBackward0",
  (x, { min, max }) => (x < min ? min : x > max ? max : x),
  (x, { min, max }) => (x <= min || x >= max ? 0 : 1),
  "zero",
);

/** max(0, x) + slope·min(0, x) (PyTorch's `F.leaky_relu`, default slope 0.01). */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return LeakyRelu.apply([x], { slope: negativeSlope });
}

/** x for x > 0, α(eˣ − 1) otherwise (PyTorch's `F.elu`). */
export function elu(x: Tensor, alpha = 1): Tensor {
  return Elu.apply([x], { alpha });
}

/** x·Φ(x) (PyTorch's `F.gelu`); `approximate: "tanh"` for the tanh approximation. */
export function gelu(x: Tensor, approximate: "none" | "tanh" = "none"): Tensor {
  if (approximate !== "none" && approximate !== "tanh")
    throw new RuntimeError(`approximate argument must be either none or tanh.`);
  return Gelu.apply([x], { approximate });
}

/** x·σ(x) (PyTorch's `F.silu`, also called swish). */
export function silu(x: Tensor): Tensor {
  return Silu.apply([x], undefined);
}

/** log(1 + e^(βx))/β, x itself where βx > threshold (PyTorch's `F.softplus`). */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  return Softplus.apply([x], { beta, threshold });
}

/** x clamped to [minVal, maxVal] (PyTorch's `F.hardtanh`, default [−1, 1]). */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  return Hardtanh.apply([x], { min: minVal, max: maxVal });
}
