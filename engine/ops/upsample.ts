/**
 * Upsampling of [N, C, H, W] (`UpsampleNearest2DBackward1`, `UpsampleBilinear2DBackward1`) and
 * `F.interpolate`. Source positions are computed in float32, as ATen's CPU kernels do, so that
 * the nearest neighbour picked for a fractional scale is PyTorch's:
 *   nearest:  src = min(⌊dst·scale⌋, in − 1)
 *   bilinear: src = scale·(dst + ½) − ½ (clamped at 0), or scale·dst with alignCorners
 * where scale = 1/scaleFactor when a factor was given, else in/out ((in−1)/(out−1) aligned).
 */
import { defineOp, traced } from "../autograd/apply";
import { Tensor } from "../tensor";
import { NotImplementedError, ValueError } from "../errors";
import { PositionalOr, optionsFrom } from "../nn/args";

const f = Math.fround;

/** The attributes of an upsampling node. */
export interface UpsampleAttrs {
  size: [number, number];
  /** The scale factors the user gave, per dim (null when a size was given). */
  scales: [number | null, number | null];
  alignCorners: boolean;
}

/** ATen's compute_scales_value: 1/factor when given, else in/out, as float32. */
function scaleOf(input: number, output: number, factor: number | null): number {
  return factor !== null && factor > 0 ? f(1 / factor) : f(input / output);
}

/** For each output index along one dim: the source index (nearest). */
function nearestIndices(input: number, output: number, factor: number | null): Int32Array {
  const idx = new Int32Array(output);
  const scale = scaleOf(input, output, factor);
  for (let o = 0; o < output; o++) {
    if (output === input) idx[o] = o;
    else if (output === 2 * input) idx[o] = o >> 1;
    else idx[o] = Math.min(Math.floor(f(o * scale)), input - 1);
  }
  return idx;
}

/** For each output index along one dim: the two source indices and their weights (bilinear). */
function linearTaps(input: number, output: number, factor: number | null, align: boolean) {
  const i0 = new Int32Array(output);
  const i1 = new Int32Array(output);
  const w0 = new Float32Array(output);
  const w1 = new Float32Array(output);
  const scale = align
    ? output > 1
      ? f((input - 1) / (output - 1))
      : 0
    : scaleOf(input, output, factor);
  for (let o = 0; o < output; o++) {
    const src = align ? f(scale * o) : Math.max(f(f(scale * f(o + 0.5)) - 0.5), 0);
    const lo = Math.min(Math.floor(src), input - 1);
    const lambda = Math.min(Math.max(f(src - lo), 0), 1);
    i0[o] = lo;
    i1[o] = lo < input - 1 ? lo + 1 : lo;
    w1[o] = lambda;
    w0[o] = f(1 - lambda);
  }
  return { i0, i1, w0, w1 };
}

/**
 * One output cell = Σ weight · input cell over its K taps (1 nearest, 4 bilinear), listed once
 * per plane as flat arrays: tap k of cell c is input `index[c·K + k]` with `weight[c·K + k]`.
 * The same taps carry gradients back.
 */
interface Taps {
  K: number;
  index: Int32Array;
  weight: Float64Array;
}

function nearestTaps(H: number, W: number, a: UpsampleAttrs): Taps {
  const hs = nearestIndices(H, a.size[0], a.scales[0]);
  const ws = nearestIndices(W, a.size[1], a.scales[1]);
  const [OH, OW] = a.size;
  const index = new Int32Array(OH * OW);
  for (let oh = 0; oh < OH; oh++)
    for (let ow = 0; ow < OW; ow++) index[oh * OW + ow] = hs[oh] * W + ws[ow];
  return { K: 1, index, weight: new Float64Array(OH * OW).fill(1) };
}

function bilinearTaps(H: number, W: number, a: UpsampleAttrs): Taps {
  const h = linearTaps(H, a.size[0], a.scales[0], a.alignCorners);
  const w = linearTaps(W, a.size[1], a.scales[1], a.alignCorners);
  const [OH, OW] = a.size;
  const index = new Int32Array(OH * OW * 4);
  const weight = new Float64Array(OH * OW * 4);
  for (let oh = 0, t = 0; oh < OH; oh++) {
    for (let ow = 0; ow < OW; ow++, t += 4) {
      index[t] = h.i0[oh] * W + w.i0[ow];
      index[t + 1] = h.i0[oh] * W + w.i1[ow];
      index[t + 2] = h.i1[oh] * W + w.i0[ow];
      index[t + 3] = h.i1[oh] * W + w.i1[ow];
      weight[t] = h.w0[oh] * w.w0[ow];
      weight[t + 1] = h.w0[oh] * w.w1[ow];
      weight[t + 2] = h.w1[oh] * w.w0[ow];
      weight[t + 3] = h.w1[oh] * w.w1[ow];
    }
  }
  return { K: 4, index, weight };
}

