/**
 * General matrix multiply on row-major Float32Array storage:
 * C[M×N] = op(A) · op(B) (+ C when `accumulate`), op(X) = X or Xᵀ as stored.
 * A is stored [M×K] (or [K×M] when transA); B is stored [K×N] (or [N×K] when transB). The
 * transposed cases are read in place, so backward passes (A·Bᵀ, Aᵀ·B) need no copies.
 *
 * Paths: vector×matrix, outer and tiny products run directly (gemmSmall.ts); everything else
 * is blocked (gemmBlocked.ts) onto the WebAssembly SIMD micro-kernel when the runtime has one
 * (gemmWasm.ts), else onto the plain-JS one (gemmJs.ts). All paths sum in at
 * least float32 precision and propagate NaN as the naive loop does (0·NaN is NaN).
 */
import type { GemmBackend } from "./gemmBlocked";
import { jsBackend } from "./gemmJs";
import { wasmBackend } from "./gemmWasm";
import { gemv, outer, gemmTiny } from "./gemmSmall";

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

/** Below this many multiply-adds, packing costs more than it saves. */
const TINY_MACS = 2048;
/** Below this many multiply-adds, a vector × matrix or an outer product stays in JS. */
const SMALL_GEMV = 2048;

let backend: GemmBackend = wasmBackend() ?? jsBackend;

/** Which micro-kernel the blocked path uses ("js" or "wasm"). */
export function gemmBackendName(): string {
  return backend.name;
}

/** Engine-internal (tests, bench): selects the blocked path's micro-kernel. */
export function _setGemmBackend(be: GemmBackend): GemmBackend {
  const previous = backend;
  backend = be;
  return previous;
}

export function gemm(args: GemmArgs): void {
  const { transA, transB, M, N, K, A, B, C } = args;
  const ao = args.aOffset ?? 0;
  const bo = args.bOffset ?? 0;
  const co = args.cOffset ?? 0;
  const add = args.accumulate === true;
  if (M === 0 || N === 0) return;
  // a short buffer would read as undefined (NaN) or drop writes silently: fail loudly instead
  if (ao + M * K > A.length || bo + K * N > B.length || co + M * N > C.length) {
    throw new RangeError(
      `gemm: buffers too small for ${M}×${K}·${K}×${N} (A ${A.length}@${ao}, B ${B.length}@${bo}, C ${C.length}@${co})`,
    );
  }
  if (K === 0) {
    if (!add) C.fill(0, co, co + M * N);
    return;
  }
  if (M === 1) {
    // C[1×N] = a·op(B): a is contiguous either way
    vectorTimesMatrix(N, K, A, ao, B, bo, !transB, C, co, add);
  } else if (N === 1) {
    // C[M×1] = op(A)·b, seen as bᵀ·op(A)ᵀ
    vectorTimesMatrix(M, K, B, bo, A, ao, transA, C, co, add);
  } else if (K === 1) {
    if (!(M * N >= SMALL_GEMV && backend.outer?.(M, N, A, ao, B, bo, C, co, add))) outer(M, N, A, ao, B, bo, C, co, add);
  } else if (M * N * K <= TINY_MACS) {
    gemmTiny(transA, transB, M, N, K, A, ao, B, bo, C, co, add);
  } else {
    backend.run(transA, transB, M, N, K, A, ao, B, bo, C, co, add);
  }
}

function vectorTimesMatrix(
  n: number, K: number, x: Float32Array, xo: number, W: Float32Array, w: number, rowsAreK: boolean,
  y: Float32Array, yo: number, add: boolean,
): void {
  if (n * K >= SMALL_GEMV && backend.gemv?.(n, K, x, xo, W, w, rowsAreK, y, yo, add)) return;
  gemv(n, K, x, xo, W, w, rowsAreK, y, yo, add);
}
