/**
 * 1-D max and average pooling on [N, C, L] or [C, L], composed as ATen composes them: the
 * input gets a height of 1 (`UnsqueezeBackward0`), is pooled in 2-D with a 1×k window, and the
 * height is dropped again (`SqueezeBackward1`).
 */
import { traced } from "../autograd/apply";
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";
import { bracketed } from "../shape";
import { avgPool2d, maxPool2dWithIndices } from "./pool";
import { squeeze, unsqueeze } from "./view";
import { PositionalOr, optionsFrom } from "../nn/args";

/** Options of `maxPool1d` (PyTorch's keyword arguments; stride defaults to the kernel size). */
export interface MaxPool1dOptions {
  stride?: number | null;
  padding?: number;
  dilation?: number;
  ceilMode?: boolean;
}

/** Options of `avgPool1d`. */
export interface AvgPool1dOptions {
  stride?: number | null;
  padding?: number;
  ceilMode?: boolean;
  countIncludePad?: boolean;
}

const one = (v: number | number[] | null | undefined): number | undefined =>
  v === null || v === undefined ? undefined : Array.isArray(v) ? v[0] : v;

/**
 * Max over windows of `kernelSize` along the last dim (PyTorch's `F.max_pool1d`).
 * @example F.maxPool1d(torch.randn(2, 3, 8), 2).shape   // [2, 3, 4]
 */
export function maxPool1d(
  x: Tensor,
  kernelSize: number,
  ...args: PositionalOr<
    [stride?: number | null, padding?: number, dilation?: number, ceilMode?: boolean],
    MaxPool1dOptions
  >
): Tensor {
  const options = optionsFrom<MaxPool1dOptions>("maxPool1d", [
    "stride",
    "padding",
    "dilation",
    "ceilMode",
  ], args);
  return maxPool1dWithIndices(x, kernelSize, options)[0];
}

/** `F.max_pool1d(..., return_indices=True)`: the maxima and their positions along the last dim. */
export function maxPool1dWithIndices(
  x: Tensor,
  kernelSize: number,
  options: MaxPool1dOptions = {},
): [Tensor, Tensor] {
  return traced("maxPool1d", [x], () => {
    if ((x.dim() !== 2 && x.dim() !== 3) || x.shape.slice(-1)[0] === 0) {
      throw new RuntimeError(
        `max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:${bracketed(x.shape)}`,
        { kind: "inputDims", input: x.shape.slice(), min: 2, max: 3 },
      );
    }
    const k = one(kernelSize)!;
    const s = one(options.stride) ?? k;
    const [values, indices] = maxPool2dWithIndices(unsqueeze(x, -2), [1, k], {
      stride: [1, s],
      padding: [0, one(options.padding) ?? 0],
      dilation: [1, one(options.dilation) ?? 1],
      ceilMode: options.ceilMode ?? false,
    });
    return [squeeze(values, -2), squeeze(indices, -2)];
  });
}

/** Average over windows of `kernelSize` along the last dim (PyTorch's `F.avg_pool1d`). */
export function avgPool1d(
  x: Tensor,
  kernelSize: number,
  ...args: PositionalOr<
    [stride?: number | null, padding?: number, ceilMode?: boolean, countIncludePad?: boolean],
    AvgPool1dOptions
  >
): Tensor {
  return traced("avgPool1d", [x], () => {
    const options = optionsFrom<AvgPool1dOptions>("avgPool1d", [
      "stride",
      "padding",
      "ceilMode",
      "countIncludePad",
    ], args);
    if (x.dim() !== 2 && x.dim() !== 3) {
      throw new RuntimeError(
        `Expected 2 to 3 dimensions, but got ${x.dim()}-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)`,
        { kind: "inputDims", input: x.shape.slice(), min: 2, max: 3 },
      );
    }
    const k = one(kernelSize)!;
    const s = one(options.stride) ?? k;
    const out = avgPool2d(unsqueeze(x, -2), [1, k], {
      stride: [1, s],
      padding: [0, one(options.padding) ?? 0],
      ceilMode: options.ceilMode ?? false,
      countIncludePad: options.countIncludePad ?? true,
    });
    return squeeze(out, -2);
  });
}
