/**
 * Convolution as an implicit GEMM on WebAssembly SIMD (wasm/conv.wat): no column matrix is
 * made. The image goes into the module's memory once, zero-padded and split by phases of the
 * W stride (`layoutImage`), so that the values under one kernel tap for 8 neighbouring output
 * positions are 8 adjacent floats; a tap is then an offset into that copy, and the 4×8
 * micro-kernel reads its B operand from the image itself. Two products need nothing else:
 *
 *   correlate:   out[m, p] = bias[m] + Σ_k w[m, k] · cols[k, p]   (a conv's forward; the input
 *                gradient of a stride-1 conv, with flipped weights — see adjointOf)
 *   weightGrad:  gw[m, k] += Σ_p d[m, p] · cols[k, p]        (a conv's weight gradient)
 *
 * where cols is im2col's column matrix of the image (im2col.ts), k = (c, i, j) a kernel tap and
 * p = (oh, ow) an output position. The module's memory grows to fit a call and is reused; the
 * functions return false where WebAssembly is missing or a call would need too much of it. On
 * the shared kernel memory, large products are split over the kernel threads (kernelJobs.ts:
 * the forward by output tiles, the weight gradient by taps).
 */
import type { ConvGeometry } from "./im2col";
import { JobKind } from "./kernelJobs";
import { instantiateKernelModule } from "./kernelModules";
import { kernelMemory, runJob, slicesFor } from "./kernelThreads";
import type { WasmFlavour, WasmMemory } from "./wasmModule";
type Pack8Fn = (src: number, sj: number, n: number, dst: number) => void;
type CopyRowsFn = (
  src: number,
  ss: number,
  dst: number,
  ds: number,
  rows: number,
  n: number,
) => void;
type DwForwardFn = (
  rows: number, tiles: number, K: number, w: number, offs: number, x: number, xRow: number,
  c: number, cRow: number, bias: number,
) => void; // prettier-ignore
type DwWgradFn = (rows: number, ow: number, x: number, xRow: number, d: number, g: number) => void;
type SplitRowFn = (
  src: number,
  n: number,
  s: number,
  pad: number,
  dst: number,
  phase: number,
) => void;

/** Memory a call may grow the module to, in floats (256 MB). */
const MAX_FLOATS = 1 << 26;
/** Floats of C (forward) or of gradient panels (weight gradient) a chunk of rows may span. */
const C_CHUNK = 1 << 16;
const D_CHUNK = 1 << 12;

const up = (n: number, m: number) => Math.ceil(n / m) * m;

/** Where the padded, phase-split image puts tap k's value for output (0, 0), and a row's step. */
interface ImageLayout {
  /** Floats of the layout, slack for the last tile's reads included. */
  size: number;
  /** Padded rows per channel, and floats per phase of a padded row. */
  Hp: number;
  phaseW: number;
  /** Floats from one output row's values to the next row's. */
  rowStep: number;
  /** Floats from the layout's start to tap k's value at output position (0, 0). */
  offsets: Int32Array;
}

/** The layout of an image for `g` (see the banner): rows padded, W padded and split by stride. */
function layoutOf(g: ConvGeometry): ImageLayout {
  const Hp = g.H + 2 * g.pH;
  const phaseW = Math.ceil((g.W + 2 * g.pW) / g.sW);
  const offsets = new Int32Array(g.C * g.kH * g.kW);
  let k = 0;
  for (let c = 0; c < g.C; c++)
    for (let i = 0; i < g.kH; i++)
      for (let j = 0; j < g.kW; j++, k++) {
        const col = j * g.dW; // padded column of output 0 under tap j
        offsets[k] = ((c * Hp + i * g.dH) * g.sW + (col % g.sW)) * phaseW + Math.floor(col / g.sW);
      }
  // a tile past the last output column reads ≤ 16 + kW·dW/sW floats past the last row
  const slack = 32 + Math.ceil((g.kW * g.dW) / g.sW);
  const size = g.C * Hp * g.sW * phaseW + slack;
  return { size, Hp, phaseW, rowStep: g.sH * g.sW * phaseW, offsets };
}

/** Layouts of the geometries met lately (a model's convs meet the same few again and again). */
const layouts = new Map<string, ImageLayout>();

