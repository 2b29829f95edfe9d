/**
 * Direct GEMM paths for shapes where packing costs more than it saves: a vector times a
 * matrix (M = 1 or N = 1, e.g. a batch-1 `Linear` and its backward), the outer product
 * (K = 1), and tiny products. Sums are formed in double precision, as in the blocked path.
 */

let acc = new Float64Array(1024);

/**
 * y[j] (+)= Σ_k x[k]·W(k, j) for j < n, k < K, where W(k, j) is W[w + k*n + j] ("kn": the
 * rows of W are k) or W[w + j*K + k] ("nk": the rows are j). Both read W with stride 1.
 */
export function gemv(
  n: number, K: number, x: Float32Array, xo: number, W: Float32Array, w: number, rowsAreK: boolean,
  y: Float32Array, yo: number, add: boolean,
): void {
  if (rowsAreK) {
    // y += x[k]·W[k,:] four rows of W at a time, so acc is loaded and stored once per four
    if (acc.length < n) acc = new Float64Array(n);
    const s = acc;
    s.fill(0, 0, n);
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      const x0 = x[xo + k], x1 = x[xo + k + 1], x2 = x[xo + k + 2], x3 = x[xo + k + 3]; // prettier-ignore
      const r0 = w + k * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n; // prettier-ignore
      for (let j = 0; j < n; j++) s[j] += x0 * W[r0 + j] + x1 * W[r1 + j] + x2 * W[r2 + j] + x3 * W[r3 + j];
    }
    for (; k < K; k++) {
      const xk = x[xo + k];
      const r = w + k * n;
      for (let j = 0; j < n; j++) s[j] += xk * W[r + j];
    }
    if (add) for (let j = 0; j < n; j++) y[yo + j] += s[j];
    else for (let j = 0; j < n; j++) y[yo + j] = s[j];
    return;
  }
  // y[j] = x·W[j,:], four rows of W at a time so each x[k] is loaded once per four
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const r0 = w + j * K, r1 = r0 + K, r2 = r1 + K, r3 = r2 + K; // prettier-ignore
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0; // prettier-ignore
    for (let k = 0; k < K; k++) {
      const xk = x[xo + k];
      s0 += xk * W[r0 + k];
      s1 += xk * W[r1 + k];
      s2 += xk * W[r2 + k];
      s3 += xk * W[r3 + k];
    }
    const o = yo + j;
    if (add) {
      y[o] += s0; y[o + 1] += s1; y[o + 2] += s2; y[o + 3] += s3; // prettier-ignore
    } else {
      y[o] = s0; y[o + 1] = s1; y[o + 2] = s2; y[o + 3] = s3; // prettier-ignore
    }
  }
  for (; j < n; j++) {
    const r = w + j * K;
    let s = 0;
    for (let k = 0; k < K; k++) s += x[xo + k] * W[r + k];
    y[yo + j] = add ? y[yo + j] + s : s;
  }
}

/** C[i,j] (+)= a[i]·b[j]: the K = 1 product (both vectors are contiguous in either layout). */
export function outer(
  M: number, N: number, A: Float32Array, ao: number, B: Float32Array, bo: number,
  C: Float32Array, co: number, add: boolean,
): void {
  for (let i = 0; i < M; i++) {
    const ai = A[ao + i];
    const row = co + i * N;
    if (add) for (let j = 0; j < N; j++) C[row + j] += ai * B[bo + j];
    else for (let j = 0; j < N; j++) C[row + j] = ai * B[bo + j];
  }
}

/** Any layout by strides, one dot product per element: for products of a few hundred MACs. */
export function gemmTiny(
  transA: boolean, transB: boolean, M: number, N: number, K: number,
  A: Float32Array, ao: number, B: Float32Array, bo: number, C: Float32Array, co: number, add: boolean,
): void {
  const aRow = transA ? 1 : K; // step between rows i of op(A)
  const aK = transA ? M : 1; // step along k
  const bK = transB ? 1 : N;
  const bCol = transB ? K : 1;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let a = ao + i * aRow;
      let b = bo + j * bCol;
      for (let k = 0; k < K; k++, a += aK, b += bK) s += A[a] * B[b];
      const c = co + i * N + j;
      C[c] = add ? C[c] + s : s;
    }
  }
}
