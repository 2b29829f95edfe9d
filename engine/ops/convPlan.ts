/**
 * The sizes of one convolution call, shared by its forward and backward and by both ways of
 * computing it (convImplicit.ts, convGemm.ts): a convolution relates an "image" side (the input
 * of a conv, the output of a transposed conv) to a "grid" side of kernel positions.
 */
import type { Tensor } from "../tensor";
import type { ConvGeometry } from "../kernels/im2col";

/** The attributes PyTorch's `ConvolutionBackward0` keeps; one entry per spatial dim. */
export interface ConvAttrs {
  stride: number[];
  padding: number[];
  dilation: number[];
  transposed: boolean;
  outputPadding: number[];
  groups: number;
}

/** 1-D sizes seen as 2-D with height 1 (how ATen runs conv1d on CPU, and how it words errors). */
export function as2d(v: readonly number[], one = 1): [number, number] {
  return v.length === 1 ? [one, v[0]] : [v[0], v[1]];
}

/** The geometry of im2col/col2im between an image and a grid of kernel positions. */
function geometry(
  C: number,
  image: readonly number[],
  grid: readonly number[],
  kernel: readonly number[],
  a: ConvAttrs,
): ConvGeometry {
  const [H, W] = as2d(image);
  const [OH, OW] = as2d(grid);
  const [kH, kW] = as2d(kernel);
  const [sH, sW] = as2d(a.stride);
  const [pH, pW] = as2d(a.padding, 0);
  const [dH, dW] = as2d(a.dilation);
  return { C, H, W, OH, OW, kH, kW, sH, sW, pH, pW, dH, dW };
}

export const prod = (v: readonly number[]): number => v.reduce((p, q) => p * q, 1);

/** Sizes of one convolution call, shared by forward and backward. */
export interface Plan {
  N: number;
  /** Channels of the image side (input of a conv, output of a transposed conv) per group. */
  imageC: number;
  /** Channels of the grid side (output of a conv, input of a transposed conv) per group. */
  gridC: number;
  /** Spatial size of one image-side and one grid-side plane. */
  imageL: number;
  gridL: number;
  /** Rows of the column matrix per group: imageC·kernel taps. */
  K: number;
  geom: ConvGeometry;
}

export function plan(x: Tensor, w: Tensor, a: ConvAttrs, outSpatial: readonly number[]): Plan {
  const G = a.groups;
  const kernel = w.shape.slice(2);
  const inSpatial = x.shape.slice(2);
  const [image, grid] = a.transposed ? [outSpatial, inSpatial] : [inSpatial, outSpatial];
  // weight [gridC·G, imageC, *kernel] for both kinds: [O, C/G, k…] or, transposed, [C, O/G, k…]
  const imageC = w.shape[1];
  const gridC = w.shape[0] / G;
  return {
    N: x.shape[0],
    imageC,
    gridC,
    imageL: prod(image),
    gridL: prod(grid),
    K: imageC * prod(kernel),
    geom: geometry(imageC * G, image, grid, kernel, a),
  };
}

/** The geometry of one group: im2col's, over that group's imageC channels. */
export function groupGeometry(p: Plan): ConvGeometry {
  return { ...p.geom, C: p.imageC };
}