const upsampleOp = (name: string, tapsOf: (H: number, W: number, a: UpsampleAttrs) => Taps) =>
  defineOp<UpsampleAttrs>({
    name,
    forward(_ctx, [x], a) {
      const [N, C, H, W] = x.shape;
      const cells = a.size[0] * a.size[1];
      const { K, index, weight } = tapsOf(H, W, a);
      const X = x._values;
      const out = new Float32Array(N * C * cells);
      for (let p = 0, o = 0; p < N * C; p++) {
        const base = p * H * W;
        for (let c = 0; c < cells; c++, o++) {
          let s = 0;
          for (let k = c * K; k < c * K + K; k++) s += weight[k] * X[base + index[k]];
          out[o] = s;
        }
      }
      return Tensor._make(out, [N, C, ...a.size]);
    },
    backward(ctx, [g], a) {
      const shape = ctx.inputShape(0);
      const [N, C, H, W] = shape;
      const cells = a.size[0] * a.size[1];
      const { K, index, weight } = tapsOf(H, W, a);
      const G = g._values;
      const gx = new Float32Array(N * C * H * W);
      for (let p = 0, o = 0; p < N * C; p++) {
        const base = p * H * W;
        for (let c = 0; c < cells; c++, o++) {
          for (let k = c * K; k < c * K + K; k++) gx[base + index[k]] += weight[k] * G[o];
        }
      }
      return [Tensor._make(gx, shape.slice())];
    },
  });

export const UpsampleNearest2D = upsampleOp("UpsampleNearest2DBackward1", nearestTaps);
export const UpsampleBilinear2D = upsampleOp("UpsampleBilinear2DBackward1", bilinearTaps);

/** How `interpolate` resamples. */
export type InterpolateMode = "nearest" | "bilinear";

/** Options of `interpolate` (PyTorch's keyword arguments): exactly one of size and scaleFactor. */
export interface InterpolateOptions {
  size?: number | [number, number] | null;
  scaleFactor?: number | [number, number] | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
}

/** `interpolate`'s and `nn.Upsample`'s arguments: PyTorch's positional ones, or options. */
export type InterpolateArgs = PositionalOr<
  [
    size?: number | [number, number] | null,
    scaleFactor?: number | [number, number] | null,
    mode?: InterpolateMode,
    alignCorners?: boolean | null,
  ],
  InterpolateOptions
>;

/** The options `InterpolateArgs` give. */
export const interpolateOptions = (args: InterpolateArgs): InterpolateOptions =>
  optionsFrom<InterpolateOptions>("interpolate", ["size", "scaleFactor", "mode", "alignCorners"], args);

const pairOf = <T>(v: T | [T, T]): [T, T] => (Array.isArray(v) ? [v[0], v[1]] : [v, v]);

/**
 * Resizes [N, C, H, W] to `size`, or by `scaleFactor` (output ⌊H·factor⌋), with nearest or
 * bilinear sampling (PyTorch's `F.interpolate` / `nn.Upsample`).
 * @example F.interpolate(x, { scaleFactor: 2, mode: "bilinear", alignCorners: false })
 * F.interpolate(x, [32, 32])   // PyTorch's positional size, scale_factor, mode, align_corners
 */
export function interpolate(input: Tensor, ...args: InterpolateArgs): Tensor {
  return traced("interpolate", [input], () => {
    const options = interpolateOptions(args);
    const { mode = "nearest", size = null, scaleFactor = null, alignCorners = null } = options;
    if (mode !== "nearest" && mode !== "bilinear") {
      throw new NotImplementedError(
        `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${input.dim()}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${mode})`,
      );
    }
    if (mode === "nearest" && alignCorners !== null) {
      throw new ValueError(
        "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear",
      );
    }
    if (size !== null && scaleFactor !== null)
      throw new ValueError("only one of size or scale_factor should be defined");
    if (size === null && scaleFactor === null)
      throw new ValueError("either size or scale_factor should be defined");
    if (input.dim() !== 4) {
      throw new NotImplementedError(
        mode === "bilinear"
          ? `Got ${input.dim()}D input, but bilinear mode needs 4D input`
          : `Got ${input.dim()}D input: Gradlens interpolates [N, C, H, W] input only`,
      );
    }
    const [H, W] = input.shape.slice(2);
    const scales: [number | null, number | null] =
      scaleFactor === null ? [null, null] : pairOf(scaleFactor);
    const outSize: [number, number] =
      size !== null ? pairOf(size) : [Math.floor(H * scales[0]!), Math.floor(W * scales[1]!)];
    const attrs: UpsampleAttrs = { size: outSize, scales, alignCorners: alignCorners ?? false };
    return (mode === "nearest" ? UpsampleNearest2D : UpsampleBilinear2D).apply([input], attrs);
  });
}
