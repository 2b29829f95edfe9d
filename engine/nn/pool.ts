/** `nn.MaxPool2d` and `nn.AvgPool2d`, with PyTorch's defaults (stride = kernel size). */
import { Tensor } from "../tensor";
import { Module } from "./module";
import { maxPool2d, maxPool2dWithIndices, avgPool2d, IntOrPair } from "./functional";

/** Python's printing of an int or a pair: 2 or (2, 3). */
const py = (v: IntOrPair): string => (Array.isArray(v) ? `(${v.join(", ")})` : String(v));

/**
 * Max over kernel-size windows (PyTorch's `nn.MaxPool2d`); gradFn `MaxPool2DWithIndicesBackward0`.
 * @example new nn.MaxPool2d(2).forward(torch.randn(1, 6, 28, 28)).shape   // [1, 6, 14, 14]
 */
export class MaxPool2d extends Module {
  readonly kernelSize: IntOrPair;
  readonly stride: IntOrPair;
  readonly padding: IntOrPair;
  readonly dilation: IntOrPair;
  readonly ceilMode: boolean;

  constructor(
    kernelSize: IntOrPair,
    options: {
      stride?: IntOrPair | null;
      padding?: IntOrPair;
      dilation?: IntOrPair;
      ceilMode?: boolean;
    } = {},
  ) {
    super();
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.ceilMode = options.ceilMode ?? false;
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this);
  }

  /** The maxima and where they were (PyTorch's `return_indices=True`). */
  forwardWithIndices(x: Tensor): [Tensor, Tensor] {
    return maxPool2dWithIndices(x, this.kernelSize, this);
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}, dilation=${py(this.dilation)}, ceil_mode=${this.ceilMode ? "True" : "False"}`;
  }
}

/**
 * Average over kernel-size windows (PyTorch's `nn.AvgPool2d`); padded cells count in the
 * divisor unless `countIncludePad: false`. gradFn `AvgPool2DBackward0`.
 */
export class AvgPool2d extends Module {
  readonly kernelSize: IntOrPair;
  readonly stride: IntOrPair;
  readonly padding: IntOrPair;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(
    kernelSize: IntOrPair,
    options: {
      stride?: IntOrPair | null;
      padding?: IntOrPair;
      ceilMode?: boolean;
      countIncludePad?: boolean;
      divisorOverride?: number | null;
    } = {},
  ) {
    super();
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
    this.divisorOverride = options.divisorOverride ?? null;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this);
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}`;
  }
}
