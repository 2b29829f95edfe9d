/**
 * engine/kernels/poolWasm.ts: the WebAssembly pooling kernels give the JS loops' bits, forward
 * and backward, max and average, over geometries that reach every path of the module: windows
 * inside the row (the four-at-a-time max, for strides 1, 2 and 3), windows clipped by padding
 * and by ceil mode, dilation, odd and non-square sizes, one plane wider than a vector, and
 * enough planes to span several chunks; inputs with ties, NaNs, infinities and signed zeros.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import type { AvgOptions, PoolGeometry } from "../../../engine/kernels/poolGeometry";
import {
  avgPool2d,
  avgPool2dBackward,
  maxPool2d,
  maxPool2dBackward,
} from "../../../engine/kernels/pool";
import {
  avgPool2dWasm,
  maxPool2dBackwardWasm,
  maxPool2dWasm,
  poolWasmAvailable,
} from "../../../engine/kernels/poolWasm";
import { POOL_WAT_SHA256 } from "../../../engine/kernels/poolWasmBinary";
import { poolOutSize } from "../../../engine/nn/shapes";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

interface Case {
  name: string;
  planes: number;
  H: number;
  W: number;
  k: [number, number];
  s: [number, number];
  p?: [number, number];
  d?: [number, number];
  ceil?: boolean;
}

function geometry(c: Case): PoolGeometry {
  const [pH, pW] = c.p ?? [0, 0];
  const [dH, dW] = c.d ?? [1, 1];
  const dim = (size: number, k: number, s: number, p: number, d: number) =>
    poolOutSize(size, k, { stride: s, padding: p, dilation: d, ceilMode: c.ceil ?? false });
  return {
    planes: c.planes,
    H: c.H,
    W: c.W,
    OH: dim(c.H, c.k[0], c.s[0], pH, dH),
    OW: dim(c.W, c.k[1], c.s[1], pW, dW),
    kH: c.k[0],
    kW: c.k[1],
    sH: c.s[0],
    sW: c.s[1],
    pH,
    pW,
    dH,
    dW,
  };
}

const CASES: Case[] = [
  { name: "LeNet's 2×2 stride 2", planes: 6, H: 28, W: 28, k: [2, 2], s: [2, 2] },
  { name: "3×3 stride 1 over an odd plane", planes: 3, H: 13, W: 17, k: [3, 3], s: [1, 1] },
  { name: "3×2 stride 3×3, odd sizes", planes: 4, H: 11, W: 23, k: [3, 2], s: [3, 3] },
  { name: "3×3 stride 2 padded by 1", planes: 5, H: 15, W: 19, k: [3, 3], s: [2, 2], p: [1, 1] },
  { name: "2×4 stride 1×2 padded 1×2", planes: 2, H: 9, W: 21, k: [2, 4], s: [1, 2], p: [1, 2] },
  { name: "ceil mode, 3×3 stride 2", planes: 3, H: 12, W: 18, k: [3, 3], s: [2, 2], ceil: true },
  { name: "ceil mode, padded, stride 3", planes: 2, H: 10, W: 25, k: [4, 4], s: [3, 3], p: [2, 1], ceil: true }, // prettier-ignore
  { name: "many planes over several chunks", planes: 70, H: 128, W: 128, k: [2, 2], s: [2, 2] },
  { name: "one row, kernel as wide as the plane", planes: 3, H: 1, W: 9, k: [1, 9], s: [1, 1] },
];

/** Dilated windows: max pooling only (avg pooling has no dilation). */
const DILATED: Case[] = [
  { name: "dilation 2, stride 1", planes: 3, H: 14, W: 20, k: [3, 3], s: [1, 1], d: [2, 2] },
  { name: "dilation 2×3, padded, stride 2", planes: 2, H: 17, W: 26, k: [3, 3], s: [2, 2], p: [1, 1], d: [2, 3] }, // prettier-ignore
  { name: "dilation 3, ceil mode", planes: 2, H: 16, W: 31, k: [2, 3], s: [2, 2], d: [3, 3], ceil: true }, // prettier-ignore
];

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
}

