/**
 * Losses as PyTorch 1.13 builds them: `MseLossBackward0`; `NllLossBackward0` for 1-D/2-D
 * input and `NllLoss2DBackward0` for 4-D (other ranks are viewed as 4-D, as `nll_loss_nd`
 * does); cross entropy = `logSoftmax` over the class dim, then the NLL loss (or, for a target
 * of class probabilities, −Σ target·logSoftmax composed from tensor ops).
 */
import { defineOp, traced } from "../autograd/apply";
import { Tensor } from "../tensor";
import { IndexError, RuntimeError, ValueError } from "../errors";
import { bracketed, broadcastShapes, sameShape } from "../shape";
import { expand, view, contiguous } from "./view";
import { logSoftmax } from "./activation";
import { checkLabelSmoothing, smoothedClassCrossEntropy } from "./labelSmoothing";
import { noGrad } from "../autograd/gradMode";

import { Reduction, checkReduction, warnIfSizesDiffer } from "./elementLoss";
export type { Reduction } from "./elementLoss";

const MseLoss = defineOp<{ reduction: Reduction }>({
  name: "MseLossBackward0",
  forward(ctx, [x, t], { reduction }) {
    ctx.save(x, t);
    const X = x._values;
    const T = t._values;
    if (reduction === "none")
      return Tensor._make(
        X.map((v, i) => (v - T[i]) ** 2),
        x.shape.slice(),
      );
    let s = 0;
    for (let i = 0; i < X.length; i++) s += (X[i] - T[i]) ** 2;
    return Tensor._make(Float32Array.of(reduction === "mean" ? s / X.length : s), []);
  },
  // d/dx (x − t)² = 2(x − t), scaled by the incoming gradient (and 1/n for the mean)
  backward(ctx, [g], { reduction }) {
    const [x, t] = ctx.saved;
    const X = x!._values;
    const T = t!._values;
    const G = g._values;
    const scale = reduction === "mean" ? 2 / X.length : 2;
    const gx = new Float32Array(X.length);
    for (let i = 0; i < X.length; i++)
      gx[i] = scale * (X[i] - T[i]) * (reduction === "none" ? G[i] : G[0]);
    const shape = x!.shape.slice();
    return [
      ctx.needsInputGrad[0] ? Tensor._make(gx, shape) : null,
      ctx.needsInputGrad[1]
        ? Tensor._make(
            gx.map((v) => -v),
            shape.slice(),
          )
        : null,
    ];
  },
  graphBackward(ctx, [g], { reduction }) {
    const [x, t] = ctx.saved;
    const gx = x!
      .sub(t!)
      .mul(g)
      .mul(reduction === "mean" ? 2 / x!.numel() : 2);
    return [ctx.needsInputGrad[0] ? gx : null, ctx.needsInputGrad[1] ? gx.neg() : null];
  },
});

/**
 * Mean squared error (PyTorch's `F.mse_loss`): mean (or sum, or each) of (input − target)².
 * Shapes that differ are broadcast, with PyTorch's warning. `F.mseLoss(a, b, { reduction: "sum" })`.
 */
export function mseLoss(
  input: Tensor,
  target: Tensor,
  options: Reduction | { reduction?: Reduction } = "mean",
): Tensor {
  return traced("mseLoss", [input, target], () => {
    const reduction = typeof options === "string" ? options : (options.reduction ?? "mean");
    warnIfSizesDiffer(input, target);
    checkReduction(reduction);
    if (input.dtype !== "float32")
      throw new RuntimeError(
        `"mse_cpu" not implemented for '${input.dtype === "int64" ? "Long" : "Bool"}'`,
      );
    const shape = broadcastShapes(input.shape, target.shape);
    const x = sameShape(input.shape, shape) ? input : expand(input, shape);
    const t = sameShape(target.shape, shape) ? target : expand(target, shape);
    return MseLoss.apply([x, t.float()], { reduction });
  });
}

/** The NLL loss's non-differentiable arguments. */
export interface NllAttrs {
  target: Tensor;
  weight: Tensor | null;
  reduction: Reduction;
  ignoreIndex: number;
}

/** Sees an input of this shape as [N, C, S] (S spatial positions) and its target as [N, S]. */
function nllDims(shape: readonly number[]): [number, number, number] {
  if (shape.length === 1) return [1, shape[0], 1];
  const [N, C] = shape;
  return [N, C, shape.slice(2).reduce((p, q) => p * q, 1)];
}

/** Per target cell: its class and weight (0 for ignored cells), checking the class range. */
function targetWeights(a: NllAttrs, C: number): [Int32Array, Float32Array] {
  const T = a.target._values;
  const cls = new Int32Array(T.length);
  const w = new Float32Array(T.length);
  for (let i = 0; i < T.length; i++) {
    const t = T[i];
    if (t === a.ignoreIndex) continue;
    if (t < 0 || t >= C)
      throw new IndexError(`Target ${t} is out of bounds.`, { kind: "targetOutOfBounds", target: t, classes: C });
    cls[i] = t;
    w[i] = a.weight ? a.weight._values[t] : 1;
  }
  return [cls, w];
}

