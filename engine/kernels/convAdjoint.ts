/**
 * The input gradient of a stride-1 convolution as a convolution: col2im(Wᵀ·D) — what a conv's
 * backward and a transposed conv's forward compute — equals the output gradient D, padded by
 * dilation·(k − 1) − padding, correlated with the kernel flipped in both spatial dims and its
 * two channel dims swapped. That lets the implicit-GEMM kernel (convWasm.ts) do it without a
 * column matrix or a col2im pass. Strided convs have no such form here (their gradient would
 * need zeros between D's values) and keep col2im.
 */
import type { ConvGeometry } from "./im2col";

/**
 * The geometry of that correlation for a conv of geometry `g` with `gridC` output channels:
 * D's [gridC, OH, OW] planes are its image and the conv's input its grid; null when `g` has a
 * stride or a padding wider than dilation·(k − 1).
 */
export function adjointGeometry(g: ConvGeometry, gridC: number): ConvGeometry | null {
  const pH = g.dH * (g.kH - 1) - g.pH;
  const pW = g.dW * (g.kW - 1) - g.pW;
  if (g.sH !== 1 || g.sW !== 1 || pH < 0 || pW < 0) return null;
  return { ...g, C: gridC, H: g.OH, W: g.OW, OH: g.H, OW: g.W, pH, pW };
}

/**
 * The weights of that correlation: from W [M, C, kH, kW] at `wo` to [C, M, kH, kW] with
 * out[c, m, i, j] = W[m, c, kH − 1 − i, kW − 1 − j].
 */
export function flippedWeights(
  w: Float32Array,
  wo: number,
  M: number,
  C: number,
  kH: number,
  kW: number,
): Float32Array {
  const taps = kH * kW;
  const out = new Float32Array(M * C * taps);
  for (let m = 0; m < M; m++)
    for (let c = 0; c < C; c++) {
      const src = wo + (m * C + c) * taps;
      const dst = (c * M + m) * taps;
      for (let t = 0; t < taps; t++) out[dst + t] = w[src + taps - 1 - t];
    }
  return out;
}
