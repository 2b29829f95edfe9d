/**
 * im2col and col2im against the definition, element by element, over geometries that take
 * each of their paths: stride 1 with the output as wide as the image (one copy per row),
 * strides, dilation, padding wider than the kernel, and an offset image in a larger buffer.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ConvGeometry, col2im, colsSize, im2col } from "../../../engine/kernels/im2col";
import { convOutSize } from "../../../engine/nn/shapes";

/** The geometry of a conv of a C×H×W image with a kH×kW kernel. */
function geometry(
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
function naiveCols(x: Float32Array, at: number, g: ConvGeometry): Float32Array {
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

const CASES: [string, ConvGeometry][] = [
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

for (const [name, g] of CASES) {
  test(`im2col matches the definition: ${name}`, () => {
    const at = 5;
    const x = Float32Array.from({ length: at + g.C * g.H * g.W + 3 }, (_, i) => i + 1);
    const cols = new Float32Array(colsSize(g)).fill(NaN); // every entry must be written
    im2col(x, at, g, cols);
    assert.deepEqual(cols, naiveCols(x, at, g));
  });

  test(`col2im is im2col's adjoint: ${name}`, () => {
    // <im2col(e_p), c> = col2im(c)[p] for every image cell p and a fixed column matrix c
    const at = 2;
    const size = g.C * g.H * g.W;
    const c = Float32Array.from({ length: colsSize(g) }, (_, i) => (i % 7) - 3);
    const image = new Float32Array(at + size + 1).fill(1);
    col2im(c, g, image, at);
    assert.equal(image[0], 1);
    assert.equal(image[at + size], 1);
    for (let p = 0; p < size; p++) {
      const e = new Float32Array(size);
      e[p] = 1;
      const cols = naiveCols(e, 0, g);
      let dot = 0;
      for (let k = 0; k < cols.length; k++) dot += cols[k] * c[k];
      assert.equal(image[at + p], 1 + dot, `cell ${p}`);
    }
  });
}
