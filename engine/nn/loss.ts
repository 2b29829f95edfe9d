/** Loss layers: `nn.MSELoss`, `nn.CrossEntropyLoss`, `nn.NLLLoss` (PyTorch's defaults: mean reduction, ignore index −100). */
import { Tensor } from "../tensor";
import { Module } from "./module";
import {
  mseLoss,
  crossEntropy,
  nllLoss,
  Reduction,
  NllOptions,
  CrossEntropyOptions,
} from "./functional";

/** Mean squared error between input and target (PyTorch's `nn.MSELoss`). */
export class MSELoss extends Module {
  readonly reduction: Reduction;
  constructor({ reduction = "mean" }: { reduction?: Reduction } = {}) {
    super();
    this.reduction = reduction;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.reduction);
  }
}

/**
 * Cross entropy of logits and class indices (PyTorch's `nn.CrossEntropyLoss`).
 * @example new nn.CrossEntropyLoss().forward(logits, torch.tensor([1, 0, 4]))
 */
export class CrossEntropyLoss extends Module {
  readonly options: CrossEntropyOptions;
  constructor(options: CrossEntropyOptions = {}) {
    super();
    this.options = { ...options };
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, this.options);
  }
}

/** Negative log-likelihood of log-probabilities and class indices (PyTorch's `nn.NLLLoss`). */
export class NLLLoss extends Module {
  readonly options: NllOptions;
  constructor(options: NllOptions = {}) {
    super();
    this.options = { ...options };
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, this.options);
  }
}
