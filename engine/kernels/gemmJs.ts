/**
 * The plain-JS GEMM backend (where WebAssembly SIMD is missing): each kc×nc slice of op(B)
 * and mc×kc block of op(A) is packed into micro-panels (gemmPack.ts), and a 4×4
 * register-tiled micro-kernel runs over them. V8 keeps the 16 accumulators and 8 operands in
 * registers (a 4×8 or 8×4 tile runs no faster); sums are formed in double precision and
 * rounded once per kc slice.
 */
import { GemmBackend, forEachBlock } from "./gemmBlocked";
import { packA, packB } from "./gemmPack";

const MR = 4;
const NR = 4;
const MC = 128;
const KC = 256;
const NC = 512;

const packedA = new Float32Array(MC * KC);
const packedB = new Float32Array(KC * NC);

/**
 * One 4×4 tile: C[rows×cols] at c (row stride ldc) = (add ? C : 0) + Σ_p a[p,:]ᵀ b[p,:].
 * `a` and `b` index the tile's micro-panels in the packed buffers.
 */
function tile4x4(
  kc: number, Ap: Float32Array, a: number, Bp: Float32Array, b: number,
  C: Float32Array, c: number, ldc: number, rows: number, cols: number, add: boolean,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0; // prettier-ignore
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0; // prettier-ignore
  for (let p = 0; p < kc; p++, a += 4, b += 4) {
    const a0 = Ap[a], a1 = Ap[a + 1], a2 = Ap[a + 2], a3 = Ap[a + 3]; // prettier-ignore
    const b0 = Bp[b], b1 = Bp[b + 1], b2 = Bp[b + 2], b3 = Bp[b + 3]; // prettier-ignore
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3; // prettier-ignore
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3; // prettier-ignore
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3; // prettier-ignore
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3; // prettier-ignore
  }
  if (rows === 4 && cols === 4) {
    const r1 = c + ldc, r2 = r1 + ldc, r3 = r2 + ldc; // prettier-ignore
    if (add) {
      C[c] += c00; C[c + 1] += c01; C[c + 2] += c02; C[c + 3] += c03; // prettier-ignore
      C[r1] += c10; C[r1 + 1] += c11; C[r1 + 2] += c12; C[r1 + 3] += c13; // prettier-ignore
      C[r2] += c20; C[r2 + 1] += c21; C[r2 + 2] += c22; C[r2 + 3] += c23; // prettier-ignore
      C[r3] += c30; C[r3 + 1] += c31; C[r3 + 2] += c32; C[r3 + 3] += c33; // prettier-ignore
    } else {
      C[c] = c00; C[c + 1] = c01; C[c + 2] = c02; C[c + 3] = c03; // prettier-ignore
      C[r1] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13; // prettier-ignore
      C[r2] = c20; C[r2 + 1] = c21; C[r2 + 2] = c22; C[r2 + 3] = c23; // prettier-ignore
      C[r3] = c30; C[r3 + 1] = c31; C[r3 + 2] = c32; C[r3 + 3] = c33; // prettier-ignore
    }
    return;
  }
  // edge tile: write only the rows×cols that exist
  edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03; // prettier-ignore
  edge[4] = c10; edge[5] = c11; edge[6] = c12; edge[7] = c13; // prettier-ignore
  edge[8] = c20; edge[9] = c21; edge[10] = c22; edge[11] = c23; // prettier-ignore
  edge[12] = c30; edge[13] = c31; edge[14] = c32; edge[15] = c33; // prettier-ignore
  for (let i = 0; i < rows; i++) {
    const row = c + i * ldc;
    for (let j = 0; j < cols; j++) C[row + j] = add ? C[row + j] + edge[i * 4 + j] : edge[i * 4 + j];
  }
}
const edge = new Float64Array(16);

/** C[mc×nc] at cOff (row stride ldc) (+)= the packed block · the packed slice. */
function macroKernel(mc: number, nc: number, kc: number, C: Float32Array, cOff: number, ldc: number, add: boolean): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = Math.min(NR, nc - jr);
    for (let ir = 0; ir < mc; ir += MR) {
      tile4x4(kc, packedA, ir * kc, packedB, jr * kc, C, cOff + ir * ldc + jr, ldc, Math.min(MR, mc - ir), cols, add);
    }
  }
}

const BLOCKING = { mr: MR, nr: NR, mc: MC, kc: KC, nc: NC };

/** The JS backend. */
export const jsBackend: GemmBackend = {
  name: "js",
  run(transA, transB, M, N, K, A, ao, B, bo, C, co, accumulate) {
    forEachBlock(
      M, N, K, BLOCKING, accumulate,
      (jc, nc, pc, kc) => packB(transB, B, bo, N, K, pc, kc, jc, nc, packedB, 0, NR),
      (ic, mc, jc, nc, pc, kc, add) => {
        packA(transA, A, ao, M, K, ic, mc, pc, kc, packedA, 0, MR);
        macroKernel(mc, nc, kc, C, co + ic * N + jc, N, add);
      },
    ); // prettier-ignore
  },
};
