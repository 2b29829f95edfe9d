/**
 * maxPool2d's kernel against ATen's loop (max_pool2d_with_indices, CPU): the max of each window,
 * NaN winning (the last NaN of a window, as `val > max || isnan(val)` gives) and the first
 * position among equal maxima, on windows inside the plane (the kernel's fast path) and padded
 * ones (the general path), with ties and NaNs planted.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { maxPool2d } from "../../../engine/kernels/pool";
import type { PoolGeometry } from "../../../engine/kernels/poolGeometry";

function aten(x: Float32Array, g: PoolGeometry): { values: number[]; indices: number[] } {
  const values: number[] = [];
  const indices: number[] = [];
  for (let p = 0; p < g.planes; p++)
    for (let oh = 0; oh < g.OH; oh++)
      for (let ow = 0; ow < g.OW; ow++) {
        let best = -Infinity;
        let at = -1;
        for (let i = 0; i < g.kH; i++)
          for (let j = 0; j < g.kW; j++) {
            const h = oh * g.sH - g.pH + i * g.dH;
            const w = ow * g.sW - g.pW + j * g.dW;
            if (h < 0 || h >= g.H || w < 0 || w >= g.W) continue;
            const v = x[(p * g.H + h) * g.W + w];
            if (at < 0 || v > best || Number.isNaN(v)) [best, at] = [v, h * g.W + w];
          }
        values.push(best);
        indices.push(at);
      }
  return { values, indices };
}

const pool = (planes: number, H: number, W: number, k: number, s: number, p = 0): PoolGeometry => {
  const out = (n: number) => Math.floor((n + 2 * p - k) / s) + 1;
  return {
    planes,
    H,
    W,
    OH: out(H),
    OW: out(W),
    kH: k,
    kW: k,
    sH: s,
    sW: s,
    pH: p,
    pW: p,
    dH: 1,
    dW: 1,
  };
};

for (const [name, g] of [
  ["2×2 stride 2, windows inside", pool(3, 8, 10, 2, 2)],
  ["3×3 stride 2 over an odd plane, windows inside", pool(2, 9, 7, 3, 2)],
  ["3×3 stride 1 padded by 1 (general path)", pool(2, 6, 5, 3, 1, 1)],
] as const) {
  test(`maxPool2d matches ATen's loop with ties and NaNs: ${name}`, () => {
    let s = 9;
    const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) % 7) - 3; // small integers: many ties
    const x = Float32Array.from({ length: g.planes * g.H * g.W }, rand);
    for (let i = 5; i < x.length; i += 11) x[i] = NaN;
    for (let i = 7; i < x.length; i += 29) x[i + 1] = x[i - 1] = NaN; // two NaNs in some windows
    const got = maxPool2d(x, g);
    const want = aten(x, g);
    assert.deepEqual(Array.from(got.indices), want.indices);
    assert.deepEqual(Array.from(got.values), want.values);
  });
}
