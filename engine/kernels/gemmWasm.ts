/**
 * The WebAssembly SIMD GEMM backend: the 4×8 micro-kernel of wasm/gemm.wat, driven through
 * the usual blocking. JS element loops are slow next to memcpy, so operands only ever reach
 * the module's memory by whole-row copies (`TypedArray.set`): A's rows (or, transposed, its
 * columns) are read in place by the kernel through strides; B's rows are used as they are, and
 * a transposed B is turned into 8-column micro-panels inside WebAssembly ($pack8). C blocks
 * are copied in (when adding) and out the same way.
 *
 * Memory (fixed, never grown, so the view stays valid), in floats: A block (mc·kc), B slice
 * (kc·nc), B as stored when transposed (nc·kc), C block (mc·nc). Where WebAssembly or its
 * SIMD is missing, `wasmBackend()` is null and the JS backend runs instead.
 */
import { GemmBackend, blockSize } from "./gemmBlocked";
import { GEMM_WASM_HEX } from "./gemmWasmBinary";

const MR = 4;
const NR = 8;
const MC = 128;
const KC = 512;
const NC = 512;
const A_AT = 0;
const B_AT = A_AT + MC * KC;
const BT_AT = B_AT + KC * NC;
const C_AT = BT_AT + NC * KC;
const FLOATS = C_AT + MC * NC;

/** The few WebAssembly names used here (the engine's lib has no DOM typings). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
type BlockFn = (
  mc: number, nc: number, kc: number, a: number, ars: number, aks: number,
  b: number, bks: number, bStep: number, c: number, ldc: number, add: number,
) => void; // prettier-ignore
type Pack8Fn = (src: number, ld: number, n: number, kc: number, dst: number) => void;

function bytesOf(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}

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

function instantiate(): GemmBackend | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return null;
  let exports: Record<string, unknown>;
  try {
    // synchronous: the module is well under the 4 KB that browsers allow on the main thread
    exports = new wasm.Instance(new wasm.Module(bytesOf(GEMM_WASM_HEX)), {}).exports;
  } catch {
    return null; // no SIMD (an old runtime) or WebAssembly disabled
  }
  const mem = new Float32Array((exports.mem as { buffer: ArrayBuffer }).buffer);
  if (mem.length < FLOATS) return null;
  const block = exports.block as BlockFn;
  const pack8 = exports.pack8 as Pack8Fn;

  return {
    name: "wasm",
    run(transA, transB, M, N, K, A, ao, B, bo, C, co, accumulate) {
      const NCb = blockSize(N, NC, NR);
      const KCb = blockSize(K, KC, 1);
      const MCb = blockSize(M, MC, MR);
      for (let jc = 0; jc < N; jc += NCb) {
        const nc = Math.min(NCb, N - jc);
        const ncPad = Math.ceil(nc / NR) * NR;
        for (let pc = 0; pc < K; pc += KCb) {
          const kc = Math.min(KCb, K - pc);
          const add = accumulate || pc > 0;
          // B(k, j..j+7) must be 8 adjacent floats: a row block as stored, or packed panels
          let bks: number;
          let bStep: number;
          if (transB) {
            copyRows(B, bo + jc * K + pc, K, mem, BT_AT, kc, nc, kc);
            pack8(BT_AT * 4, kc * 4, ncPad, kc, B_AT * 4);
            [bks, bStep] = [32, kc * 32];
          } else {
            // dense rows (one memcpy when the slice is whole rows); the kernel's reads past
            // column nc only touch leftovers that end up in padded columns of C
            copyRows(B, bo + pc * N + jc, N, mem, B_AT, nc, kc, nc);
            [bks, bStep] = [nc * 4, 32];
          }
          for (let ic = 0; ic < M; ic += MCb) {
            const mc = Math.min(MCb, M - ic);
            const mcPad = Math.ceil(mc / MR) * MR;
            // A(i, k) at A_AT + i·ars + k·aks: rows of A as stored, or its columns when transposed
            let ars: number;
            let aks: number;
            if (transA) {
              copyRows(A, ao + pc * M + ic, M, mem, A_AT, mc, kc, mc);
              [ars, aks] = [4, mc * 4];
            } else {
              copyRows(A, ao + ic * K + pc, K, mem, A_AT, kc, mc, kc);
              [ars, aks] = [kc * 4, 4];
            }
            const c = co + ic * N + jc;
            if (add) copyRows(C, c, N, mem, C_AT, ncPad, mc, nc);
            block(mcPad, ncPad, kc, A_AT * 4, ars, aks, B_AT * 4, bks, bStep, C_AT * 4, ncPad * 4, add ? 1 : 0);
            copyRows(mem, C_AT, ncPad, C, c, N, mc, nc);
          }
        }
      }
    },
  };
}

let backend: GemmBackend | null | undefined;

/** The SIMD backend, or null where the runtime cannot run it. */
export function wasmBackend(): GemmBackend | null {
  if (backend === undefined) backend = instantiate();
  return backend;
}
