/**
 * 2-D max and average pooling (`MaxPool2DWithIndicesBackward0`, `AvgPool2DBackward0`) on
 * [N, C, H, W] or unbatched [C, H, W] input, with PyTorch's defaults (stride = kernel size,
 * padded cells counted in averages) and ATen's argument checks and messages.
 */
import { defineOp } from "../autograd/apply";
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";
import { bracketed, normalizeDim } from "../shape";
import { poolOutSize } from "../nn/shapes";
import { PositionalOr, optionsFrom } from "../nn/positional";
import type { AvgOptions, PoolGeometry } from "../kernels/poolGeometry";
import {
  avgPool2d as avgKernel,
  avgPool2dBackward,
  maxPool2d as maxKernel,
  maxPool2dBackward,
} from "../kernels/pool";

/** A number for both dims, or `[h, w]`. */
export type IntOrPair = number | [number, number];

/** Options of `maxPool2d` (PyTorch's keyword arguments). */
export interface MaxPoolOptions {
  /** Defaults to the kernel size. */
  stride?: IntOrPair | null;
  padding?: IntOrPair;
  dilation?: IntOrPair;
  ceilMode?: boolean;
  /** Also return where each maximum was (PyTorch's `return_indices`). */
  returnIndices?: boolean;
}

/** `F.maxPool2d`'s parameters after the kernel size, in PyTorch's order. */
type MaxPoolPositional<R extends boolean> = [
  stride: IntOrPair | null,
  padding: IntOrPair,
  dilation: IntOrPair,
  ceilMode: boolean,
  returnIndices: R,
];
const MAX_POOL_NAMES = ["stride", "padding", "dilation", "ceilMode", "returnIndices"] as const;

/** The trailing arguments of `F.maxPool2d`: PyTorch's positional ones, or options, or both. */
export type MaxPoolArgs<R extends boolean = boolean> = PositionalOr<
  MaxPoolPositional<R>,
  MaxPoolOptions & { returnIndices?: R }
>;

