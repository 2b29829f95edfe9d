/**
 * The blocked GEMM driver (BLIS's five loops): columns of C in slabs of nc, K in slices of
 * kc, rows in blocks of mc; each kc×nc slice of op(B) and mc×kc block of op(A) is packed
 * once (gemmPack.ts) and handed to a backend's macro-kernel, which runs its register-tiled
 * micro-kernel over the block. Backends: plain JS (gemmJs.ts) and WebAssembly SIMD
 * (gemmWasm.ts); both compute the same sums, in the same k order.
 */
import { packA, packB } from "./gemmPack";

/** A micro-kernel with its block sizes and pack buffers. */
export interface GemmBackend {
  readonly name: string;
  /** Micro-tile rows and columns. */
  readonly mr: number;
  readonly nr: number;
  /** Block sizes: rows of A per pack, K per slice, columns of B per pack. */
  readonly mc: number;
  readonly kc: number;
  readonly nc: number;
  /** Where packed A (≥ mc·kc padded) and packed B (≥ kc·nc padded) go; may change between calls. */
  bufA(): Float32Array;
  readonly aOffset: number;
  bufB(): Float32Array;
  readonly bOffset: number;
  /**
   * C[mc×nc] at cOff (row stride ldc) = (add ? C : 0) + packedA · packedB, for the packed
   * block and slice.
   */
  block(mc: number, nc: number, kc: number, C: Float32Array, cOff: number, ldc: number, add: boolean): void;
}

/** Splits `n` into ceil(n/max) near-equal parts, each a multiple of `unit` except the last. */
function blockSize(n: number, max: number, unit: number): number {
  const parts = Math.ceil(n / max);
  const size = Math.ceil(n / parts);
  return Math.min(max, Math.ceil(size / unit) * unit);
}

/** C (+)= op(A)·op(B) through `be`; M, N, K ≥ 1. */
export function gemmBlocked(
  be: GemmBackend,
  transA: boolean, transB: boolean, M: number, N: number, K: number,
  A: Float32Array, ao: number, B: Float32Array, bo: number, C: Float32Array, co: number,
  accumulate: boolean,
): void {
  const NC = blockSize(N, be.nc, be.nr);
  const KC = blockSize(K, be.kc, 1);
  const MC = blockSize(M, be.mc, be.mr);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      // the first slice overwrites C unless accumulating (never 0·C: C may hold NaN)
      const add = accumulate || pc > 0;
      packB(transB, B, bo, N, K, pc, kc, jc, nc, be.bufB(), be.bOffset, be.nr);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packA(transA, A, ao, M, K, ic, mc, pc, kc, be.bufA(), be.aOffset, be.mr);
        be.block(mc, nc, kc, C, co + ic * N + jc, N, add);
      }
    }
  }
}
