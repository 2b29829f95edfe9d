/**
 * `F.batchNorm`, `F.layerNorm` and `F.groupNorm`: PyTorch's argument checks and messages, the
 * running statistics update, then the shared normalization op (ops/normalization.ts).
 */
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";
import { bracketed, sameShape } from "../shape";
import { PositionalOr, optionsFrom } from "../nn/args";
import {
  NativeBatchNorm,
  NativeGroupNorm,
  NativeLayerNorm,
  NormAttrs,
  absent,
  batchNormLayout,
  groupNormLayout,
  layerNormLayout,
} from "./normalization";

/** Options of `batchNorm` (PyTorch's keyword arguments). */
export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Batch statistics (true) or the running ones (false, PyTorch's default). */
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/** Writes new values into a buffer in place (a running statistic), bumping its version. */
function overwrite(t: Tensor, values: ArrayLike<number>): void {
  t._values.set(values);
  t._versionCounter.n++;
}

/**
 * Batch normalization over dim 1 of [N, C, *] (PyTorch's `F.batch_norm`): with
 * `training: true` the batch's statistics normalize and, when given, the running mean and
 * variance move towards them by `momentum` (the variance unbiased); otherwise the running
 * statistics normalize. gradFn `NativeBatchNormBackward0`.
 * @example F.batchNorm(x, runningMean, runningVar, { weight, bias, training: true })
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  ...args: PositionalOr<
    [
      weight?: Tensor | null,
      bias?: Tensor | null,
      training?: boolean,
      momentum?: number,
      eps?: number,
    ],
    BatchNormOptions
  >
): Tensor {
  const options = optionsFrom<BatchNormOptions>("batchNorm", [
    "weight",
    "bias",
    "training",
    "momentum",
    "eps",
  ], args);
  const { training = false, momentum = 0.1, eps = 1e-5 } = options;
  const C = input.dim() > 1 ? input.shape[1] : 1;
  const check = () => {
    const given = [
      ["running_mean", runningMean],
      ["running_var", runningVar],
      ["weight", options.weight],
      ["bias", options.bias],
    ] as const;
    for (const [name, t] of given) {
      if (t && t.numel() !== C)
        throw new RuntimeError(`${name} should contain ${C} elements not ${t.numel()}`, {
          kind: "normFeatures",
          expected: t.numel(),
          got: C,
          input: input.shape.slice(),
        });
    }
    if (!training && (!runningMean || !runningVar))
      throw new RuntimeError("running_mean and running_var must be defined in evaluation mode");
  };
  const layout = batchNormLayout(input.shape);
  const attrs: NormAttrs = { layout, eps, fixed: null, check };
  if (!training && runningMean && runningVar) {
    attrs.fixed = {
      mean: Float64Array.from(runningMean._values),
      rstd: Float64Array.from(runningVar._values, (v) => 1 / Math.sqrt(v + eps)),
    };
  }
  const out = NativeBatchNorm.apply(
    [input, options.weight ?? absent(), options.bias ?? absent()],
    attrs,
  );
  if (training && attrs.batchStats && (runningMean || runningVar)) {
    const n = input.numel() / C;
    const { mean, variance } = attrs.batchStats;
    if (runningMean)
      overwrite(
        runningMean,
        runningMean._values.map((r, c) => momentum * mean[c] + (1 - momentum) * r),
      );
    if (runningVar) {
      const unbiased = (c: number) => (variance[c] * n) / (n - 1);
      overwrite(
        runningVar,
        runningVar._values.map((r, c) => momentum * unbiased(c) + (1 - momentum) * r),
      );
    }
  }
  return out;
}

/**
 * Normalizes over the last dims `normalizedShape` (PyTorch's `F.layer_norm`); gradFn
 * `NativeLayerNormBackward0`.
 * @example F.layerNorm(x, [64], weight, bias)
 */
export function layerNorm(
  input: Tensor,
  normalizedShape: number | number[],
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps = 1e-5,
): Tensor {
  const ns = typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape.slice();
  const check = () => {
    const tail = input.shape.slice(input.dim() - ns.length);
    if (ns.length === 0 || input.dim() < ns.length || !sameShape(tail, ns)) {
      throw new RuntimeError(
        `Given normalized_shape=${bracketed(ns)}, expected input with shape [*, ${ns.join(", ")}], but got input of size${bracketed(input.shape)}`,
        { kind: "normalizedShape", normalizedShape: ns.slice(), input: input.shape.slice() },
      );
    }
    for (const [name, t] of [
      ["weight", weight],
      ["bias", bias],
    ] as const) {
      if (t && !sameShape(t.shape, ns)) {
        throw new RuntimeError(
          `Expected ${name} to be of same shape as normalized_shape, but got ${name} of shape ${bracketed(t.shape)} and normalized_shape = ${bracketed(ns)}`,
        );
      }
    }
  };
  const d = ns.reduce((p, q) => p * q, 1);
  const layout = layerNormLayout(input.numel(), d);
  const attrs: NormAttrs = { layout, eps, fixed: null, check };
  return NativeLayerNorm.apply([input, weight ?? absent(), bias ?? absent()], attrs);
}

/**
 * Normalizes [N, C, *] over groups of C/numGroups channels (PyTorch's `F.group_norm`); gradFn
 * `NativeGroupNormBackward0`.
 */
export function groupNorm(
  input: Tensor,
  numGroups: number,
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps = 1e-5,
): Tensor {
  const C = input.shape[1];
  const check = () => {
    if (input.dim() < 2 || C % numGroups !== 0) {
      throw new RuntimeError(
        `Expected number of channels in input to be divisible by num_groups, but got input of shape ${bracketed(input.shape)} and num_groups=${numGroups}`,
        { kind: "groupNormGroups", numGroups, channels: C ?? 0, input: input.shape.slice() },
      );
    }
    for (const [name, t] of [
      ["weight", weight],
      ["bias", bias],
    ] as const) {
      if (t && (t.dim() !== 1 || t.numel() !== C)) {
        throw new RuntimeError(
          `Expected ${name} to be a vector of size equal to the number of channels in input, but got ${name} of shape ${bracketed(t.shape)} and input of shape ${bracketed(input.shape)}`,
        );
      }
    }
  };
  const ok = input.dim() >= 2 && C % numGroups === 0;
  const layout = ok ? groupNormLayout(input.shape, numGroups) : layerNormLayout(0, 1);
  const attrs: NormAttrs = { layout, eps, fixed: null, check };
  return NativeGroupNorm.apply([input, weight ?? absent(), bias ?? absent()], attrs);
}
