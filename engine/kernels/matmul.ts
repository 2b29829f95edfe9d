/**
 * General matrix multiply on row-major Float32Array storage:
 * C[M×N] = op(A) · op(B) (+ C when `accumulate`), op(X) = X or Xᵀ as stored.
 * A is stored [M×K] (or [K×M] when transA); B is stored [K×N] (or [N×K] when transB). The
 * transposed cases are read in place, so backward passes (A·Bᵀ, Aᵀ·B) need no copies.
 */
export interface GemmArgs {
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
  A: Float32Array;
  aOffset?: number;
  B: Float32Array;
  bOffset?: number;
  C: Float32Array;
  cOffset?: number;
  /** Add into C instead of overwriting it. */
  accumulate?: boolean;
}

export function gemm(args: GemmArgs): void {
  const { transA, transB, M, N, K, A, B, C } = args;
  const ao = args.aOffset ?? 0;
  const bo = args.bOffset ?? 0;
  const co = args.cOffset ?? 0;
  if (!args.accumulate) C.fill(0, co, co + M * N);
  for (let i = 0; i < M; i++) {
    const crow = co + i * N;
    for (let k = 0; k < K; k++) {
      const a = transA ? A[ao + k * M + i] : A[ao + i * K + k];
      if (transB) {
        for (let j = 0; j < N; j++) C[crow + j] += a * B[bo + j * K + k];
      } else {
        const brow = bo + k * N;
        for (let j = 0; j < N; j++) C[crow + j] += a * B[brow + j];
      }
    }
  }
}
