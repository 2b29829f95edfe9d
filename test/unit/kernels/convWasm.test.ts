/**
 * The implicit-GEMM conv kernels (engine/kernels/convWasm.ts) against the column matrix's
 * definition, summed in float64: the forward product W·cols and the weight gradient D·colsᵀ,
 * over geometries that take every path (strides split into phases, dilation, padding wider
 * than the kernel, 1-D), channel counts that fill and that leave part of a 4- or 8-wide tile,
 * images long enough to be done in several chunks of rows, and offsets into larger buffers. Both
 * builds: with fused multiply-add (where the runtime has relaxed SIMD) and without.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ConvGeometry, colsSize } from "../../../engine/kernels/im2col";
import { convKernels } from "../../../engine/kernels/convWasm";
import { CASES, geometry, naiveCols } from "./convCases";

const BIG: [string, ConvGeometry][] = [
  ["conv [20,40,128] 3×5 (several chunks of rows)", geometry(20, 40, 128, 3, 5)],
  ["7×7 stride 2 padding 3 over 90×90", geometry(3, 90, 90, 7, 7, [2, 2], [3, 3])],
];

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
}

/** out[m, p] = Σ_k w[m, k]·cols[k, p] and gw[m, k] = Σ_p d[m, p]·cols[k, p], in float64. */
function reference(
  cols: Float32Array,
  g: ConvGeometry,
  M: number,
  w: Float32Array,
  d: Float32Array,
) {
  const K = g.C * g.kH * g.kW;
  const L = g.OH * g.OW;
  const out = new Float64Array(M * L);
  const gw = new Float64Array(M * K);
  for (let m = 0; m < M; m++)
    for (let k = 0; k < K; k++)
      for (let p = 0; p < L; p++) {
        out[m * L + p] += w[m * K + k] * cols[k * L + p];
        gw[m * K + k] += d[m * L + p] * cols[k * L + p];
      }
  return { out, gw };
}

function assertClose(got: Float32Array, at: number, want: Float64Array, what: string): void {
  let scale = 1e-6;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[at + i] - want[i]) <= 1e-5 * scale)) {
      assert.fail(`${what}[${i}]: ${got[at + i]} vs ${want[i]} (scale ${scale})`);
    }
  }
}

const flavours = (["relaxed", "simd"] as const).filter((f) => convKernels(f)?.flavour === f);

test("implicit conv: the plain SIMD build is there wherever WebAssembly SIMD is", () => {
  assert.ok(convKernels("simd"), "this runtime has WebAssembly SIMD (Node ≥ 16)");
});

for (const flavour of flavours) {
  for (const [name, g] of [...CASES, ...BIG]) {
    for (const M of [1, 6, 16]) {
      test(`implicit conv (${flavour}): W·cols and D·colsᵀ match the definition: ${name}, ${M} channels`, () => {
        const kernels = convKernels(flavour)!;
        const rand = rng(g.C * 131 + g.H * 17 + M);
        const K = g.C * g.kH * g.kW;
        const L = g.OH * g.OW;
        const [xo, wo, oo, dOff, go] = [3, 1, 2, 5, 4];
        const x = Float32Array.from({ length: xo + g.C * g.H * g.W + 2 }, rand);
        const w = Float32Array.from({ length: wo + M * K }, rand);
        const d = Float32Array.from({ length: dOff + M * L }, rand);
        const { out, gw } = reference(naiveCols(x, xo, g), g, M, w.subarray(wo), d.subarray(dOff));

        const y = new Float32Array(oo + M * L + 2).fill(NaN); // every output is written, no more
        assert.ok(kernels.correlate(x, xo, g, w, wo, M, y, oo));
        assertClose(y, oo, out, "out");
        assert.ok(Number.isNaN(y[0]) && Number.isNaN(y[oo + M * L]), "wrote outside its output");
        // with a bias (at an offset): bias[m] added to every position of channel m
        const bias = Float32Array.from({ length: M + 2 }, rand);
        assert.ok(kernels.correlate(x, xo, g, w, wo, M, y, oo, bias, 2));
        assertClose(y, oo, out.map((v, i) => v + bias[2 + Math.floor(i / L)]), "out + bias");

        const acc = new Float32Array(go + M * K + 1).fill(0.5); // the gradient is added, not set
        assert.ok(kernels.weightGrad(x, xo, g, d, dOff, M, acc, go));
        assertClose(
          acc,
          go,
          gw.map((v) => v + 0.5),
          "grad",
        );
        assert.equal(acc[go + M * K], 0.5, "wrote outside its gradient");
        assert.ok(colsSize(g) > 0);
      });
    }
  }
}

for (const flavour of flavours) {
  for (const [name, g] of [...CASES, ...BIG]) {
    test(`depthwise conv (${flavour}): each channel by its own kernel, as the definition: ${name}`, () => {
      const kernels = convKernels(flavour)!;
      const rand = rng(g.C * 7 + g.W);
      const K = g.kH * g.kW;
      const L = g.OH * g.OW;
      const plane = { ...g, C: 1 };
      const [xo, wo, oo, dOff, go] = [2, 3, 1, 4, 5];
      const x = Float32Array.from({ length: xo + g.C * g.H * g.W }, rand);
      const w = Float32Array.from({ length: wo + g.C * K }, rand);
      const d = Float32Array.from({ length: dOff + g.C * L }, rand);
      const bias = Float32Array.from({ length: g.C + 1 }, rand);
      const out = new Float64Array(g.C * L);
      const gw = new Float64Array(g.C * K);
      for (let c = 0; c < g.C; c++) {
        const ref = reference(naiveCols(x, xo + c * g.H * g.W, plane), plane, 1, w.subarray(wo + c * K), d.subarray(dOff + c * L)); // prettier-ignore
        ref.out.forEach((v, p) => (out[c * L + p] = v + bias[1 + c]));
        ref.gw.forEach((v, k) => (gw[c * K + k] = v + 0.5));
      }
      const y = new Float32Array(oo + g.C * L + 1).fill(NaN);
      assert.ok(kernels.depthwise(x, xo, g, w, wo, y, oo, bias, 1));
      assertClose(y, oo, out, "out");
      assert.ok(Number.isNaN(y[0]) && Number.isNaN(y[oo + g.C * L]), "wrote outside its output");
      const acc = new Float32Array(go + g.C * K + 1).fill(0.5);
      const done = kernels.depthwiseGrad(x, xo, g, d, dOff, acc, go);
      assert.equal(done, g.sW === 1 && g.dW === 1, "takes exactly the unit-stride geometries");
      if (done) assertClose(acc, go, gw, "grad");
      assert.equal(acc[go + g.C * K], 0.5, "wrote outside its gradient");
    });
  }
}
