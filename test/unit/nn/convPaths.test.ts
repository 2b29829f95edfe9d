/**
 * The two ways the engine computes a convolution — the implicit GEMM in WebAssembly
 * (engine/ops/convImplicit.ts) and im2col + GEMM + col2im (convGemm.ts, where WebAssembly SIMD
 * is missing) — give the same output and gradients, for both kinds of convolution, strides
 * (where the input gradient keeps col2im), dilation, groups, depthwise convs (their own
 * kernels), batches and 1-D. The PyTorch
 * reference tests check whichever path the runtime takes; this one checks the other against it.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import type { Tensor } from "../../../engine";
import { nn } from "../../../engine";
import { _setConvKernels } from "../../../engine/ops/convImplicit";
import { convKernels } from "../../../engine/kernels/convWasm";

const F = nn.functional;

/** Input and weight shapes, the output channels (the bias), and the call. */
type Case = {
  name: string;
  x: number[];
  w: number[];
  outC: number;
  run: (x: Tensor, w: Tensor, b: Tensor) => Tensor;
};

const CASES: Case[] = [
  { name: "conv2d 3×5, padding [1, 2]", x: [2, 4, 9, 13], w: [6, 4, 3, 5], outC: 6, run: (x, w, b) => F.conv2d(x, w, b, { padding: [1, 2] }) },
  { name: "conv2d 7×7 stride 2 padding 3", x: [1, 3, 17, 19], w: [5, 3, 7, 7], outC: 5, run: (x, w, b) => F.conv2d(x, w, b, { stride: 2, padding: 3 }) },
  { name: "conv2d stride [1, 3], dilation 2", x: [2, 2, 11, 14], w: [4, 2, 3, 2], outC: 4, run: (x, w, b) => F.conv2d(x, w, b, { stride: [1, 3], dilation: 2 }) },
  { name: "conv2d groups 3 (depthwise ×2)", x: [2, 3, 8, 9], w: [6, 1, 3, 3], outC: 6, run: (x, w, b) => F.conv2d(x, w, b, { padding: 1, groups: 3 }) },
  { name: "conv2d depthwise 3×3 (one channel per group)", x: [2, 5, 9, 21], w: [5, 1, 3, 3], outC: 5, run: (x, w, b) => F.conv2d(x, w, b, { padding: 1, groups: 5 }) },
  { name: "conv2d depthwise 5×5 stride 2", x: [1, 3, 12, 11], w: [3, 1, 5, 5], outC: 3, run: (x, w, b) => F.conv2d(x, w, b, { padding: 2, stride: 2, groups: 3 }) },
  { name: "conv2d padding wider than the kernel", x: [1, 2, 5, 5], w: [3, 2, 2, 2], outC: 3, run: (x, w, b) => F.conv2d(x, w, b, { padding: 3 }) },
  { name: "conv1d same", x: [2, 3, 21], w: [5, 3, 4], outC: 5, run: (x, w, b) => F.conv1d(x, w, b, { padding: "same" }) },
  { name: "convTranspose2d k5 s3 p2", x: [1, 4, 6, 7], w: [4, 3, 5, 5], outC: 3, run: (x, w, b) => F.convTranspose2d(x, w, b, { stride: 3, padding: 2 }) },
  { name: "convTranspose2d stride 1, groups 2", x: [2, 4, 6, 5], w: [4, 3, 3, 2], outC: 6, run: (x, w, b) => F.convTranspose2d(x, w, b, { padding: 1, groups: 2 }) },
  { name: "convTranspose1d dilation 2", x: [2, 3, 10], w: [3, 2, 3], outC: 2, run: (x, w, b) => F.convTranspose1d(x, w, b, { dilation: 2 }) },
]; // prettier-ignore

function outputAndGrads(c: Case): number[][] {
  torch.manualSeed(3);
  const x = torch.randn(c.x).requiresGrad_();
  const w = torch.randn(c.w).requiresGrad_();
  const b = torch.randn([c.outC]).requiresGrad_();
  const y = c.run(x, w, b);
  y.backward(torch.randn(y.shape));
  return [y, x.grad!, w.grad!, b.grad!].map((t) => t.flatten().tolist() as number[]);
}

for (const c of CASES) {
  test(`conv paths: implicit GEMM and im2col agree on output and gradients: ${c.name}`, () => {
    assert.ok(convKernels(), "this runtime has WebAssembly SIMD");
    const previous = _setConvKernels(convKernels());
    let implicit: number[][], classic: number[][];
    try {
      implicit = outputAndGrads(c);
      _setConvKernels(null);
      classic = outputAndGrads(c);
    } finally {
      _setConvKernels(previous);
    }
    ["output", "x.grad", "weight.grad", "bias.grad"].forEach((what, i) => {
      const scale = Math.max(1, ...classic[i].map(Math.abs));
      assert.equal(implicit[i].length, classic[i].length, what);
      implicit[i].forEach((v, k) =>
        assert.ok(
          Math.abs(v - classic[i][k]) <= 1e-5 * scale,
          `${what}[${k}]: ${v} vs ${classic[i][k]}`,
        ),
      );
    });
  });
}
