/**
 * Convolution as im2col and one GEMM per image and group (engine/kernels/matmul.ts, transposes
 * read in place), the input gradient back through col2im; a transposed convolution is the same
 * pair of kernels swapped (GEMM then col2im forward, im2col then GEMM backward). The path where
 * WebAssembly SIMD is missing, and for what the implicit kernels do not take (convImplicit.ts).
 */
import type { Tensor } from "../tensor";
import { gemm } from "../kernels/matmul";
import { colsSize, col2im, im2col, isIdentityGeometry } from "../kernels/im2col";
import type { ConvAttrs } from "./convPlan";
import type { Plan } from "./convPlan";

/** The column matrix of image n (itself when the geometry makes im2col a copy), at `at` in `buf`. */
function columnsOf(
  src: Float32Array,
  n: number,
  p: Plan,
  buf: Float32Array,
  at = 0,
): [Float32Array, number] {
  const offset = n * p.geom.C * p.imageL;
  if (isIdentityGeometry(p.geom)) return [src, offset];
  im2col(src, offset, p.geom, buf.subarray(at));
  return [buf, at];
}

/** Up to this many floats, a conv keeps its column matrices for the weight gradient. */
const KEEP_COLS_MAX = 1 << 20;

/** Whether forward should keep the column matrices of all images for backward. */
export function keepsColumns(a: ConvAttrs, p: Plan, needWeightGrad: boolean): boolean {
  const size = p.N * colsSize(p.geom);
  return needWeightGrad && !a.transposed && !isIdentityGeometry(p.geom) && size <= KEEP_COLS_MAX;
}

/**
 * conv: out[n, g] = W_g[gridC, K] · cols_g[K, gridL] (grid side = output). With `keep`, the
 * column matrices of all images are returned for backward (im2col is a third of a small
 * conv's time), else one scratch matrix is reused per image.
 */
export function gemmConvForward(
  x: Tensor,
  w: Tensor,
  a: ConvAttrs,
  p: Plan,
  keep: boolean,
): [Float32Array, Float32Array | null] {
  const G = a.groups;
  const out = new Float32Array(p.N * G * p.gridC * p.gridL);
  const size = colsSize(p.geom);
  const buf = new Float32Array(keep ? p.N * size : size);
  for (let n = 0; n < p.N; n++) {
    const [cols, co] = columnsOf(x._values, n, p, buf, keep ? n * size : 0);
    for (let g = 0; g < G; g++) {
      gemm({
        transA: false, transB: false, M: p.gridC, N: p.gridL, K: p.K,
        A: w._values, aOffset: g * p.gridC * p.K,
        B: cols, bOffset: co + g * p.K * p.gridL,
        C: out, cOffset: (n * G + g) * p.gridC * p.gridL,
      }); // prettier-ignore
    }
  }
  return [out, keep ? buf : null];
}

/** transposed conv: cols_g[K, gridL] = W_gᵀ · x[n, g], then col2im onto the output image. */
export function gemmConvTransposeForward(
  x: Tensor,
  w: Tensor,
  a: ConvAttrs,
  p: Plan,
): Float32Array {
  const G = a.groups;
  const out = new Float32Array(p.N * p.geom.C * p.imageL);
  const cols = new Float32Array(colsSize(p.geom));
  for (let n = 0; n < p.N; n++) {
    for (let g = 0; g < G; g++) {
      gemm({
        transA: true, transB: false, M: p.K, N: p.gridL, K: p.gridC,
        A: w._values, aOffset: g * p.gridC * p.K,
        B: x._values, bOffset: (n * G + g) * p.gridC * p.gridL,
        C: cols, cOffset: g * p.K * p.gridL,
      }); // prettier-ignore
    }
    col2im(cols, p.geom, out, n * p.geom.C * p.imageL);
  }
  return out;
}

/**
 * The gradients of a convolution, both kinds at once, into gx and gw (either null when not
 * wanted; gw is added to); per image and group:
 *   conv:        cols = im2col(X),     dW += dOut·colsᵀ,  dX = col2im(Wᵀ·dOut)
 *   transposed:  cols = im2col(dOut),  dX = W·cols,  dW += X·colsᵀ
 */
export function gemmConvBackward(
  x: Tensor,
  w: Tensor,
  gOut: Tensor,
  a: ConvAttrs,
  p: Plan,
  gx: Float32Array | null,
  gw: Float32Array | null,
  kept: Float32Array | null,
): void {
  const G = a.groups;
  // dcols for col2im, or the columns when forward kept none
  const scratch = new Float32Array(gx || !kept ? colsSize(p.geom) : 0);
  const gridBlock = p.gridC * p.gridL;
  for (let n = 0; n < p.N; n++) {
    // the image-side tensor of this item: x for a conv, the output gradient for a transposed conv
    const imageSide = a.transposed ? gOut._values : x._values;
    const gridSide = a.transposed ? x._values : gOut._values;
    const needCols = a.transposed || gw !== null;
    const [cols, co] = kept
      ? [kept, n * colsSize(p.geom)]
      : needCols
        ? columnsOf(imageSide, n, p, scratch)
        : [scratch, 0];
    for (let g = 0; g < G; g++) {
      const gridOffset = (n * G + g) * gridBlock;
      if (gw) {
        // conv: dW_g += dOut_g · cols_gᵀ;  transposed: dW_g += X_g · cols_gᵀ (same shapes)
        gemm({
          transA: false, transB: true, M: p.gridC, N: p.K, K: p.gridL,
          A: gridSide, aOffset: gridOffset, B: cols, bOffset: co + g * p.K * p.gridL,
          C: gw, cOffset: g * p.gridC * p.K, accumulate: true,
        }); // prettier-ignore
      }
      if (gx && a.transposed) {
        // dX_g = W_g[gridC, K] · cols_g[K, gridL]
        gemm({
          transA: false, transB: false, M: p.gridC, N: p.gridL, K: p.K,
          A: w._values, aOffset: g * p.gridC * p.K, B: cols, bOffset: co + g * p.K * p.gridL,
          C: gx, cOffset: gridOffset,
        }); // prettier-ignore
      } else if (gx) {
        // dcols_g = W_gᵀ · dOut_g, gathered back by col2im below
        gemm({
          transA: true, transB: false, M: p.K, N: p.gridL, K: p.gridC,
          A: w._values, aOffset: g * p.gridC * p.K, B: gOut._values, bOffset: gridOffset,
          C: scratch, cOffset: g * p.K * p.gridL,
        }); // prettier-ignore
      }
    }
    if (gx && !a.transposed) col2im(scratch, p.geom, gx, n * p.geom.C * p.imageL);
  }
}
