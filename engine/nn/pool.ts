/** `nn.MaxPool2d` and `nn.AvgPool2d`, with PyTorch's defaults (stride = kernel size). */
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
