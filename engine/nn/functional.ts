/**
 * `nn.functional` (`const F = nn.functional`): the layers as functions, with PyTorch's
 * argument order and options last. Each builds the same graph nodes PyTorch 1.13 builds.
 */
import { Tensor } from "../tensor";
import { addmm, matmul } from "../ops/matmul";
import { t, view } from "../ops/view";
import { relu as reluOp, tanh as tanhOp, sigmoid as sigmoidOp } from "../ops/unary";
import { softmax as softmaxOp, logSoftmax as logSoftmaxOp } from "../ops/activation";

export { conv1d, conv2d, convTranspose1d, convTranspose2d } from "../ops/convFunctional";
export type { ConvOptions, ConvTransposeOptions, IntOrList, ConvArgs, ConvTransposeArgs } from "../ops/convFunctional";
export { maxPool2d, maxPool2dWithIndices, avgPool2d } from "../ops/pool";
export type { MaxPoolOptions, AvgPoolOptions, IntOrPair, MaxPoolArgs, AvgPoolArgs } from "../ops/pool";
export { mseLoss, nllLoss, crossEntropy } from "../ops/loss";
export type { Reduction, NllOptions, CrossEntropyOptions } from "../ops/loss";
export {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  l1Loss,
  smoothL1Loss,
  huberLoss,
  klDiv,
} from "../ops/losses";
export type {
  BceOptions,
  BceWithLogitsOptions,
  SmoothL1Options,
  HuberOptions,
  KlReduction,
} from "../ops/losses";
export { leakyRelu, elu, gelu, silu, softplus, hardtanh } from "../ops/pointwise";
export { batchNorm, layerNorm, groupNorm } from "../ops/normFunctional";
export type { BatchNormOptions } from "../ops/normFunctional";
export { dropout, dropout1d, dropout2d } from "../ops/dropout";
export { embedding } from "../ops/embedding";
export {
  adaptiveAvgPool2d,
  adaptiveMaxPool2d,
  adaptiveMaxPool2dWithIndices,
} from "../ops/adaptivePool";
export type { AdaptiveSize } from "../ops/adaptivePool";
export { avgPool1d, maxPool1d, maxPool1dWithIndices } from "../ops/pool1d";
export type { AvgPool1dOptions, MaxPool1dOptions } from "../ops/pool1d";
export { interpolate } from "../ops/upsample";
export type { InterpolateOptions, InterpolateMode } from "../ops/upsample";
export { unflatten } from "../ops/unflatten";
export { pad } from "../ops/pad";
export type { PadMode } from "../ops/pad";

/**
 * x·Wᵀ + b (PyTorch's `F.linear`), composed as ATen composes it: `addmm` for a 2-D input
 * with a bias (`AddmmBackward0`, the weight through `TBackward0`), the same between two views
 * for a contiguous 3-D input, and `matmul` (+ `add`) otherwise.
 * @example F.linear(torch.randn(4, 3), w, b)   // [4, 2] for w [2, 3]
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (x.dim() === 2 && bias) return addmm(bias, x, t(weight));
  if (x.dim() === 3 && bias && x.isContiguous()) {
    const [a, b, k] = x.shape;
    const out = addmm(bias, view(x, [a * b, k]), t(weight));
    return view(out, [a, b, out.shape[1]]);
  }
  const out = matmul(x, t(weight));
  return bias ? out.add(bias) : out;
}

/** max(x, 0) element-wise (`ReluBackward0`). NOTE: the gradient at 0 is 0, as in PyTorch. */
export function relu(x: Tensor): Tensor {
  return reluOp(x);
}

/** tanh element-wise. */
export function tanh(x: Tensor): Tensor {
  return tanhOp(x);
}

/** 1/(1 + e⁻ˣ) element-wise. */
export function sigmoid(x: Tensor): Tensor {
  return sigmoidOp(x);
}

/** exp(x)/Σ exp(x) along `dim`. */
export function softmax(x: Tensor, dim: number): Tensor {
  return softmaxOp(x, dim);
}

/** log(softmax(x)) along `dim`, computed stably. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return logSoftmaxOp(x, dim);
}
