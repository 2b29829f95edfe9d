/** `nn.Upsample`: `F.interpolate` as a layer (nearest by default, or bilinear). */
import { Tensor } from "../tensor";
import { Module } from "./module";
import {
  InterpolateArgs,
  InterpolateOptions,
  interpolate,
  interpolateOptions,
} from "../ops/upsample";
import { pyBool } from "./args";

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
    const { size, scaleFactor, mode = "nearest", alignCorners } = this.options;
    const what =
      size !== undefined && size !== null ? `size=${size}` : `scale_factor=${scaleFactor}`;
    return `${what}, mode='${mode}'${alignCorners === undefined || alignCorners === null ? "" : `, align_corners=${pyBool(alignCorners)}`}`;
  }
}