const nllLossOp = (name: string) =>
  defineOp<NllAttrs>({
    name,
    forward(_ctx, [x], a) {
      const [N, C, S] = nllDims(x.shape);
      const [cls, w] = targetWeights(a, C);
      const X = x._values;
      const losses = new Float32Array(N * S);
      let total = 0;
      let weightSum = 0;
      for (let n = 0; n < N; n++) {
        for (let s = 0; s < S; s++) {
          const i = n * S + s;
          losses[i] = w[i] === 0 ? 0 : -w[i] * X[(n * C + cls[i]) * S + s];
          total += losses[i];
          weightSum += w[i];
        }
      }
      if (a.reduction === "none") return Tensor._make(losses, a.target.shape.slice());
      // NOTE: the mean divides by the summed weights; all targets ignored gives 0/0 = NaN
      return Tensor._make(Float32Array.of(a.reduction === "sum" ? total : total / weightSum), []);
    },
    // d loss / d x[n, t_n] = −w[t_n] (÷ Σw for the mean); every other entry is 0
    backward(ctx, [g], a) {
      const shape = ctx.inputShape(0);
      const [N, C, S] = nllDims(shape);
      const [cls, w] = targetWeights(a, C);
      const weightSum = w.reduce((p, q) => p + q, 0);
      const G = g._values;
      const gx = new Float32Array(N * C * S);
      for (let i = 0; i < N * S; i++) {
        if (w[i] === 0) continue;
        const n = Math.floor(i / S);
        const s = i % S;
        const gi = a.reduction === "none" ? G[i] : a.reduction === "sum" ? G[0] : G[0] / weightSum;
        gx[(n * C + cls[i]) * S + s] = -w[i] * gi;
      }
      return [Tensor._make(gx, shape.slice())];
    },
  });
const NllLoss = nllLossOp("NllLossBackward0");
const NllLoss2D = nllLossOp("NllLoss2DBackward0");

/** Options of `nllLoss` and `crossEntropy` (PyTorch's keyword arguments). */
export interface NllOptions {
  /** A weight per class. */
  weight?: Tensor | null;
  /** Target value that contributes nothing (default −100). */
  ignoreIndex?: number;
  reduction?: Reduction;
}

function checkTarget(target: Tensor): void {
  if (target.dtype !== "int64")
    throw new RuntimeError(
      `expected scalar type Long but found ${target.dtype === "float32" ? "Float" : "Bool"}`,
      { kind: "dtype", expected: "Long", got: target.dtype === "float32" ? "Float" : "Bool" },
    );
}

/**
 * Negative log-likelihood of class indices (PyTorch's `F.nll_loss`): input [N, C] of
 * log-probabilities (or [C], or [N, C, d1, …]), target [N] of class indices (or [], or [N, d1, …]).
 * @example F.nllLoss(logp, torch.tensor([1, 0, 4]))
 */
export function nllLoss(input: Tensor, target: Tensor, options: NllOptions = {}): Tensor {
  return traced("nllLoss", [input, target], () => checkedNllLoss(input, target, options));
}

/** `nllLoss` after PyTorch's checks, in their order (also the second half of `crossEntropy`). */
function checkedNllLoss(input: Tensor, target: Tensor, options: NllOptions): Tensor {
  const reduction = options.reduction ?? "mean";
  checkReduction(reduction);
  const a = (t: Tensor): NllAttrs => ({
    target: t,
    weight: options.weight ?? null,
    reduction,
    ignoreIndex: options.ignoreIndex ?? -100,
  });
  if (input.dim() < 1) throw new ValueError(`Expected 1 or more dimensions (got ${input.dim()})`);
  if (input.dim() !== 1 && input.shape[0] !== target.shape[0]) {
    throw new ValueError(
      `Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`,
      { kind: "batchSize", input: input.shape[0], target: target.shape[0] },
    );
  }
  const C = input.dim() === 1 ? input.shape[0] : input.shape[1];
  const w = options.weight;
  if (w && w.requiresGrad) {
    throw new RuntimeError(
      "The function 'nll_loss_forward' is not differentiable with respect to argument 'weight'. This input cannot have requires_grad True.",
    );
  }
  if (input.dim() <= 2) {
    if (target.dim() > 1)
      throw new RuntimeError("0D or 1D target tensor expected, multi-target not supported");
    const noBatch = input.dim() === 1 && target.dim() === 0;
    if (!noBatch && input.shape[0] !== target.shape[0]) {
      throw new RuntimeError(
        `size mismatch (got input: ${bracketed(input.shape)}, target: ${bracketed(target.shape)})`,
        { kind: "targetSize", input: input.shape.slice(), target: target.shape.slice() },
      );
    }
    checkClassWeight(w, C);
    checkTarget(target);
    return NllLoss.apply([input], a(target));
  }
  if (input.dim() === 4) {
    if (target.dim() !== 3) {
      throw new RuntimeError(
        `only batches of spatial targets supported (3D tensors) but got targets of dimension: ${target.dim()}`,
      );
    }
    if (w && w.numel() !== C)
      throw new RuntimeError("weight tensor should be defined either for all or no classes");
    const [n, , h, wd] = input.shape;
    if (n !== target.shape[0] || h !== target.shape[1] || wd !== target.shape[2]) {
      throw new RuntimeError(
        `size mismatch (got input: ${bracketed(input.shape)} , target: ${bracketed(target.shape)}`,
        { kind: "targetSize", input: input.shape.slice(), target: target.shape.slice() },
      );
    }
    checkTarget(target);
    return NllLoss2D.apply([input], a(target));
  }
  // 3-D or 5+-D: viewed as [N, C, 1, -1] for the 2-D loss, the result viewed back
  const outSize = [input.shape[0], ...input.shape.slice(2)];
  if (!sameShape(target.shape.slice(1), input.shape.slice(2))) {
    throw new RuntimeError(
      `Expected target size ${bracketed(outSize)}, got ${bracketed(target.shape)}`,
      { kind: "targetSize", input: input.shape.slice(), target: target.shape.slice() },
    );
  }
  const x4 = view(contiguous(input), [input.shape[0], C, 1, -1]);
  const t3 = Tensor._make(
    target._values,
    [target.shape[0], 1, target.numel() / Math.max(target.shape[0], 1)],
    "int64",
  );
  const out = checkedNllLoss(x4, t3, options);
  return reduction === "none" ? view(out, outSize) : out;
}