function cachedLayoutOf(g: ConvGeometry): ImageLayout {
  const key = `${g.C},${g.H},${g.W},${g.OH},${g.OW},${g.kH},${g.kW},${g.sH},${g.sW},${g.pH},${g.pW},${g.dH},${g.dW}`;
  let lay = layouts.get(key);
  if (!lay) {
    if (layouts.size >= 64) layouts.clear();
    layouts.set(key, (lay = layoutOf(g)));
  }
  return lay;
}

function instantiate(flavour: WasmFlavour, shared: WasmMemory | null) {
  const instance = instantiateKernelModule("conv", flavour, shared);
  if (!instance) return null;
  const { exports: ex, memory } = instance;
  const pack8 = ex.pack8 as Pack8Fn;
  const copyRowsIn = ex.copyRows as CopyRowsFn;
  const splitRow = ex.splitRow as SplitRowFn;
  const dwForward = ex.dwForward as DwForwardFn;
  const dwWgrad = ex.dwWgrad as DwWgradFn;
  let f32 = new Float32Array(memory.buffer);
  let i32 = new Int32Array(memory.buffer);

  /** Makes the memory at least `floats` long; false when that is more than a call may take. */
  function reserve(floats: number): boolean {
    if (floats > MAX_FLOATS) return false;
    if (f32.length < floats) {
      // a shared memory may have grown through the other build's instance
      const have = memory.buffer.byteLength / 4;
      if (have < floats) memory.grow(Math.ceil((floats - have) / 16384));
      f32 = new Float32Array(memory.buffer);
      i32 = new Int32Array(memory.buffer);
    }
    return true;
  }

  /**
   * Copies the image at x[xo] into memory at `at` in the layout of `g` (zeros in the padding),
   * through a plain copy at `raw`: one memcpy in, then rows moved inside WebAssembly.
   */
  function layoutImage(
    x: Float32Array,
    xo: number,
    g: ConvGeometry,
    lay: ImageLayout,
    at: number,
    raw: number,
  ): void {
    const { C, H, W, pH, pW, sW } = g;
    const { Hp, phaseW } = lay;
    if (pH === 0 && pW === 0 && sW === 1) {
      // no padding, one phase: the layout is the image itself, then the slack
      f32.set(x.subarray(xo, xo + C * H * W), at);
      f32.fill(0, at + C * H * W, at + lay.size);
      return;
    }
    f32.set(x.subarray(xo, xo + C * H * W), raw);
    f32.fill(0, at, at + lay.size);
    for (let c = 0; c < C; c++) {
      const src = (raw + c * H * W) * 4;
      const row0 = at + (c * Hp + pH) * sW * phaseW;
      if (sW === 1) copyRowsIn(src, W * 4, (row0 + pW) * 4, phaseW * 4, H, W);
      else
        for (let h = 0; h < H; h++)
          splitRow(src + h * W * 4, W, sW, pW, (row0 + h * sW * phaseW) * 4, phaseW * 4);
    }
  }

  return {
    flavour: instance.flavour,

    correlate(
      x: Float32Array,
      xo: number,
      g: ConvGeometry,
      w: Float32Array,
      wo: number,
      M: number,
      out: Float32Array,
      oo: number,
      bias: Float32Array | null = null,
      bo = 0,
    ): boolean {
      const K = g.C * g.kH * g.kW;
      const M4 = up(M, 4);
      const OW8 = up(g.OW, 8);
      const lay = cachedLayoutOf(g);
      const chunk = Math.max(1, Math.min(g.OH, Math.floor(C_CHUNK / (M4 * OW8))));
      const offsAt = M4 * K;
      const biasAt = up(offsAt + K, 4);
      const rawAt = biasAt + M4;
      const xAt = up(rawAt + g.C * g.H * g.W, 4);
      const cAt = up(xAt + lay.size, 4);
      if (!reserve(cAt + M4 * chunk * OW8)) return false;
      // A: 4-row panels, k-major (A(i, k) at 4k + i of panel i/4), zero rows past M
      for (let q = 0; q < M4; q += 4) {
        const panel = q * K;
        for (let i = 0; i < 4; i++) {
          const m = q + i;
          if (m < M) for (let k = 0, s = wo + m * K; k < K; k++) f32[panel + 4 * k + i] = w[s + k];
          else for (let k = 0; k < K; k++) f32[panel + 4 * k + i] = 0;
        }
      }
      for (let k = 0; k < K; k++) i32[offsAt + k] = lay.offsets[k] * 4;
      f32.fill(0, biasAt, biasAt + M4);
      if (bias) f32.set(bias.subarray(bo, bo + M), biasAt);
      layoutImage(x, xo, g, lay, xAt, rawAt);
      const L = g.OH * g.OW;
      for (let r0 = 0; r0 < g.OH; r0 += chunk) {
        const rows = Math.min(chunk, g.OH - r0);
        const ldc = rows * OW8;
        const x0 = (xAt + r0 * lay.rowStep) * 4;
        const args = [rows, OW8 / 8, M4 / 4, K, 0, offsAt * 4, x0, lay.rowStep * 4, cAt * 4, ldc * 4, OW8 * 4, biasAt * 4]; // prettier-ignore
        const slices = slicesFor(JobKind.ConvForward, M4 * K * rows * OW8, OW8 / 8, memory);
        runJob(JobKind.ConvForward, args, slices, ex, instance.flavour);
        // drop the padded columns in place (rows only move down), then one copy per channel
        const n = rows * g.OW;
        if (OW8 !== g.OW) copyRowsIn(cAt * 4, OW8 * 4, cAt * 4, g.OW * 4, M * rows, g.OW);
        for (let m = 0; m < M; m++)
          out.set(f32.subarray(cAt + m * n, cAt + (m + 1) * n), oo + m * L + r0 * g.OW);
      }
      return true;
    },

    weightGrad(
      x: Float32Array,
      xo: number,
      g: ConvGeometry,
      d: Float32Array,
      dOff: number,
      M: number,
      gw: Float32Array,
      go: number,
    ): boolean {
      const K = g.C * g.kH * g.kW;
      const K4 = up(K, 4);
      const M8 = up(M, 8);
      const L = g.OH * g.OW;
      const lay = cachedLayoutOf(g);
      const offsAt = 0;
      const imageAt = up(K4, 4);
      const xAt = up(imageAt + g.C * g.H * g.W, 4);
      const rawAt = up(xAt + lay.size, 4);
      const panelsAt = rawAt + M8 * L;
      const gAt = panelsAt + M8 * L;
      if (!reserve(gAt + M8 * K4)) return false;
      // taps past K (to fill the last quad) read tap 0 again; their sums are never copied out
      for (let k = 0; k < K4; k++) i32[offsAt + k] = lay.offsets[k < K ? k : 0] * 4;
      layoutImage(x, xo, g, lay, xAt, imageAt);
      f32.set(d.subarray(dOff, dOff + M * L), rawAt);
      f32.fill(0, rawAt + M * L, panelsAt);
      for (let q = 0; q < M8; q += 8) pack8((rawAt + q * L) * 4, L * 4, L, (panelsAt + q * L) * 4);
      f32.fill(0, gAt, gAt + M8 * K4);
      const chunk = Math.max(1, Math.min(g.OH, Math.floor(D_CHUNK / (8 * g.OW))));
      // every chunk of rows and panel of 8 channels, over the taps on the kernel threads
      const args = [K4 / 4, offsAt * 4, xAt * 4, lay.rowStep * 4, g.OW, g.OH, chunk, panelsAt * 4, gAt * 4, M8, K4]; // prettier-ignore
      const slices = slicesFor(JobKind.ConvWeightGrad, M8 * K4 * L, K4 / 4, memory);
      runJob(JobKind.ConvWeightGrad, args, slices, ex, instance.flavour);
      // G is [panel][k][8 channels]: gw[m, k] += G[m/8][k][m mod 8]
      for (let m = 0; m < M; m++) {
        const src = gAt + (m - (m % 8)) * K4 + (m % 8);
        for (let k = 0, t = go + m * K; k < K; k++) gw[t + k] += f32[src + 8 * k];
      }
      return true;
    },

    /**
     * Depthwise: out[c] = bias[c] + w[c] ⋆ x[c] for each of g.C channels, one input plane and
     * one kH×kW kernel (w[c·kH·kW ..] at wo) each. Sixteen positions of one channel per tile.
     */
    depthwise(
      x: Float32Array,
      xo: number,
      g: ConvGeometry,
      w: Float32Array,
      wo: number,
      out: Float32Array,
      oo: number,
      bias: Float32Array | null = null,
      bo = 0,
    ): boolean {
      const { C, OH, OW } = g;
      const K = g.kH * g.kW;
      const L = OH * OW;
      const OW16 = up(OW, 16);
      const lay = cachedLayoutOf(g);
      const plane = lay.Hp * g.sW * lay.phaseW;
      const wAt = up(K, 4); // tap offsets of channel 0 first (layoutOf lists channel 0's first)
      const biasAt = up(wAt + C * K, 4);
      const rawAt = up(biasAt + C, 4);
      const xAt = up(rawAt + C * g.H * g.W, 4);
      const cAt = up(xAt + lay.size, 4);
      if (!reserve(cAt + OH * OW16)) return false;
      for (let k = 0; k < K; k++) i32[k] = lay.offsets[k] * 4;
      f32.set(w.subarray(wo, wo + C * K), wAt);
      if (bias) f32.set(bias.subarray(bo, bo + C), biasAt);
      else f32.fill(0, biasAt, biasAt + C);
      layoutImage(x, xo, g, lay, xAt, rawAt);
      for (let c = 0; c < C; c++) {
        const x0 = (xAt + c * plane) * 4;
        dwForward(OH, OW16 / 16, K, (wAt + c * K) * 4, 0, x0, lay.rowStep * 4, cAt * 4, OW16 * 4, (biasAt + c) * 4); // prettier-ignore
        if (OW16 !== OW) copyRowsIn(cAt * 4, OW16 * 4, cAt * 4, OW * 4, OH, OW);
        out.set(f32.subarray(cAt, cAt + L), oo + c * L);
      }
      return true;
    },

    /**
     * Depthwise weight gradient: gw[c, k] += Σ_p d[c, p]·cols_c[k, p] for each of g.C channels;
     * false unless stride and dilation along W are 1 (four neighbouring taps are then four
     * adjacent floats of the image).
     */
    depthwiseGrad(
      x: Float32Array,
      xo: number,
      g: ConvGeometry,
      d: Float32Array,
      dOff: number,
      gw: Float32Array,
      go: number,
    ): boolean {
      if (g.sW !== 1 || g.dW !== 1) return false;
      const { C, kH, kW } = g;
      const K = kH * kW;
      const L = g.OH * g.OW;
      const lay = cachedLayoutOf(g);
      const plane = lay.Hp * g.sW * lay.phaseW;
      const gAt = 0;
      const dAt = 4;
      const rawAt = up(dAt + C * L, 4);
      const xAt = up(rawAt + C * g.H * g.W, 4);
      if (!reserve(xAt + lay.size)) return false;
      f32.set(d.subarray(dOff, dOff + C * L), dAt);
      layoutImage(x, xo, g, lay, xAt, rawAt);
      for (let c = 0; c < C; c++)
        for (let i = 0; i < kH; i++)
          for (let j = 0; j < kW; j += 4) {
            const tap = (xAt + c * plane + lay.offsets[i * kW + j]) * 4;
            f32.fill(0, gAt, gAt + 4);
            dwWgrad(g.OH, g.OW, tap, lay.rowStep * 4, (dAt + c * L) * 4, gAt * 4);
            const t = go + c * K + i * kW + j;
            for (let l = 0; l < Math.min(4, kW - j); l++) gw[t + l] += f32[gAt + l];
          }
      return true;
    },
  };
}

/** The implicit-GEMM convolution kernels (see the banner). */
export type ConvKernels = NonNullable<ReturnType<typeof instantiate>>;

const kernels = new Map<string, ConvKernels | null>();

/**
 * The kernels, fused multiply-add where the runtime has relaxed SIMD; null without SIMD. On
 * the shared kernel memory where there is one; `{ shared: false }`: on a memory of their own,
 * one thread always (tests: the fallback).
 */
export function convKernels(flavour: WasmFlavour = "relaxed", opts: { shared?: boolean } = {}): ConvKernels | null {
  const shared = opts.shared === false ? null : (kernelMemory()?.memory ?? null);
  const key = `${flavour} ${shared ? "shared" : "own"}`;
  if (!kernels.has(key)) kernels.set(key, instantiate(flavour, shared));
  return kernels.get(key)!;
}
