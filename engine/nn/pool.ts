/**
 * Pooling layers, with PyTorch's defaults (stride = kernel size): `nn.MaxPool2d`,
 * `nn.AvgPool2d`, `nn.MaxPool1d`, `nn.AvgPool1d`, `nn.AdaptiveAvgPool2d`, `nn.AdaptiveMaxPool2d`.
 */
import { Tensor } from "../tensor";
import { Module } from "./module";
import { maxPool2dWithIndices, avgPool2d, IntOrPair, AvgPoolOptions } from "./functional";
import { AVG_POOL_NAMES, AvgPoolArgs } from "../ops/pool";
import { PositionalOr, optionsFrom } from "./positional";

/** `nn.MaxPool2d`'s settings (PyTorch's keyword arguments). */
export interface MaxPoolModuleOptions<R extends boolean = boolean> {
  stride?: IntOrPair | null;
  padding?: IntOrPair;
  dilation?: IntOrPair;
  /** `forward` also returns where each maximum was. */
  returnIndices?: R;
  ceilMode?: boolean;
}

/** `nn.MaxPool2d`'s parameters after the kernel size, in PyTorch's order (not F.maxPool2d's). */
type MaxPoolModulePositional<R extends boolean> = [
  stride: IntOrPair | null,
  padding: IntOrPair,
  dilation: IntOrPair,
  returnIndices: R,
  ceilMode: boolean,
];
const MAX_POOL_MODULE_NAMES = [
  "stride",
  "padding",
  "dilation",
  "returnIndices",
  "ceilMode",
] as const;
import { AdaptiveSize, adaptiveAvgPool2d, adaptiveMaxPool2d } from "../ops/adaptivePool";
import { AvgPool1dOptions, MaxPool1dOptions, avgPool1d, maxPool1d } from "../ops/pool1d";
import { PositionalOr as PositionalArgs, pyBool } from "./args";

/** Python's printing of an int or a pair: 2 or (2, 3). */
const py = (v: IntOrPair): string => (Array.isArray(v) ? `(${v.join(", ")})` : String(v));

/**
 * Max over kernel-size windows (PyTorch's `nn.MaxPool2d`); gradFn `MaxPool2DWithIndicesBackward0`.
 * Settings are PyTorch's positional parameters (stride, padding, dilation, returnIndices,
 * ceilMode), an options object, or both; with `returnIndices`, `forward` gives [values, indices].
 * @example new nn.MaxPool2d(2).forward(torch.randn(1, 6, 28, 28)).shape   // [1, 6, 14, 14]
 * @example new nn.MaxPool2d(3, 2)   // = { stride: 2 }
 */
export class MaxPool2d<R extends boolean = false> extends Module {
  readonly kernelSize: IntOrPair;
  readonly stride: IntOrPair;
  readonly padding: IntOrPair;
  readonly dilation: IntOrPair;
  readonly ceilMode: boolean;
  readonly returnIndices: R;

  constructor(
    kernelSize: IntOrPair,
    ...args: PositionalOr<MaxPoolModulePositional<R>, MaxPoolModuleOptions<R>>
  ) {
    super();
    const options = optionsFrom<MaxPoolModuleOptions<R>>(
      "MaxPool2d.__init__",
      MAX_POOL_MODULE_NAMES,
      args,
    );
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.ceilMode = options.ceilMode ?? false;
    this.returnIndices = (options.returnIndices ?? false) as R;
  }

  forward(x: Tensor): R extends true ? [Tensor, Tensor] : Tensor {
    const both = this.forwardWithIndices(x);
    return (this.returnIndices ? both : both[0]) as R extends true ? [Tensor, Tensor] : Tensor;
  }

