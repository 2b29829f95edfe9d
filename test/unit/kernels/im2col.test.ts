/**
 * im2col and col2im against the definition, element by element, over geometries that take
 * each of their paths: stride 1 with the output as wide as the image (one copy per row),
 * strides, dilation, padding wider than the kernel, and an offset image in a larger buffer.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { col2im, colsSize, im2col } from "../../../engine/kernels/im2col";
import { CASES, naiveCols } from "./convCases";

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
