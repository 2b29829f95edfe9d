/**
 * The tutorials' other losses, as PyTorch 1.13 builds them: `BinaryCrossEntropyBackward0`,
 * `BinaryCrossEntropyWithLogitsBackward0`, `SmoothL1LossBackward0`, `HuberLossBackward0` are
 * one op each; `l1_loss` and `kl_div` are composed from tensor ops (`AbsBackward0` of
 * `SubBackward0`, then `MeanBackward0`/`SumBackward0`), so their graphs show those.
 */
import { defineOp, traced } from "../autograd/apply";
import { Tensor } from "../tensor";
import { RuntimeError, ValueError } from "../errors";
import { sameShape, torchSize } from "../shape";
import { expandTo } from "../tensorKernels";
import { PositionalOr, optionsFrom } from "../nn/args";
import { Reduction, checkReduction, defineElementLoss, warnIfSizesDiffer } from "./elementLoss";

interface WeightedAttrs {
  reduction: Reduction;
  /** Per element (the input's shape), or null. */
  weight: Float32Array | null;
  posWeight: Float32Array | null;
}

const EPSILON = 1e-12;
const w = (a: WeightedAttrs, i: number) => (a.weight ? a.weight[i] : 1);

// −w·(t·log x + (1 − t)·log(1 − x)), each log clamped at −100 (PyTorch's guard against log 0)
const BinaryCrossEntropy = defineElementLoss<WeightedAttrs>("BinaryCrossEntropyBackward0", {
  value: (x, t, a, i) =>
    -w(a, i) * (t * Math.max(Math.log(x), -100) + (1 - t) * Math.max(Math.log(1 - x), -100)),
  dInput: (x, t, a, i) => (w(a, i) * (x - t)) / Math.max((1 - x) * x, EPSILON),
  dTarget: (x, _t, a, i) => -w(a, i) * Math.log(x / (1 - x)),
  // d/dx (x − t)/(x(1 − x)) = (x(1 − x) − (x − t)(1 − 2x)) / (x(1 − x))²
  second: {
    inputX: (x, t, a, i) => (w(a, i) * ((1 - x) * x - (x - t) * (1 - 2 * x))) / ((1 - x) * x) ** 2,
    inputT: (x, _t, a, i) => -w(a, i) / Math.max((1 - x) * x, EPSILON),
    targetX: (x, _t, a, i) => -w(a, i) / Math.max((1 - x) * x, EPSILON),
    targetT: () => 0,
  },
});

/** log σ(z), computed without overflow. */
const logSigmoid = (z: number) =>
  -(Math.max(-z, 0) + Math.log(Math.exp(-Math.max(-z, 0)) + Math.exp(-z - Math.max(-z, 0))));

// (1 − t)·x + l·log(1 + e⁻ˣ) with l = 1 + (p − 1)·t (p the positive class weight, default 1)
const BinaryCrossEntropyWithLogits = defineElementLoss<WeightedAttrs>(
  "BinaryCrossEntropyWithLogitsBackward0",
  {
    value(x, t, a, i) {
      const l = a.posWeight ? 1 + (a.posWeight[i] - 1) * t : 1;
      return w(a, i) * ((1 - t) * x - l * logSigmoid(x));
    },
    dInput(x, t, a, i) {
      const s = 1 / (1 + Math.exp(-x));
      if (!a.posWeight) return w(a, i) * (s - t);
      const pt = a.posWeight[i] * t;
      return w(a, i) * ((pt + 1 - t) * s - pt);
    },
    dTarget(x, _t, a, i) {
      if (!a.posWeight) return -w(a, i) * x;
      return w(a, i) * (logSigmoid(-x) - logSigmoid(x) * a.posWeight[i]);
    },
    // with p the positive weight (1 without): dInput = w((pt + 1 − t)σ − pt)
    second: {
      inputX: (x, t, a, i) => {
        const s = 1 / (1 + Math.exp(-x));
        const p = a.posWeight ? a.posWeight[i] : 1;
        return w(a, i) * (p * t + 1 - t) * s * (1 - s);
      },
      inputT: (x, _t, a, i) => {
        const p = a.posWeight ? a.posWeight[i] : 1;
        return w(a, i) * ((p - 1) / (1 + Math.exp(-x)) - p);
      },
      targetX: (x, _t, a, i) => {
        const s = 1 / (1 + Math.exp(-x));
        const p = a.posWeight ? a.posWeight[i] : 1;
        return w(a, i) * (-s - p * (1 - s));
      },
      targetT: () => 0,
    },
  },
);

interface SmoothAttrs {
  reduction: Reduction;
  /** smooth L1's β, or Huber's δ. */
  beta: number;
}