  /** The maxima and where they were (PyTorch's `return_indices=True`). */
  forwardWithIndices(x: Tensor): [Tensor, Tensor] {
    const { stride, padding, dilation, ceilMode } = this;
    return maxPool2dWithIndices(x, this.kernelSize, { stride, padding, dilation, ceilMode });
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}, dilation=${py(this.dilation)}, ceil_mode=${this.ceilMode ? "True" : "False"}`;
  }
}

/**
 * Average over kernel-size windows (PyTorch's `nn.AvgPool2d`); padded cells count in the
 * divisor unless `countIncludePad: false`. gradFn `AvgPool2DBackward0`. Settings are PyTorch's
 * positional parameters (stride, padding, ceilMode, countIncludePad, divisorOverride), an
 * options object, or both.
 */
export class AvgPool2d extends Module {
  readonly kernelSize: IntOrPair;
  readonly stride: IntOrPair;
  readonly padding: IntOrPair;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(kernelSize: IntOrPair, ...args: AvgPoolArgs) {
    super();
    const options = optionsFrom<AvgPoolOptions>("AvgPool2d.__init__", AVG_POOL_NAMES, args);
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
    this.divisorOverride = options.divisorOverride ?? null;
  }

  forward(x: Tensor): Tensor {
    const { stride, padding, ceilMode, countIncludePad, divisorOverride } = this;
    return avgPool2d(x, this.kernelSize, {
      stride,
      padding,
      ceilMode,
      countIncludePad,
      divisorOverride,
    });
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}`;
  }
}

/**
 * Averages [N, C, H, W] down to `outputSize` whatever the input size (PyTorch's
 * `nn.AdaptiveAvgPool2d`); to 1×1 it is a mean (`MeanBackward1`), else
 * `AdaptiveAvgPool2DBackward0`.
 * @example new nn.AdaptiveAvgPool2d([1, 1]).forward(torch.randn(2, 512, 7, 7)).shape   // [2, 512, 1, 1]
 */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: AdaptiveSize) {
    super();
  }
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${pySize(this.outputSize)}`;
  }
}

/** Max-pools [N, C, H, W] down to `outputSize` (PyTorch's `nn.AdaptiveMaxPool2d`). */
export class AdaptiveMaxPool2d extends Module {
  constructor(readonly outputSize: AdaptiveSize) {
    super();
  }
  forward(x: Tensor): Tensor {
    return adaptiveMaxPool2d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${pySize(this.outputSize)}`;
  }
}

const pySize = (v: AdaptiveSize): string =>
  Array.isArray(v) ? `(${v.map((s) => (s === null ? "None" : s)).join(", ")})` : String(v);

/** Max over windows of `kernelSize` along the last dim of [N, C, L] (PyTorch's `nn.MaxPool1d`). */
export class MaxPool1d extends Module {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly ceilMode: boolean;

  constructor(
    kernelSize: number,
    ...args: PositionalArgs<
      [stride?: number | null, padding?: number, dilation?: number],
      MaxPool1dOptions
    >
  ) {
    super();
    const o = optionsFrom<MaxPool1dOptions>("MaxPool1d.__init__", ["stride", "padding", "dilation"], args);
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding ?? 0;
    this.dilation = o.dilation ?? 1;
    this.ceilMode = o.ceilMode ?? false;
  }

  forward(x: Tensor): Tensor {
    const { stride, padding, dilation, ceilMode } = this;
    return maxPool1d(x, this.kernelSize, { stride, padding, dilation, ceilMode });
  }

  override extraRepr(): string {
    return `kernel_size=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}, dilation=${this.dilation}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

/** Average over windows of `kernelSize` along the last dim of [N, C, L] (PyTorch's `nn.AvgPool1d`). */
export class AvgPool1d extends Module {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(
    kernelSize: number,
    ...args: PositionalArgs<
      [stride?: number | null, padding?: number, ceilMode?: boolean, countIncludePad?: boolean],
      AvgPool1dOptions
    >
  ) {
    super();
    const o = optionsFrom<AvgPool1dOptions>("AvgPool1d.__init__", [
      "stride",
      "padding",
      "ceilMode",
      "countIncludePad",
    ], args);
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding ?? 0;
    this.ceilMode = o.ceilMode ?? false;
    this.countIncludePad = o.countIncludePad ?? true;
  }

  forward(x: Tensor): Tensor {
    const { stride, padding, ceilMode, countIncludePad } = this;
    return avgPool1d(x, this.kernelSize, { stride, padding, ceilMode, countIncludePad });
  }

  override extraRepr(): string {
    return `kernel_size=(${this.kernelSize},), stride=(${this.stride},), padding=(${this.padding},)`;
  }
}
