/**
 * Max and average pooling over the last two dims of [planes, H, W] storage, as ATen's CPU
 * kernels compute them: windows that start in the padding are clipped to the input, a max
 * takes the first largest value (NaN wins), and an average divides by the window size the
 * options ask for. Past a size where it pays, each runs in WebAssembly instead (poolWasm.ts),
 * with the same bits.
 */
import type { AvgOptions, PoolGeometry } from "./poolGeometry";
import { avgPool2dWasm, maxPool2dBackwardWasm, maxPool2dWasm } from "./poolWasm";

/**
 * From this many window cells (planes·OH·OW·kH·kW) on, the WebAssembly kernels (poolWasm.ts,
 * the same bits) run; below it the copies in and out cost more than they save. Measured in
 * turns with the JS loops: max pooling forward and backward and average pooling forward pay
 * from about 1,000 cells (LeNet's 6×28×28 2×2 pool, 4,704 cells: ~0.6× the JS time for a max,
 * ~0.35× for an average); average pooling's backward, one output at a time in doubles as the
 * JS loop, only from a few tens of thousands (0.7× at 42,000, 1.2× at 4,704).
 */
const WASM_FROM = 1024;
const AVG_BACKWARD_WASM_FROM = 16384;

/** Whether a pooling of `g` is worth running in WebAssembly (`useWasm`: tests compare both). */
function wantsWasm(g: PoolGeometry, from: number, useWasm: boolean): boolean {
  return useWasm && g.planes * g.OH * g.OW * g.kH * g.kW >= from;
}

/** Whether every window lies inside the plane with no gaps (no padding, dilation or ceil overhang). */
function windowsInside(g: PoolGeometry): boolean {
  return (
    g.pH === 0 && g.pW === 0 && g.dH === 1 && g.dW === 1 &&
    (g.OH - 1) * g.sH + g.kH <= g.H && (g.OW - 1) * g.sW + g.kW <= g.W
  ); // prettier-ignore
}

/**
 * maxPool2d where every window lies inside its plane (windowsInside): no clipping per window.
 * The common case (LeNet's 2×2, stride 2); about 1.3× faster than the general loop.
 */
function maxPoolInside(
  x: Float32Array,
  g: PoolGeometry,
  values: Float32Array,
  indices: Float32Array,
): void {
  const { planes, H, W, OH, OW, kH, kW, sH, sW } = g;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const top = oh * sH * W;
      for (let ow = 0; ow < OW; ow++, o++) {
        const first = top + ow * sW;
        let best = x[plane + first];
        let at = first;
        for (let i = 0; i < kH; i++) {
          const row = first + i * W;
          for (let j = 0; j < kW; j++) {
            const v = x[plane + row + j];
            // NOTE: NaN wins (the last NaN, as in ATen); ties keep the first position
            if (v > best || v !== v) {
              best = v;
              at = row + j;
            }
          }
        }
        values[o] = best;
        indices[o] = at;
      }
    }
  }
}

/** Max of every window; `indices` gets the flat position h·W + w of the max within its plane. */
export function maxPool2d(
  x: Float32Array,
  g: PoolGeometry,
  useWasm = true,
): { values: Float32Array; indices: Float32Array } {
  const fast = wantsWasm(g, WASM_FROM, useWasm) ? maxPool2dWasm(x, g) : null;
  if (fast) return fast;
  const { planes, H, W, OH, OW, kH, kW, sH, sW, pH, pW, dH, dW } = g;
  const values = new Float32Array(planes * OH * OW);
  const indices = new Float32Array(planes * OH * OW);
  if (windowsInside(g)) {
    maxPoolInside(x, g, values, indices);
    return { values, indices };
  }
  for (let p = 0; p < planes; p++) {
    const plane = p * H * W;
    for (let oh = 0; oh < OH; oh++) {
      let hStart = oh * sH - pH;
      const hEnd = Math.min(hStart + (kH - 1) * dH + 1, H);
      while (hStart < 0) hStart += dH;
      for (let ow = 0; ow < OW; ow++) {
        let wStart = ow * sW - pW;
        const wEnd = Math.min(wStart + (kW - 1) * dW + 1, W);
        while (wStart < 0) wStart += dW;
        let best = -Infinity;
        let at = hStart * W + wStart;
        for (let h = hStart; h < hEnd; h += dH) {
          for (let w = wStart; w < wEnd; w += dW) {
            const v = x[plane + h * W + w];
            // NOTE: NaN wins, as in ATen; ties keep the first position
            if (v > best || v !== v) {
              best = v;
              at = h * W + w;
            }
          }
        }
        const o = (p * OH + oh) * OW + ow;
        values[o] = best;
        indices[o] = at;
      }
    }
  }
  return { values, indices };
}

