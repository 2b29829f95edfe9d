/**
 * What the blocked GEMM backends share (BLIS's loops): C is computed in column slabs of nc,
 * K in slices of kc and rows in blocks of mc, so that a kc×nc slice of op(B) stays in cache
 * while mc×kc blocks of op(A) stream past it, and a register-tiled micro-kernel does the
 * multiply-adds. Backends: plain JS (gemmJs.ts) and WebAssembly SIMD (gemmWasm.ts).
 */

/** A blocked GEMM: C[M×N] (+)= op(A)·op(B) with M, N, K ≥ 1 (matmul.ts checks the rest). */
export interface GemmBackend {
  readonly name: string;
  run(
    transA: boolean, transB: boolean, M: number, N: number, K: number,
    A: Float32Array, ao: number, B: Float32Array, bo: number, C: Float32Array, co: number, add: boolean,
  ): void;
}

/** Splits `n` into ceil(n/max) near-equal blocks, each a multiple of `unit` but the last. */
export function blockSize(n: number, max: number, unit: number): number {
  const parts = Math.ceil(n / max);
  const size = Math.ceil(n / parts);
  return Math.min(max, Math.ceil(size / unit) * unit);
}
