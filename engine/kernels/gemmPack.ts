/**
 * Packing for the blocked GEMM (after BLIS/GotoBLAS): a block of op(A) is copied into
 * micro-panels of `mr` rows stored k-major (panel[p*mr + i]), a block of op(B) into
 * micro-panels of `nr` columns (panel[p*nr + j]), so the micro-kernel streams both with
 * stride 1 whatever the stored layout. Transposed operands are read in place from their
 * stored layout here; no whole-matrix transpose is ever made. Rows/columns past the edge
 * are padded with zeros (their results are computed but never written back).
 */

/**
 * One micro-panel from storage where the panel's `w` lanes are adjacent for each k:
 * dst[d + p*w + i] = X[src + p*ld + i] for i < n, 0 for n ≤ i < w.
 */
function panelFromRowsOfK(
  X: Float32Array, src: number, ld: number, n: number, w: number, kc: number, dst: Float32Array, d: number,
): void {
  if (n === w) {
    for (let p = 0; p < kc; p++, src += ld, d += w) for (let i = 0; i < w; i++) dst[d + i] = X[src + i];
    return;
  }
  for (let p = 0; p < kc; p++, src += ld, d += w) {
    let i = 0;
    for (; i < n; i++) dst[d + i] = X[src + i];
    for (; i < w; i++) dst[d + i] = 0;
  }
}

/**
 * One micro-panel from storage where each lane is a row running along k:
 * dst[d + p*w + i] = X[src + i*ld + p] for i < n, 0 for n ≤ i < w.
 */
function panelFromRowsOfLanes(
  X: Float32Array, src: number, ld: number, n: number, w: number, kc: number, dst: Float32Array, d: number,
): void {
  for (let i = 0; i < w; i++) {
    let o = d + i;
    if (i < n) {
      let s = src + i * ld;
      for (let p = 0; p < kc; p++, o += w) dst[o] = X[s++];
    } else {
      for (let p = 0; p < kc; p++, o += w) dst[o] = 0;
    }
  }
}

/**
 * Packs rows i0..i0+mc and columns p0..p0+kc of op(A) (op(A) is M×K) into `dst` at `d`:
 * ceil(mc/mr) panels of kc*mr values.
 */
export function packA(
  transA: boolean, A: Float32Array, ao: number, M: number, K: number,
  i0: number, mc: number, p0: number, kc: number, dst: Float32Array, d: number, mr: number,
): void {
  for (let ir = 0; ir < mc; ir += mr, d += kc * mr) {
    const rows = Math.min(mr, mc - ir);
    // stored [K×M] when transposed: the rows of one k are adjacent
    if (transA) panelFromRowsOfK(A, ao + p0 * M + i0 + ir, M, rows, mr, kc, dst, d);
    else panelFromRowsOfLanes(A, ao + (i0 + ir) * K + p0, K, rows, mr, kc, dst, d);
  }
}

/**
 * Packs rows p0..p0+kc and columns j0..j0+nc of op(B) (op(B) is K×N) into `dst` at `d`:
 * ceil(nc/nr) panels of kc*nr values. These are the rows of op(B)ᵀ, which is B's storage
 * read with the opposite transpose flag.
 */
export function packB(
  transB: boolean, B: Float32Array, bo: number, N: number, K: number,
  p0: number, kc: number, j0: number, nc: number, dst: Float32Array, d: number, nr: number,
): void {
  packA(!transB, B, bo, N, K, j0, nc, p0, kc, dst, d, nr);
}
