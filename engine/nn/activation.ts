/**
 * Activation layers (`nn.ReLU`, `nn.Tanh`, `nn.Sigmoid`, `nn.Softmax`, `nn.LogSoftmax`,
 * `nn.LeakyReLU`, `nn.ELU`, `nn.GELU`, `nn.SiLU`, `nn.Softplus`, `nn.Hardtanh`), and the
 * reshaping layers `nn.Flatten` and `nn.Unflatten`.
 */
import { Tensor } from "../tensor";
import { Module } from "./module";
import { pyTuple } from "../shape";
import { relu, tanh, sigmoid, softmax, logSoftmax } from "./functional";
import { flatten } from "../ops/view";
import { unflatten } from "../ops/unflatten";
import { elu, gelu, hardtanh, leakyRelu, silu, softplus } from "../ops/pointwise";
import { PositionalOr, optionsFrom, pyFloat } from "./args";

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

/** Softmax along `dim` (PyTorch's `nn.Softmax`; `new nn.Softmax(1)` or `{ dim: 1 }`). */
export class Softmax extends Module {
  readonly dim: number;
  constructor(dim: number | { dim: number }) {
    super();
    this.dim = typeof dim === "number" ? dim : dim.dim;
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

/**
 * x for x > 0, slope·x otherwise (PyTorch's `nn.LeakyReLU`, slope 0.01); gradFn
 * `LeakyReluBackward0`.
 */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  constructor(
    ...args: PositionalOr<
      [negativeSlope?: number, inplace?: boolean],
      { negativeSlope?: number; inplace?: boolean }
    >
  ) {
    super();
    this.negativeSlope =
      optionsFrom<{ negativeSlope?: number }>("LeakyReLU.__init__", ["negativeSlope"], args).negativeSlope ?? 0.01;
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}

/** x for x > 0, α(eˣ − 1) otherwise (PyTorch's `nn.ELU`, α = 1); gradFn `EluBackward0`. */
export class ELU extends Module {
  readonly alpha: number;
  constructor(
    ...args: PositionalOr<
      [alpha?: number, inplace?: boolean],
      { alpha?: number; inplace?: boolean }
    >
  ) {
    super();
    this.alpha = optionsFrom<{ alpha?: number }>("ELU.__init__", ["alpha"], args).alpha ?? 1;
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/** x·Φ(x) (PyTorch's `nn.GELU`); `approximate: "tanh"` for the tanh form. gradFn `GeluBackward0`. */
export class GELU extends Module {
  readonly approximate: "none" | "tanh";
  constructor(
    ...args: PositionalOr<[approximate?: "none" | "tanh"], { approximate?: "none" | "tanh" }>
  ) {
    super();
    this.approximate =
      optionsFrom<{ approximate?: "none" | "tanh" }>("GELU.__init__", ["approximate"], args).approximate ?? "none";
  }
  forward(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** x·σ(x) (PyTorch's `nn.SiLU`); gradFn `SiluBackward0`. */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return silu(x);
  }
}

/** log(1 + e^(βx))/β (PyTorch's `nn.Softplus`, β = 1, threshold 20); gradFn `SoftplusBackward0`. */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(
    ...args: PositionalOr<
      [beta?: number, threshold?: number],
      { beta?: number; threshold?: number }
    >
  ) {
    super();
    const o = optionsFrom<{ beta?: number; threshold?: number }>("Softplus.__init__", ["beta", "threshold"], args);
    this.beta = o.beta ?? 1;
    this.threshold = o.threshold ?? 20;
  }
  forward(x: Tensor): Tensor {
    return softplus(x, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** x clamped to [minVal, maxVal] (PyTorch's `nn.Hardtanh`, [−1, 1]); gradFn `HardtanhBackward0`. */
export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;
  constructor(
    ...args: PositionalOr<
      [minVal?: number, maxVal?: number, inplace?: boolean],
      { minVal?: number; maxVal?: number; inplace?: boolean }
    >
  ) {
    super();
    const o = optionsFrom<{ minVal?: number; maxVal?: number }>("Hardtanh.__init__", ["minVal", "maxVal"], args);
    this.minVal = o.minVal ?? -1;
    this.maxVal = o.maxVal ?? 1;
  }
  forward(x: Tensor): Tensor {
    return hardtanh(x, this.minVal, this.maxVal);
  }
  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}`;
  }
}

/**
 * Splits dim `dim` into `unflattenedSize` (PyTorch's `nn.Unflatten`; one size may be −1).
 * @example new nn.Unflatten(1, [16, 5, 5]).forward(torch.randn(2, 400)).shape   // [2, 16, 5, 5]
 */
export class Unflatten extends Module {
  constructor(
    readonly dim: number,
    readonly unflattenedSize: number[],
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return unflatten(x, this.dim, this.unflattenedSize);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattenedSize)}`;
  }
}
