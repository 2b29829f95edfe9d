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

/** A functional loss, as a loss layer class names it in its static `fn`. */
type LossFn<O> = (input: Tensor, target: Tensor, options: O) => Tensor;

/** A loss layer: its class's functional loss (`static fn`) with the options it was built with. */
abstract class Loss<O extends object> extends Module {
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
    return (this.constructor as unknown as { fn: LossFn<O> }).fn(input, target, this.options);
  }
}

/** Mean squared error between input and target (PyTorch's `nn.MSELoss`). */
export class MSELoss extends Loss<{ reduction?: Reduction }> {
  static readonly fn = mseLoss;
}

/**
 * Cross entropy of logits and class indices or probabilities (PyTorch's `nn.CrossEntropyLoss`),
 * with class weights, `ignoreIndex` and `labelSmoothing`.
 * @example new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(logits, torch.tensor([1, 0, 4]))
 */
export class CrossEntropyLoss extends Loss<CrossEntropyOptions> {
  static readonly fn = crossEntropy;
}

/** Negative log-likelihood of log-probabilities and class indices (PyTorch's `nn.NLLLoss`). */
export class NLLLoss extends Loss<NllOptions> {
  static readonly fn = nllLoss;
}

/** Binary cross entropy of probabilities (PyTorch's `nn.BCELoss`); put a sigmoid before it. */
export class BCELoss extends Loss<BceOptions> {
  static readonly fn = binaryCrossEntropy;
}

/**
 * Binary cross entropy of logits, the sigmoid built in (PyTorch's `nn.BCEWithLogitsLoss`),
 * with `posWeight` for the positive class.
 */
export class BCEWithLogitsLoss extends Loss<BceWithLogitsOptions> {
  static readonly fn = binaryCrossEntropyWithLogits;
}

/** Mean absolute error (PyTorch's `nn.L1Loss`). */
export class L1Loss extends Loss<{ reduction?: Reduction }> {
  static readonly fn = l1Loss;
}

/** Quadratic below `beta`, linear above (PyTorch's `nn.SmoothL1Loss`). */
export class SmoothL1Loss extends Loss<SmoothL1Options> {
  static readonly fn = smoothL1Loss;
}

/** Quadratic below `delta`, δ-linear above (PyTorch's `nn.HuberLoss`). */
export class HuberLoss extends Loss<HuberOptions> {
  static readonly fn = huberLoss;
}

/** KL divergence of log-probabilities from a target (PyTorch's `nn.KLDivLoss`; use `reduction: "batchmean"`). */
export class KLDivLoss extends Loss<{ reduction?: KlReduction; logTarget?: boolean }> {
  static readonly fn = klDiv;
}