function checkClassWeight(w: Tensor | null | undefined, C: number): void {
  if (w && (w.dim() !== 1 || w.numel() !== C)) {
    throw new RuntimeError(
      `weight tensor should be defined either for all ${C} classes or no classes but got weight tensor of shape: ${bracketed(w.shape)}`,
    );
  }
}

/** Options of `crossEntropy`. */
export interface CrossEntropyOptions extends NllOptions {
  /** ε in [0, 1]: the target becomes (1 − ε)·one-hot + ε/C (PyTorch 1.10+). */
  labelSmoothing?: number;
}

/**
 * Cross entropy of logits (PyTorch's `F.cross_entropy`): `logSoftmax` over the class dim (dim 1,
 * or 0 for unbatched [C]) followed by `nllLoss`. A target of the input's shape is read as class
 * probabilities instead of indices.
 * @example F.crossEntropy(logits, torch.tensor([1, 0, 4]))   // gradFn NllLossBackward0
 */
export function crossEntropy(
  input: Tensor,
  target: Tensor,
  options: CrossEntropyOptions = {},
): Tensor {
  return traced("crossEntropy", [input, target], () => checkedCrossEntropy(input, target, options));
}

function checkedCrossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions): Tensor {
  const ls = options.labelSmoothing ?? 0;
  checkLabelSmoothing(ls);
  const classDim = input.dim() === 1 ? 0 : 1;
  if (sameShape(input.shape, target.shape) && target.dtype === "float32") {
    const C = input.shape[classDim];
    const smoothed = ls > 0 ? noGrad(() => target.mul(1 - ls).add(ls / C)) : target;
    return probabilityCrossEntropy(input, smoothed, classDim, options);
  }
  if (input.dtype !== "float32") {
    throw new RuntimeError(
      `"log_softmax_lastdim_kernel_impl" not implemented for '${input.dtype === "int64" ? "Long" : "Bool"}'`,
    );
  }
  const logp = logSoftmax(input, classDim);
  const nll = checkedNllLoss(logp, target, options);
  return ls > 0
    ? smoothedClassCrossEntropy(logp, target, nll, { ...options, labelSmoothing: ls })
    : nll;
}

/** ATen's cross_entropy_loss_prob_target: −Σ target·logSoftmax(input) (÷ N for the mean). */
function probabilityCrossEntropy(
  input: Tensor,
  target: Tensor,
  classDim: number,
  options: NllOptions,
): Tensor {
  const reduction = options.reduction ?? "mean";
  checkReduction(reduction);
  const C = input.shape[classDim];
  checkClassWeight(options.weight, C);
  if ((options.ignoreIndex ?? -100) !== -100)
    throw new RuntimeError("ignore_index is not supported for floating point target");
  const logp = logSoftmax(input, classDim);
  let terms = logp.mul(target);
  if (options.weight) {
    const shape = input.shape.map((s, d) => (d === classDim ? C : 1));
    terms = terms.mul(options.weight.view(shape));
  }
  if (reduction === "sum") return terms.sum().neg();
  if (reduction === "none") return terms.sum(classDim).neg();
  return DivScalar.apply([terms.sum().neg()], { divisor: input.numel() / C });
}

/** x / s for a number s, as ATen's `div.Scalar` (one input edge: `DivBackward1`). */
const DivScalar = defineOp<{ divisor: number }>({
  name: "DivBackward1",
  forward: (_ctx, [x], { divisor }) =>
    Tensor._make(
      x._values.map((v) => v / divisor),
      x.shape.slice(),
    ),
  backward: (_ctx, [g], { divisor }) => [
    Tensor._make(
      g._values.map((v) => v / divisor),
      g.shape.slice(),
    ),
  ],
  graphBackward: (_ctx, [g], { divisor }) => [g.div(divisor)],
});
