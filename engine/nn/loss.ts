/**
 * Loss layers, each the functional loss with its options kept (PyTorch's defaults: mean
 * reduction, ignore index −100): `nn.MSELoss`, `nn.CrossEntropyLoss`, `nn.NLLLoss`,
 * `nn.BCELoss`, `nn.BCEWithLogitsLoss`, `nn.L1Loss`, `nn.SmoothL1Loss`, `nn.HuberLoss`,
 * `nn.KLDivLoss`. A class weight may also be passed first, as PyTorch's positional `weight`:
 * `new nn.CrossEntropyLoss(torch.tensor([1, 2, 1]))`.
 */
import { Tensor } from "../tensor";
import { Module } from "./module";
import {
  mseLoss,
  crossEntropy,
  nllLoss,
  Reduction,
  NllOptions,
  CrossEntropyOptions,
} from "../ops/loss";
import {
  BceOptions,
  BceWithLogitsOptions,
  HuberOptions,
  KlReduction,
  SmoothL1Options,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  huberLoss,
  klDiv,
  l1Loss,
  smoothL1Loss,
} from "../ops/losses";

/** A loss layer over `fn(input, target, options)`. */
function lossLayer<O extends object>(fn: (input: Tensor, target: Tensor, options: O) => Tensor) {
  return class extends Module {
    readonly options: O;
    /** Options, or PyTorch's positional class weight then options. */
    constructor(weightOrOptions?: Tensor | O | null, options?: O) {
      super();
      this.options =
        weightOrOptions instanceof Tensor || weightOrOptions === null
          ? ({ ...options, weight: weightOrOptions } as O)
          : ({ ...(weightOrOptions ?? options) } as O);
    }
    forward(input: Tensor, target: Tensor): Tensor {
      return fn(input, target, this.options);
    }
  };
}

/** Mean squared error between input and target (PyTorch's `nn.MSELoss`). */
export class MSELoss extends lossLayer<{ reduction?: Reduction }>(mseLoss) {}

/**
 * Cross entropy of logits and class indices or probabilities (PyTorch's `nn.CrossEntropyLoss`),
 * with class weights, `ignoreIndex` and `labelSmoothing`.
 * @example new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits, torch.tensor([1, 0, 4]))
 */
export class CrossEntropyLoss extends lossLayer<CrossEntropyOptions>(crossEntropy) {}

/** Negative log-likelihood of log-probabilities and class indices (PyTorch's `nn.NLLLoss`). */
export class NLLLoss extends lossLayer<NllOptions>(nllLoss) {}

/** Binary cross entropy of probabilities (PyTorch's `nn.BCELoss`); put a sigmoid before it. */
export class BCELoss extends lossLayer<BceOptions>(binaryCrossEntropy) {}

/**
 * Binary cross entropy of logits, the sigmoid built in (PyTorch's `nn.BCEWithLogitsLoss`),
 * with `posWeight` for the positive class.
 */
export class BCEWithLogitsLoss extends lossLayer<BceWithLogitsOptions>(
  binaryCrossEntropyWithLogits,
) {}

/** Mean absolute error (PyTorch's `nn.L1Loss`). */
export class L1Loss extends lossLayer<{ reduction?: Reduction }>(l1Loss) {}

/** Quadratic below `beta`, linear above (PyTorch's `nn.SmoothL1Loss`). */
export class SmoothL1Loss extends lossLayer<SmoothL1Options>(smoothL1Loss) {}

/** Quadratic below `delta`, δ-linear above (PyTorch's `nn.HuberLoss`). */
export class HuberLoss extends lossLayer<HuberOptions>(huberLoss) {}

/** KL divergence of log-probabilities from a target (PyTorch's `nn.KLDivLoss`; use `reduction: "batchmean"`). */
export class KLDivLoss extends lossLayer<{ reduction?: KlReduction; logTarget?: boolean }>(klDiv) {}
