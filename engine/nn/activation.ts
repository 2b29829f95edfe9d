/** Activation layers: `nn.ReLU`, `nn.Tanh`, `nn.Sigmoid`, `nn.Softmax`, `nn.LogSoftmax`, and `nn.Flatten`. */
import { Tensor } from "../tensor";
import { Module } from "./module";
import { relu, tanh, sigmoid, softmax, logSoftmax } from "./functional";
import { flatten } from "../ops/view";

/** max(x, 0) element-wise (PyTorch's `nn.ReLU`). */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** tanh element-wise (PyTorch's `nn.Tanh`). */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** 1/(1 + e⁻ˣ) element-wise (PyTorch's `nn.Sigmoid`). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** Softmax along `dim` (PyTorch's `nn.Softmax`). */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Log-softmax along `dim` (PyTorch's `nn.LogSoftmax`). */
export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * Flattens dims `startDim`..`endDim` into one (PyTorch's `nn.Flatten`; by default all but the
 * batch dim).
 * @example new nn.Flatten().forward(torch.randn(2, 16, 5, 5)).shape   // [2, 400]
 */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
