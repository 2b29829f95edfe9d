/**
 * The WebAssembly SIMD GEMM backend: the 4×8 micro-kernel of wasm/gemm.wat, driven through
 * the usual blocking. JS element loops are slow next to memcpy, so operands only ever reach
 * the module's memory by whole-row copies (`TypedArray.set`): A's rows (or, transposed, its
 * columns) are read in place by the kernel through strides; B's rows (or columns) are turned
 * into 8-column micro-panels inside WebAssembly ($pack8). C blocks are copied in (when adding)
 * and out the same way.
 *
 * Memory (fixed, never grown, so the view stays valid), in floats: A block (mc·kc), B slice
 * (kc·nc), B as stored when transposed (nc·kc), C block (mc·nc). Where WebAssembly or its
 * SIMD is missing, `wasmBackend()` is null and the JS backend runs instead; where relaxed SIMD
 * is there, the micro-kernel's multiply-adds are fused (wasmModule.ts). On the shared kernel
 * memory, a large block's columns are split over the kernel threads (kernelThreads.ts).
 */
import { GemmBackend, forEachBlock } from "./gemmBlocked";
import { JobKind } from "./kernelJobs";
import { instantiateKernelModule } from "./kernelModules";
import { kernelMemory, runJob, slicesFor } from "./kernelThreads";
import type { WasmFlavour, WasmMemory } from "./wasmModule";

const MR = 4;
const NR = 8;
const MC = 128;
const KC = 512;
const NC = 512;
const A_AT = 0;
const B_AT = A_AT + MC * KC;
const BT_AT = B_AT + KC * NC;
const C_AT = BT_AT + NC * KC;
const AT_AT = C_AT + MC * NC;
const FLOATS = AT_AT + KC * MC;
const BLOCKING = { mr: MR, nr: NR, mc: MC, kc: KC, nc: NC };
// gemv's regions: x in A's, W in B's and B-transposed's (adjacent), y in C's
const A_FLOATS = MC * KC;
const W_FLOATS = 2 * KC * NC;
const C_FLOATS = MC * NC;

type PackFn = (src: number, sj: number, sk: number, n: number, kc: number, dst: number) => void;
type VecFn = (n: number, k: number, x: number, w: number, ldw: number, y: number, add: number) => void;

/** `rows` rows of `len` floats from src (row stride ss) to dst (row stride ds). */
function copyRows(src: Float32Array, s: number, ss: number, dst: Float32Array, d: number, ds: number, rows: number, len: number): void {
  if (ss === len && ds === len) {
    dst.set(src.subarray(s, s + rows * len), d); // one block, one memcpy
    return;
  }
  if (len >= 32) {
    // memcpy per row beats an element loop by ~5× once a row is a few cache lines
    for (let r = 0; r < rows; r++, s += ss, d += ds) dst.set(src.subarray(s, s + len), d);
    return;
  }
  for (let r = 0; r < rows; r++, s += ss, d += ds) for (let j = 0; j < len; j++) dst[d + j] = src[s + j];
}

