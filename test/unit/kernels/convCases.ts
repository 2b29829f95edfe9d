/**
 * Convolution geometries that take every path of the conv kernels (stride 1 with the output as
 * wide as the image, strides, dilation, padding wider than the kernel, 1-D as height 1), and
 * the column matrix by its definition, shared by the im2col and implicit-GEMM tests.
 */
import { ConvGeometry, colsSize } from "../../../engine/kernels/im2col";
import { convOutSize } from "../../../engine/nn/shapes";

/** The geometry of a conv of a C×H×W image with a kH×kW kernel. */
export function geometry(
  C: number,
  H: number,
  W: number,
  kH: number,
  kW: number,
  s = [1, 1],
  p = [0, 0],
  d = [1, 1],
): ConvGeometry {
  const OH = convOutSize(H, kH, { stride: s[0], padding: p[0], dilation: d[0] });
  const OW = convOutSize(W, kW, { stride: s[1], padding: p[1], dilation: d[1] });
  return { C, H, W, OH, OW, kH, kW, sH: s[0], sW: s[1], pH: p[0], pW: p[1], dH: d[0], dW: d[1] };
}

/** cols[(c, i, j), (oh, ow)] = x[c, oh·sH − pH + i·dH, ow·sW − pW + j·dW], 0 in the padding. */
export function naiveCols(x: Float32Array, at: number, g: ConvGeometry): Float32Array {
  const out = new Float32Array(colsSize(g));
  let k = 0;
  for (let c = 0; c < g.C; c++)
    for (let i = 0; i < g.kH; i++)
      for (let j = 0; j < g.kW; j++)
        for (let oh = 0; oh < g.OH; oh++)
          for (let ow = 0; ow < g.OW; ow++, k++) {
            const h = oh * g.sH - g.pH + i * g.dH;
            const w = ow * g.sW - g.pW + j * g.dW;
            const inside = h >= 0 && h < g.H && w >= 0 && w < g.W;
            out[k] = inside ? x[at + (c * g.H + h) * g.W + w] : 0;
          }
  return out;
}

export const CASES: [string, ConvGeometry][] = [
  ["same 5×5, padding 2 (LeNet's first conv)", geometry(1, 28, 28, 5, 5, [1, 1], [2, 2])],
  ["valid 5×5 over 6 channels", geometry(6, 14, 14, 5, 5)],
  ["same 3×3 over a wide image", geometry(2, 4, 9, 3, 3, [1, 1], [1, 1])],
  ["1×k kernel with padding only along W", geometry(3, 5, 7, 1, 3, [1, 1], [0, 1])],
  ["padding wider than the kernel", geometry(2, 3, 3, 2, 2, [1, 1], [3, 3])],
  ["stride 2, padding 3", geometry(3, 11, 13, 7, 7, [2, 2], [3, 3])],
  ["stride 1 along H, 3 along W", geometry(2, 6, 10, 3, 2, [1, 3], [1, 0])],
  ["dilation 2", geometry(2, 9, 9, 3, 3, [1, 1], [2, 2], [2, 2])],
  ["1-D as height 1", geometry(4, 1, 12, 1, 5, [1, 1], [0, 2])],
];