/** The max's gradient goes to the position it was taken from (summed where windows share it). */
export function maxPool2dBackward(
  gOut: Float32Array,
  indices: Float32Array,
  g: PoolGeometry,
  useWasm = true,
): Float32Array {
  const fast = wantsWasm(g, WASM_FROM, useWasm) ? maxPool2dBackwardWasm(gOut, indices, g) : null;
  if (fast) return fast;
  const { planes, H, W, OH, OW } = g;
  const gx = new Float32Array(planes * H * W);
  const L = OH * OW;
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < L; i++) gx[p * H * W + indices[p * L + i]] += gOut[p * L + i];
  }
  return gx;
}

/** Calls `visit(o, h0, h1, w0, w1, divisor)` for every output cell's clipped window. */
function forEachAvgWindow(
  g: PoolGeometry,
  opts: AvgOptions,
  visit: (
    o: number,
    plane: number,
    h0: number,
    h1: number,
    w0: number,
    w1: number,
    divisor: number,
  ) => void,
): void {
  const { planes, H, W, OH, OW, kH, kW, sH, sW, pH, pW } = g;
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        let h0 = oh * sH - pH;
        let w0 = ow * sW - pW;
        let h1 = Math.min(h0 + kH, H + pH);
        let w1 = Math.min(w0 + kW, W + pW);
        const poolSize = (h1 - h0) * (w1 - w0);
        h0 = Math.max(h0, 0);
        w0 = Math.max(w0, 0);
        h1 = Math.min(h1, H);
        w1 = Math.min(w1, W);
        const divisor =
          opts.divisorOverride ?? (opts.countIncludePad ? poolSize : (h1 - h0) * (w1 - w0));
        visit((p * OH + oh) * OW + ow, p * H * W, h0, h1, w0, w1, divisor);
      }
    }
  }
}

/** Average of every window. */
export function avgPool2d(
  x: Float32Array,
  g: PoolGeometry,
  opts: AvgOptions,
  useWasm = true,
): Float32Array {
  const fast = wantsWasm(g, WASM_FROM, useWasm) ? avgPool2dWasm(true, x, g, opts) : null;
  if (fast) return fast;
  const out = new Float32Array(g.planes * g.OH * g.OW);
  const W = g.W;
  forEachAvgWindow(g, opts, (o, plane, h0, h1, w0, w1, divisor) => {
    let s = 0;
    for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) s += x[plane + h * W + w];
    out[o] = s / divisor;
  });
  return out;
}

/** Each output's gradient, divided by its divisor, spread over its window. */
export function avgPool2dBackward(
  gOut: Float32Array,
  g: PoolGeometry,
  opts: AvgOptions,
  useWasm = true,
): Float32Array {
  const fast = wantsWasm(g, AVG_BACKWARD_WASM_FROM, useWasm)
    ? avgPool2dWasm(false, gOut, g, opts)
    : null;
  if (fast) return fast;
  const gx = new Float32Array(g.planes * g.H * g.W);
  const W = g.W;
  forEachAvgWindow(g, opts, (o, plane, h0, h1, w0, w1, divisor) => {
    const share = gOut[o] / divisor;
    for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) gx[plane + h * W + w] += share;
  });
  return gx;
}
