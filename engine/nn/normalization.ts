/**
 * `nn.BatchNorm1d`, `nn.BatchNorm2d`, `nn.LayerNorm` and `nn.GroupNorm`, with PyTorch's
 * defaults (weight ones, bias zeros; eps 1e-5; momentum 0.1) and its running statistics:
 * in training each forward moves `runningMean`/`runningVar` towards the batch's statistics
 * (momentum null: their cumulative average) and counts `numBatchesTracked`; in eval mode the
 * running statistics normalize. They are buffers, under PyTorch's names (`running_mean`,
 * `running_var`, `num_batches_tracked` in `stateDict()` and `namedBuffers()`), and read as
 * `bn.runningMean`, `bn.runningVar`, `bn.numBatchesTracked`.
 */
import { Tensor } from "../tensor";
import { ValueError } from "../errors";
import { pyTuple, torchSize } from "../shape";
import { Module, Parameter } from "./module";
import { batchNorm, groupNorm, layerNorm } from "../ops/normFunctional";
import { PositionalOr, optionsFrom, pyBool, pyFloat } from "./args";

/** Options of the batch norm layers (PyTorch's keyword arguments). */
export interface BatchNormOptions {
  eps?: number;
  /** Weight of the new batch in the running statistics; null: a cumulative average. */
  momentum?: number | null;
  /** Learnable weight and bias (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true). */
  trackRunningStats?: boolean;
}

const filled = (n: number, v: number) => Tensor._make(new Float32Array(n).fill(v), [n]);

abstract class BatchNorm extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  // the buffers' fields, made by registerBuffer under PyTorch's names
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;

  constructor(
    numFeatures: number,
    ...args: PositionalOr<
      [eps?: number, momentum?: number | null, affine?: boolean, trackRunningStats?: boolean],
      BatchNormOptions
    >
  ) {
    super();
    const o = optionsFrom<BatchNormOptions>(`${new.target.name}.__init__`, [
      "eps",
      "momentum",
      "affine",
      "trackRunningStats",
    ], args);
    this.numFeatures = numFeatures;
    this.eps = o.eps ?? 1e-5;
    this.momentum = o.momentum === undefined ? 0.1 : o.momentum;
    this.affine = o.affine ?? true;
    this.trackRunningStats = o.trackRunningStats ?? true;
    this.weight = this.affine ? new Parameter(filled(numFeatures, 1)) : null;
    this.bias = this.affine ? new Parameter(filled(numFeatures, 0)) : null;
    const track = this.trackRunningStats;
    this.registerBuffer("running_mean", track ? filled(numFeatures, 0) : null);
    this.registerBuffer("running_var", track ? filled(numFeatures, 1) : null);
    this.registerBuffer(
      "num_batches_tracked",
      track ? Tensor._make(new Float32Array(1), [], "int64") : null,
    );
  }

  /** The running mean per channel (the buffer `running_mean`). */
  get runningMean(): Tensor | null {
    return this.running_mean;
  }
  set runningMean(t: Tensor | null) {
    this.running_mean = t;
  }

  /** The running (unbiased) variance per channel (the buffer `running_var`). */
  get runningVar(): Tensor | null {
    return this.running_var;
  }
  set runningVar(t: Tensor | null) {
    this.running_var = t;
  }

  /** How many training batches updated the running statistics, int64 (`num_batches_tracked`). */
  get numBatchesTracked(): Tensor | null {
    return this.num_batches_tracked;
  }
  set numBatchesTracked(t: Tensor | null) {
    this.num_batches_tracked = t;
  }

  /** PyTorch's `_check_input_dim`. */
  protected abstract checkInputDim(x: Tensor): void;

  forward(x: Tensor): Tensor {
    this.checkInputDim(x);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.numBatchesTracked) {
      const n = this.numBatchesTracked;
      n._values[0] += 1;
      n._versionCounter.n++;
      factor = this.momentum === null ? 1 / n._values[0] : this.momentum;
    }
    // batch statistics in training, and always when there are no running ones
    const useBatch = this.training || (this.runningMean === null && this.runningVar === null);
    if (useBatch) {
      const perChannel = x.shape[0] * x.shape.slice(2).reduce((p, q) => p * q, 1);
      if (perChannel === 1) {
        throw new ValueError(
          `Expected more than 1 value per channel when training, got input size ${torchSize(x.shape)}`,
        );
      }
    }
    const keep = !this.training || this.trackRunningStats;
    return batchNorm(x, keep ? this.runningMean : null, keep ? this.runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatch,
      momentum: factor,
      eps: this.eps,
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? "None" : pyFloat(this.momentum)}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