// ½d²/β where |d| < β, else |d| − ½β (d = x − t)
const SmoothL1Loss = defineElementLoss<SmoothAttrs>("SmoothL1LossBackward0", {
  value: (x, t, { beta }) =>
    Math.abs(x - t) < beta ? (0.5 * (x - t) ** 2) / beta : Math.abs(x - t) - 0.5 * beta,
  dInput: (x, t, { beta }) => smoothL1Slope(x - t, beta),
  dTarget: (x, t, { beta }) => -smoothL1Slope(x - t, beta),
  second: curvature((d, beta) => (Math.abs(d) < beta ? 1 / beta : 0)),
});

// ½d² where |d| < δ, else δ(|d| − ½δ)
const HuberLoss = defineElementLoss<SmoothAttrs>("HuberLossBackward0", {
  value: (x, t, { beta: delta }) =>
    Math.abs(x - t) < delta ? 0.5 * (x - t) ** 2 : delta * (Math.abs(x - t) - 0.5 * delta),
  dInput: (x, t, { beta: delta }) => smoothSlope(x - t, delta),
  dTarget: (x, t, { beta: delta }) => -smoothSlope(x - t, delta),
  second: curvature((d, delta) => (Math.abs(d) < delta ? 1 : 0)),
});

/** Second derivatives of a loss of d = x − t with curvature c(d): ±c in x and t. */
function curvature(c: (d: number, k: number) => number) {
  return {
    inputX: (x: number, t: number, { beta }: SmoothAttrs) => c(x - t, beta),
    inputT: (x: number, t: number, { beta }: SmoothAttrs) => -c(x - t, beta),
    targetX: (x: number, t: number, { beta }: SmoothAttrs) => -c(x - t, beta),
    targetT: (x: number, t: number, { beta }: SmoothAttrs) => c(x - t, beta),
  };
}

/** d clamped to [−k, k]: Huber's slope, and smooth L1's times β. */
const smoothSlope = (d: number, k: number) => (d < -k ? -k : d > k ? k : d);
// NOTE: ±1 from |d| = β on, as ATen's `x <= -β` test: with β = 0 the slope at d = 0 is −1
const smoothL1Slope = (d: number, beta: number) => (d <= -beta ? -1 : d >= beta ? 1 : d / beta);

/** A per-element weight broadcast to `shape` (PyTorch broadcasts weight and pos_weight). */
function perElement(t: Tensor | null | undefined, shape: number[]): Float32Array | null {
  return t ? expandTo(t, shape)._values : null;
}

/** Options of `binaryCrossEntropy`. */
export interface BceOptions {
  /** A weight per element, broadcast to the input's shape. */
  weight?: Tensor | null;
  reduction?: Reduction;
}

/** Options of `binaryCrossEntropyWithLogits`. */
export interface BceWithLogitsOptions extends BceOptions {
  /** A weight of the positive class per class (the last dim), broadcast to the input's shape. */
  posWeight?: Tensor | null;
}

/**
 * Binary cross entropy of probabilities (PyTorch's `F.binary_cross_entropy`); the input must
 * lie in [0, 1] (after a sigmoid).
 * @example F.binaryCrossEntropy(torch.sigmoid(logits), target)
 */
export function binaryCrossEntropy(
  input: Tensor,
  target: Tensor,
  ...args: PositionalOr<[weight?: Tensor | null], BceOptions>
): Tensor {
  return traced("binaryCrossEntropy", [input, target], () => {
    const options = optionsFrom<BceOptions>("binaryCrossEntropy", ["weight"], args);
    const reduction = options.reduction ?? "mean";
    if (!sameShape(input.shape, target.shape)) {
      throw new ValueError(
        `Using a target size (${torchSize(target.shape)}) that is different to the input size (${torchSize(input.shape)}) is deprecated. Please ensure they have the same size.`,
        { kind: "targetSize", input: input.shape.slice(), target: target.shape.slice() },
      );
    }
    checkReduction(reduction);
    if (input._values.some((v) => !(v >= 0 && v <= 1)))
      throw new RuntimeError("all elements of input should be between 0 and 1");
    const attrs = { reduction, weight: perElement(options.weight, input.shape), posWeight: null };
    return BinaryCrossEntropy.apply([input, target.float()], attrs);
  });
}

/**
 * Binary cross entropy of logits, a sigmoid built in and computed stably (PyTorch's
 * `F.binary_cross_entropy_with_logits`).
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  ...args: PositionalOr<[weight?: Tensor | null], BceWithLogitsOptions>
): Tensor {
  return traced("binaryCrossEntropyWithLogits", [input, target], () => {
    const options = optionsFrom<BceWithLogitsOptions>("binaryCrossEntropyWithLogits", ["weight"], args);
    const reduction = options.reduction ?? "mean";
    if (!sameShape(input.shape, target.shape)) {
      throw new ValueError(
        `Target size (${torchSize(target.shape)}) must be the same as input size (${torchSize(input.shape)})`,
        { kind: "targetSize", input: input.shape.slice(), target: target.shape.slice() },
      );
    }
    checkReduction(reduction);
    const attrs = {
      reduction,
      weight: perElement(options.weight, input.shape),
      posWeight: perElement(options.posWeight, input.shape),
    };
    return BinaryCrossEntropyWithLogits.apply([input, target.float()], attrs);
  });
}

/** Options of `smoothL1Loss`. */
export interface SmoothL1Options {
  reduction?: Reduction;
  /** Where the quadratic part ends (default 1); 0 is the L1 loss. */
  beta?: number;
}