/** Small integers (many ties), some NaNs (two close together), infinities and signed zeros. */
function awkward(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const special = [NaN, Infinity, -Infinity, -0, 0, 1e-40];
  return Float32Array.from({ length: n }, (_, i) =>
    i % 13 === 5 ? special[i % special.length] : Math.floor(r() * 7) - 3,
  );
}

/** Random values with fractions: sums and divisions round. */
function fractional(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => (r() - 0.5) * 1e3 * r());
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

test("the WebAssembly binary was built from the current pool.wat", () => {
  // scripts/build-wasm.mjs records the source's hash next to the binary it assembled
  const wat = readFileSync(join(__dirname, "../../../../engine/kernels/wasm/pool.wat"));
  assert.equal(
    createHash("sha256").update(wat).digest("hex"),
    POOL_WAT_SHA256,
    "run node scripts/build-wasm.mjs",
  );
});

test("pool kernels: WebAssembly SIMD is available in Node (else the comparisons below mean nothing)", () => {
  assert.ok(poolWasmAvailable);
});

for (const c of [...CASES, ...DILATED]) {
  test(`maxPool2d in WebAssembly, forward and backward, the JS loop's bits: ${c.name}`, () => {
    const g = geometry(c);
    const x = awkward(g.planes * g.H * g.W, g.H * 31 + g.W);
    const js = maxPool2d(x, g, false);
    const wasm = maxPool2dWasm(x, g)!;
    assert.deepEqual(bits(wasm.indices), bits(js.indices), "positions");
    assert.deepEqual(bits(wasm.values), bits(js.values), "values");
    // gradients that round when windows overlap and share a max
    const gOut = fractional(g.planes * g.OH * g.OW, g.W);
    const gxJs = maxPool2dBackward(gOut, js.indices, g, false);
    assert.deepEqual(bits(maxPool2dBackwardWasm(gOut, js.indices, g)!), bits(gxJs));
  });
}

const AVG_OPTIONS: [string, AvgOptions][] = [
  ["padding counted", { countIncludePad: true, divisorOverride: null }],
  ["padding not counted", { countIncludePad: false, divisorOverride: null }],
  ["divisor 3", { countIncludePad: true, divisorOverride: 3 }],
  ["divisor -7", { countIncludePad: false, divisorOverride: -7 }],
];

for (const c of CASES) {
  for (const [how, opts] of AVG_OPTIONS) {
    test(`avgPool2d in WebAssembly, forward and backward, the JS loop's bits: ${c.name}, ${how}`, () => {
      const g = geometry(c);
      const x = fractional(g.planes * g.H * g.W, g.H * 7 + g.W);
      assert.deepEqual(bits(avgPool2dWasm(true, x, g, opts)!), bits(avgPool2d(x, g, opts, false)));
      const gOut = fractional(g.planes * g.OH * g.OW, g.W + 1);
      assert.deepEqual(
        bits(avgPool2dWasm(false, gOut, g, opts)!),
        bits(avgPool2dBackward(gOut, g, opts, false)),
      );
    });
  }
}

test("avgPool2d in WebAssembly keeps NaN and infinities as the JS loop does", () => {
  const g = geometry({ name: "", planes: 4, H: 12, W: 12, k: [3, 3], s: [2, 2], p: [1, 1] });
  const x = awkward(g.planes * g.H * g.W, 3);
  const opts = { countIncludePad: true, divisorOverride: null };
  assert.deepEqual(bits(avgPool2dWasm(true, x, g, opts)!), bits(avgPool2d(x, g, opts, false)));
});

test("pool kernels: past the size where it pays, the default path gives the JS loop's bits", () => {
  const g = geometry({ name: "", planes: 16, H: 20, W: 20, k: [3, 3], s: [2, 2], p: [1, 1] });
  const x = awkward(g.planes * g.H * g.W, 5);
  const opts = { countIncludePad: false, divisorOverride: null };
  assert.deepEqual(bits(maxPool2d(x, g).values), bits(maxPool2d(x, g, false).values));
  assert.deepEqual(bits(avgPool2d(x, g, opts)), bits(avgPool2d(x, g, opts, false)));
});
