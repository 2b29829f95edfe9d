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
  /**
   * Optional vector × matrix (see gemmSmall.gemv for the arguments); returns false when it
   * cannot take these sizes, and gemmSmall's runs instead.
   */
  gemv?(
    n: number, K: number, x: Float32Array, xo: number, W: Float32Array, w: number, rowsAreK: boolean,
    y: Float32Array, yo: number, add: boolean,
  ): boolean;
  /** Optional K = 1 product (see gemmSmall.outer); false when it cannot take these sizes. */
  outer?(
    M: number, N: number, A: Float32Array, ao: number, B: Float32Array, bo: number,
    C: Float32Array, co: number, add: boolean,
  ): boolean;
}

/** Splits `n` into ceil(n/max) near-equal blocks, each a multiple of `unit` but the last. */
export function blockSize(n: number, max: number, unit: number): number {
  const parts = Math.ceil(n / max);
  const size = Math.ceil(n / parts);
  return Math.min(max, Math.ceil(size / unit) * unit);
}

/** Register-tile and cache-block sizes of a backend. */
export interface Blocking {
  mr: number;
  nr: number;
  mc: number;
  kc: number;
  nc: number;
}

/**
 * BLIS's loops over C[M×N] (+)= op(A)·op(B): for each column slab (jc, nc) and K slice
 * (pc, kc), `slice` once (to bring in that slice of op(B)), then `block` for each row block
 * (ic, mc). `add` tells a block to add into C: when accumulating, and for every K slice after
 * the first (the first overwrites, never 0·C: C may hold NaN).
 */
export function forEachBlock(
  M: number, N: number, K: number, b: Blocking, accumulate: boolean,
  slice: (jc: number, nc: number, pc: number, kc: number) => void,
  block: (ic: number, mc: number, jc: number, nc: number, pc: number, kc: number, add: boolean) => void,
): void {
  const NCb = blockSize(N, b.nc, b.nr);
  const KCb = blockSize(K, b.kc, 1);
  const MCb = blockSize(M, b.mc, b.mr);
  for (let jc = 0; jc < N; jc += NCb) {
    const nc = Math.min(NCb, N - jc);
    for (let pc = 0; pc < K; pc += KCb) {
      const kc = Math.min(KCb, K - pc);
      slice(jc, nc, pc, kc);
      for (let ic = 0; ic < M; ic += MCb) block(ic, Math.min(MCb, M - ic), jc, nc, pc, kc, accumulate || pc > 0);
    }
  }
}
