/** `nn.Upsample`: `F.interpolate` as a layer (nearest by default, or bilinear). */
import { Tensor } from "../tensor";
import { Module } from "./module";
import {
  InterpolateArgs,
  InterpolateOptions,
  interpolate,
  interpolateOptions,
} from "../ops/upsample";
import { pyFloat } from "./args";
import { pyTuple } from "../shape";

/** `2.0` or `(2.0, 1.5)`: Python's float and tuple printing. */
function pyFloats(v: number | readonly number[] | null): string {
  if (v === null) return "None";
  return typeof v === "number" ? pyFloat(v) : `(${v.map(pyFloat).join(", ")})`;
}

/**
 * Resizes [N, C, H, W] to `size` or by `scaleFactor` (PyTorch's `nn.Upsample`); gradFn
 * `UpsampleNearest2DBackward1` or `UpsampleBilinear2DBackward1`.
 * @example new nn.Upsample({ scaleFactor: 2, mode: "bilinear", alignCorners: true })
 */
export class Upsample extends Module {
  readonly options: InterpolateOptions;
  constructor(...args: InterpolateArgs) {
    super();
    this.options = interpolateOptions(args);
  }

  forward(x: Tensor): Tensor {
    return interpolate(x, { ...this.options });
  }
  override extraRepr(): string {
    // PyTorch 1.13: the scale factor as a float, the mode unquoted, align_corners not shown
    const { size, scaleFactor, mode = "nearest" } = this.options;
    const what =
      size !== undefined && size !== null
        ? `size=${typeof size === "number" ? size : pyTuple(size)}`
        : `scale_factor=${pyFloats(scaleFactor ?? null)}`;
    return `${what}, mode=${mode}`;
  }
}