function instantiate(flavour: WasmFlavour, shared: WasmMemory | null): GemmBackend | null {
  const instance = instantiateKernelModule("gemm", flavour, shared);
  if (!instance) return null;
  const { exports, memory } = instance;
  // the GEMM's regions are the memory's first FLOATS, which no growth moves
  const mem = new Float32Array(memory.buffer, 0, FLOATS);
  if (memory.buffer.byteLength < FLOATS * 4) return null;
  const args = new Int32Array(13);
  const pack8 = exports.pack8 as PackFn;
  const pack4 = exports.pack4 as PackFn;
  const pack8rows = exports.pack8rows as (src: number, sk: number, n: number, kc: number, dst: number) => void;
  const dots = exports.dots as VecFn;
  const axpys = exports.axpys as VecFn;
  const outerFn = exports.outer as VecFn;

  /** C[i][j] (+)= a[i]·b[j]; false when C does not fit (rows are padded to a multiple of 4). */
  function outer(M: number, N: number, A: Float32Array, ao: number, B: Float32Array, bo: number, C: Float32Array, co: number, add: boolean): boolean {
    const N4 = Math.ceil(N / 4) * 4;
    if (M * N4 > C_FLOATS || M > A_FLOATS || N4 > W_FLOATS) return false;
    copyRows(A, ao, M, mem, A_AT, M, 1, M);
    copyRows(B, bo, N, mem, B_AT, N, 1, N);
    if (add) copyRows(C, co, N, mem, C_AT, N4, M, N);
    outerFn(M, N4, A_AT * 4, B_AT * 4, C_AT * 4, N4 * 4, add ? 1 : 0);
    copyRows(mem, C_AT, N4, C, co, N, M, N);
    return true;
  }

  /** y[j] (+)= Σ_k x[k]·W(k, j) (see gemmSmall.gemv); false when the operands do not fit. */
  function gemv(n: number, K: number, x: Float32Array, xo: number, W: Float32Array, w: number, rowsAreK: boolean, y: Float32Array, yo: number, add: boolean): boolean {
    if (rowsAreK) {
      // sixteen columns of W's rows at a time, K in chunks that fit; y stays in memory
      const chunk = Math.floor((W_FLOATS - 16) / n);
      if (Math.ceil(n / 16) * 16 > C_FLOATS || K > A_FLOATS || chunk < 1) return false;
      copyRows(x, xo, K, mem, A_AT, K, 1, K);
      if (add) copyRows(y, yo, n, mem, C_AT, n, 1, n);
      for (let k0 = 0; k0 < K; k0 += chunk) {
        const kc = Math.min(chunk, K - k0);
        copyRows(W, w + k0 * n, n, mem, B_AT, n, kc, n);
        axpys(Math.ceil(n / 16) * 16, kc, (A_AT + k0) * 4, B_AT * 4, n * 4, C_AT * 4, add || k0 > 0 ? 1 : 0);
      }
      copyRows(mem, C_AT, n, y, yo, n, 1, n);
      return true;
    }
    // dot products of x with rows of W, both zero-padded to a multiple of 4 long
    const K4 = Math.ceil(K / 4) * 4;
    const rowsPer = Math.floor(W_FLOATS / K4 / 4) * 4;
    if (K4 > A_FLOATS || Math.ceil(n / 4) * 4 > C_FLOATS || rowsPer < 4) return false;
    copyRows(x, xo, K, mem, A_AT, K4, 1, K);
    mem.fill(0, A_AT + K, A_AT + K4);
    for (let j0 = 0; j0 < n; j0 += rowsPer) {
      const nj = Math.min(rowsPer, n - j0);
      copyRows(W, w + j0 * K, K, mem, B_AT, K4, nj, K);
      if (K4 !== K) for (let r = 0, d = B_AT + K; r < nj; r++, d += K4) mem.fill(0, d, d + K4 - K);
      dots(Math.ceil(nj / 4) * 4, K4, A_AT * 4, B_AT * 4, K4 * 4, (C_AT + j0) * 4, 0);
    }
    if (add) for (let j = 0; j < n; j++) y[yo + j] += mem[C_AT + j];
    else copyRows(mem, C_AT, n, y, yo, n, 1, n);
    return true;
  }

  return {
    name: instance.flavour === "relaxed" ? "wasm-fma" : "wasm",
    gemv,
    outer,
    run(transA, transB, M, N, K, A, ao, B, bo, C, co, accumulate) {
      // B's slice reaches memory as rows (or, transposed, columns) and becomes 8-column panels
      const slice = (jc: number, nc: number, pc: number, kc: number) => {
        const panels = Math.ceil(nc / NR) * NR;
        if (transB) {
          copyRows(B, bo + jc * K + pc, K, mem, BT_AT, kc, nc, kc);
          pack8(BT_AT * 4, kc * 4, 4, panels, kc, B_AT * 4);
        } else {
          // dense rows: one memcpy when the slice is whole rows; reads past column nc only
          // pick up leftovers that end up in padded columns of C
          copyRows(B, bo + pc * N + jc, N, mem, BT_AT, nc, kc, nc);
          pack8rows(BT_AT * 4, nc * 4, panels, kc, B_AT * 4);
        }
      };
      const rowBlock = (ic: number, mc: number, jc: number, nc: number, pc: number, kc: number, add: boolean) => {
        // A(i, k) at A_AT + i·ars + k·aks, rows i+4.. aStep further: rows of A as copied, or
        // 4-row panels of its columns
        const mcPad = Math.ceil(mc / MR) * MR;
        let ars: number, aks: number, aStep: number; // prettier-ignore
        if (transA) {
          copyRows(A, ao + pc * M + ic, M, mem, AT_AT, mc, kc, mc);
          pack4(AT_AT * 4, 4, mc * 4, mcPad, kc, A_AT * 4);
          [ars, aks, aStep] = [4, 16, kc * 16];
        } else {
          copyRows(A, ao + ic * K + pc, K, mem, A_AT, kc, mc, kc);
          [ars, aks, aStep] = [kc * 4, 4, kc * 16];
        }
        const ncPad = Math.ceil(nc / NR) * NR;
        const c = co + ic * N + jc;
        if (add) copyRows(C, c, N, mem, C_AT, ncPad, mc, nc);
        // exports.block, over its columns on the kernel threads when it is large
        args.set([mcPad, ncPad, kc, A_AT * 4, ars, aks, aStep, B_AT * 4, 32, kc * 32, C_AT * 4, ncPad * 4, add ? 1 : 0]);
        runJob(JobKind.GemmBlock, args, slicesFor(JobKind.GemmBlock, mcPad * ncPad * kc, ncPad / NR, memory), exports, instance.flavour);
        copyRows(mem, C_AT, ncPad, C, c, N, mc, nc);
      };
      forEachBlock(M, N, K, BLOCKING, accumulate, slice, rowBlock);
    },
  };
}

const backends = new Map<string, GemmBackend | null>();

/**
 * The SIMD backend, or null where the runtime cannot run it: by default with relaxed SIMD's
 * fused multiply-add where the runtime has it ("wasm-fma"), else the 128-bit kernel ("wasm");
 * `"simd"` asks for the latter. It runs on the shared kernel memory where there is one (and
 * then splits large blocks over the kernel threads); `{ shared: false }` asks for a memory of
 * its own, one thread always (tests: the fallback).
 */
export function wasmBackend(flavour: WasmFlavour = "relaxed", opts: { shared?: boolean } = {}): GemmBackend | null {
  const shared = opts.shared === false ? null : (kernelMemory()?.memory ?? null);
  const key = `${flavour} ${shared ? "shared" : "own"}`;
  if (!backends.has(key)) backends.set(key, instantiate(flavour, shared));
  return backends.get(key)!;
}