/** Options of `avgPool2d`. */
export interface AvgPoolOptions {
  /** Defaults to the kernel size. */
  stride?: IntOrPair | null;
  padding?: IntOrPair;
  ceilMode?: boolean;
  /** Whether padded cells count in the divisor (PyTorch's default: true). */
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/** `F.avgPool2d`'s (and `nn.AvgPool2d`'s) parameters after the kernel size, in PyTorch's order. */
type AvgPoolPositional = [
  stride: IntOrPair | null,
  padding: IntOrPair,
  ceilMode: boolean,
  countIncludePad: boolean,
  divisorOverride: number | null,
];
export const AVG_POOL_NAMES = [
  "stride",
  "padding",
  "ceilMode",
  "countIncludePad",
  "divisorOverride",
] as const;

/** The trailing arguments of `avgPool2d`: PyTorch's positional ones, or options, or both. */
export type AvgPoolArgs = PositionalOr<AvgPoolPositional, AvgPoolOptions>;

/** The attributes of a pooling node, one entry per spatial dim ([h, w]). */
export interface PoolAttrs {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  ceilMode: boolean;
}

/** Attributes of an average pooling node. */
export type AvgPoolAttrs = PoolAttrs & AvgOptions;

const pair = (v: IntOrPair): [number, number] => (Array.isArray(v) ? [v[0], v[1]] : [v, v]);

function geometryOf(shape: readonly number[], a: PoolAttrs, OH: number, OW: number): PoolGeometry {
  const [H, W] = shape.slice(-2);
  const planes = shape.slice(0, -2).reduce((p, q) => p * q, 1);
  const [kH, kW] = a.kernelSize;
  const [sH, sW] = a.stride;
  const [pH, pW] = a.padding;
  const [dH, dW] = a.dilation;
  return { planes, H, W, OH, OW, kH, kW, sH, sW, pH, pW, dH, dW };
}

/** ATen's pooling_output_shape for one dim, with its checks. */
function outSize(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  if (s === 0) throw new RuntimeError("stride should not be zero");
  if (p < 0) throw new RuntimeError(`pad must be non-negative, but got pad: ${p}`);
  if (p > Math.floor(k / 2))
    throw new RuntimeError(
      `pad should be at most half of kernel size, but got pad=${p} and kernel_size=${k}`,
    );
  return poolOutSize(size, k, { stride: s, padding: p, dilation: d, ceilMode: ceil });
}

/** Output [OH, OW] after ATen's pool2d_shape_check. */
function checkedOutput(x: Tensor, a: PoolAttrs): [number, number] {
  const [H, W] = x.shape.slice(-2);
  const OH = outSize(H, a.kernelSize[0], a.stride[0], a.padding[0], a.dilation[0], a.ceilMode);
  const OW = outSize(W, a.kernelSize[1], a.stride[1], a.padding[1], a.dilation[1], a.ceilMode);
  const [kH, kW] = a.kernelSize;
  if (kH <= 0 || kW <= 0)
    throw new RuntimeError(`kernel size should be greater than zero, but got kH: ${kH} kW: ${kW}`);
  if (a.stride[0] <= 0 || a.stride[1] <= 0) {
    throw new RuntimeError(
      `stride should be greater than zero, but got dH: ${a.stride[0]} dW: ${a.stride[1]}`,
    );
  }
  if (a.dilation[0] <= 0 || a.dilation[1] <= 0) {
    throw new RuntimeError(
      `dilation should be greater than zero, but got dilationH: ${a.dilation[0]} dilationW: ${a.dilation[1]}`,
    );
  }
  const s = x.shape;
  const validDims = s[s.length - 3] !== 0 && s[s.length - 2] !== 0;
  if (!((x.dim() === 3 && s[0] !== 0 && validDims) || (x.dim() === 4 && validDims && s[3] !== 0))) {
    throw new RuntimeError(
      `Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:${bracketed(s)}`,
      { kind: "inputDims", input: s.slice(), min: 3, max: 4 },
    );
  }
  if (OH < 1 || OW < 1) {
    const C = s[s.length - 3];
    throw new RuntimeError(
      `Given input size: (${C}x${H}x${W}). Calculated output size: (${C}x${OH}x${OW}). Output size is too small`,
      { kind: "outputTooSmall", input: [H, W], output: [OH, OW] },
    );
  }
  return [OH, OW];
}

export const MaxPool2DWithIndices = defineOp<PoolAttrs>({
  name: "MaxPool2DWithIndicesBackward0",
  nonDifferentiableOutputs: [1],
  forward(ctx, [x], a) {
    const [OH, OW] = checkedOutput(x, a);
    const { values, indices } = maxKernel(x._values, geometryOf(x.shape, a, OH, OW));
    const shape = [...x.shape.slice(0, -2), OH, OW];
    const idx = Tensor._make(indices, shape.slice(), "int64");
    ctx.save(idx);
    return [Tensor._make(values, shape, x.dtype), idx];
  },
  // each output's gradient goes to the input cell its max came from
  backward(ctx, [g], a) {
    const [idx] = ctx.saved;
    const shape = ctx.inputShape(0);
    const gx = maxPool2dBackward(
      g._values,
      idx!._values,
      geometryOf(shape, a, g.shape.at(-2)!, g.shape.at(-1)!),
    );
    return [Tensor._make(gx, shape.slice())];
  },
});

export const AvgPool2D = defineOp<AvgPoolAttrs>({
  name: "AvgPool2DBackward0",
  forward(_ctx, [x], a) {
    const [OH, OW] = checkedOutput(x, a);
    const out = avgKernel(x._values, geometryOf(x.shape, a, OH, OW), a);
    return Tensor._make(out, [...x.shape.slice(0, -2), OH, OW], x.dtype);
  },
  // each output's gradient, divided by its divisor, goes to every cell of its window
  backward(ctx, [g], a) {
    const shape = ctx.inputShape(0);
    const gx = avgPool2dBackward(
      g._values,
      geometryOf(shape, a, g.shape.at(-2)!, g.shape.at(-1)!),
      a,
    );
    return [Tensor._make(gx, shape.slice())];
  },
});

function poolAttrs(kernel: IntOrPair, o: MaxPoolOptions): PoolAttrs {
  const kernelSize = pair(kernel);
  return {
    kernelSize,
    stride: o.stride === undefined || o.stride === null ? kernelSize : pair(o.stride),
    padding: pair(o.padding ?? 0),
    dilation: pair(o.dilation ?? 1),
    ceilMode: o.ceilMode ?? false,
  };
}

/**
 * Max over kH×kW windows of x [N, C, H, W] (or [C, H, W]): PyTorch's `F.max_pool2d`, with
 * its positional parameters (stride, padding, dilation, ceilMode, returnIndices) or options.
 * With `returnIndices`, also where each max was (as `maxPool2dWithIndices`).
 * @example F.maxPool2d(torch.randn(1, 6, 28, 28), 2).shape   // [1, 6, 14, 14]
 */
export function maxPool2d(
  x: Tensor,
  kernelSize: IntOrPair,
  options: MaxPoolOptions & { returnIndices: true },
): [Tensor, Tensor];
export function maxPool2d(
  x: Tensor,
  kernelSize: IntOrPair,
  ...args: [...MaxPoolPositional<true>, MaxPoolOptions?]
): [Tensor, Tensor];
export function maxPool2d(x: Tensor, kernelSize: IntOrPair, ...args: MaxPoolArgs<false>): Tensor;
export function maxPool2d(
  x: Tensor,
  kernelSize: IntOrPair,
  ...args: MaxPoolArgs
): Tensor | [Tensor, Tensor] {
  const options = optionsFrom<MaxPoolOptions>("max_pool2d", MAX_POOL_NAMES, args);
  const both = maxPool2dWithIndices(x, kernelSize, options);
  return options.returnIndices ? both : both[0];
}

/** `F.max_pool2d(..., return_indices=True)`: the maxima and their positions (int64). */
export function maxPool2dWithIndices(
  x: Tensor,
  kernelSize: IntOrPair,
  options: MaxPoolOptions = {},
): [Tensor, Tensor] {
  if ((x.dim() !== 3 && x.dim() !== 4) || x.numel() === 0) {
    throw new RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input");
  }
  const [values, indices] = MaxPool2DWithIndices.applyMulti([x], poolAttrs(kernelSize, options));
  return [values, indices];
}

/**
 * Average over kH×kW windows of x [N, C, H, W] (or [C, H, W]): PyTorch's `F.avg_pool2d`, with
 * its positional parameters (stride, padding, ceilMode, countIncludePad, divisorOverride) or
 * options; padded cells count in the divisor unless `countIncludePad: false`.
 */
export function avgPool2d(x: Tensor, kernelSize: IntOrPair, ...args: AvgPoolArgs): Tensor {
  const options = optionsFrom<AvgPoolOptions>("avg_pool2d", AVG_POOL_NAMES, args);
  if (options.divisorOverride === 0) throw new RuntimeError("divisor must be not zero");
  normalizeDim(-3, x.dim()); // ATen reads size(-3) first: an IndexError below 3-D
  return AvgPool2D.apply([x], {
    ...poolAttrs(kernelSize, {
      stride: options.stride,
      padding: options.padding,
      ceilMode: options.ceilMode,
    }),
    countIncludePad: options.countIncludePad ?? true,
    divisorOverride: options.divisorOverride ?? null,
  });
}