/**
 * Batch normalization of [N, C] or [N, C, L] over the batch (PyTorch's `nn.BatchNorm1d`).
 * @example const bn = new nn.BatchNorm1d(64);   // or new nn.BatchNorm1d(64, { momentum: 0.01 })
 */
export class BatchNorm1d extends BatchNorm {
  protected checkInputDim(x: Tensor): void {
    if (x.dim() !== 2 && x.dim() !== 3)
      throw new ValueError(`expected 2D or 3D input (got ${x.dim()}D input)`);
  }
}

/**
 * Batch normalization of [N, C, H, W] per channel (PyTorch's `nn.BatchNorm2d`); gradFn
 * `NativeBatchNormBackward0`. `train()`/`eval()` switch between batch and running statistics.
 * @example const bn = new nn.BatchNorm2d(64); bn.forward(torch.randn(8, 64, 32, 32));
 */
export class BatchNorm2d extends BatchNorm {
  protected checkInputDim(x: Tensor): void {
    if (x.dim() !== 4) throw new ValueError(`expected 4D input (got ${x.dim()}D input)`);
  }
}

/** Options of `nn.LayerNorm`. */
export interface LayerNormOptions {
  eps?: number;
  /** Learnable weight and bias of `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Normalizes over the last dims `normalizedShape` (PyTorch's `nn.LayerNorm`); gradFn
 * `NativeLayerNormBackward0`.
 * @example new nn.LayerNorm(64).forward(torch.randn(8, 32, 64))
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(
    normalizedShape: number | number[],
    ...args: PositionalOr<[eps?: number, elementwiseAffine?: boolean], LayerNormOptions>
  ) {
    super();
    const o = optionsFrom<LayerNormOptions>("LayerNorm.__init__", ["eps", "elementwiseAffine"], args);
    this.normalizedShape =
      typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape.slice();
    this.eps = o.eps ?? 1e-5;
    this.elementwiseAffine = o.elementwiseAffine ?? true;
    const n = this.normalizedShape.reduce((p, q) => p * q, 1);
    const shaped = (v: number) =>
      new Parameter(Tensor._make(new Float32Array(n).fill(v), this.normalizedShape.slice()));
    this.weight = this.elementwiseAffine ? shaped(1) : null;
    this.bias = this.elementwiseAffine ? shaped(0) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}

/** Options of `nn.GroupNorm`. */
export interface GroupNormOptions {
  eps?: number;
  /** Learnable weight and bias per channel (default true). */
  affine?: boolean;
}

/**
 * Normalizes [N, C, *] over groups of C/numGroups channels (PyTorch's `nn.GroupNorm`); gradFn
 * `NativeGroupNormBackward0`.
 */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(
    numGroups: number,
    numChannels: number,
    ...args: PositionalOr<[eps?: number, affine?: boolean], GroupNormOptions>
  ) {
    super();
    if (numChannels % numGroups !== 0)
      throw new ValueError("num_channels must be divisible by num_groups");
    const o = optionsFrom<GroupNormOptions>("GroupNorm.__init__", ["eps", "affine"], args);
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = o.eps ?? 1e-5;
    this.affine = o.affine ?? true;
    this.weight = this.affine ? new Parameter(filled(numChannels, 1)) : null;
    this.bias = this.affine ? new Parameter(filled(numChannels, 0)) : null;
  }

  forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}