/** Options of `huberLoss`. */
export interface HuberOptions {
  reduction?: Reduction;
  /** Where the quadratic part ends (default 1). */
  delta?: number;
}

/** The reduction of an element-wise loss tensor, as ATen's apply_loss_reduction. */
function reduce(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === "mean" ? loss.mean() : reduction === "sum" ? loss.sum() : loss;
}

/**
 * Mean absolute error (PyTorch's `F.l1_loss`), composed as ATen composes it: |x − t| then the
 * reduction.
 */
export function l1Loss(
  input: Tensor,
  target: Tensor,
  options: { reduction?: Reduction } = {},
): Tensor {
  return traced("l1Loss", [input, target], () => {
    const reduction = options.reduction ?? "mean";
    warnIfSizesDiffer(input, target);
    checkReduction(reduction);
    return reduce(input.sub(target).abs(), reduction);
  });
}

/** Quadratic below β, linear above (PyTorch's `F.smooth_l1_loss`). */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1Options = {}): Tensor {
  return traced("smoothL1Loss", [input, target], () => {
    const { reduction = "mean", beta = 1 } = options;
    warnIfSizesDiffer(input, target);
    checkReduction(reduction);
    if (beta < 0) throw new RuntimeError("smooth_l1_loss does not support negative values for beta.");
    return SmoothL1Loss.apply(broadcastPair(input, target), { reduction, beta });
  });
}

/** Quadratic below δ, δ-linear above (PyTorch's `F.huber_loss`). */
export function huberLoss(input: Tensor, target: Tensor, options: HuberOptions = {}): Tensor {
  return traced("huberLoss", [input, target], () => {
    const { reduction = "mean", delta = 1 } = options;
    warnIfSizesDiffer(input, target);
    checkReduction(reduction);
    if (!(delta > 0))
      throw new RuntimeError("huber_loss does not support non-positive values for delta.");
    return HuberLoss.apply(broadcastPair(input, target), { reduction, beta: delta });
  });
}

function broadcastPair(input: Tensor, target: Tensor): [Tensor, Tensor] {
  if (sameShape(input.shape, target.shape)) return [input, target.float()];
  const shape = input.add(target).shape; // the broadcast shape (throws PyTorch's error if none)
  return [input.expand(shape), target.float().expand(shape)];
}

/** How `klDiv` reduces: PyTorch's reductions plus `batchmean` (the sum over the batch size). */
export type KlReduction = Reduction | "batchmean";

/** x·log y, 0 where x = 0 (`XlogyBackward0`). */
const Xlogy = defineOp({
  name: "XlogyBackward0",
  forward(ctx, [x, y]) {
    ctx.save(x, y);
    const X = x._values;
    const Y = y._values;
    return Tensor._make(
      X.map((v, i) => (v === 0 && !Number.isNaN(Y[i]) ? 0 : v * Math.log(Y[i]))),
      x.shape.slice(),
    );
  },
  // ∂/∂x = log y (0 where x = 0), ∂/∂y = x/y
  backward(ctx, [g]) {
    const [x, y] = ctx.saved as Tensor[];
    const X = x._values;
    const Y = y._values;
    const G = g._values;
    return [
      ctx.needsInputGrad[0]
        ? Tensor._make(
            G.map((gi, i) => (X[i] !== 0 ? gi * Math.log(Y[i]) : 0)),
            x.shape.slice(),
          )
        : null,
      ctx.needsInputGrad[1]
        ? Tensor._make(
            G.map((gi, i) => (gi * X[i]) / Y[i]),
            y.shape.slice(),
          )
        : null,
    ];
  },
});

/**
 * Kullback–Leibler divergence of log-probabilities `input` from `target` (PyTorch's
 * `F.kl_div`): t·(log t − x) element-wise, or e^t·(t − x) with `logTarget`. Use
 * `reduction: "batchmean"` for the mathematical KL divergence.
 */
export function klDiv(
  input: Tensor,
  target: Tensor,
  options: { reduction?: KlReduction; logTarget?: boolean } = {},
): Tensor {
  return traced("klDiv", [input, target], () => {
    const { reduction = "mean", logTarget = false } = options;
    if (reduction !== "batchmean") checkReduction(reduction);
    if (reduction === "mean") {
      (globalThis as { console?: { warn(message: string): void } }).console?.warn(
        "UserWarning: reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.",
      );
    }
    const each = logTarget
      ? target.exp().mul(target.sub(input))
      : Xlogy.apply([target, target], undefined).sub(target.mul(input));
    if (reduction === "batchmean")
      return input.dim() === 0 ? each.sum() : each.sum().div(input.shape[0]);
    return reduce(each, reduction);
  });
}
