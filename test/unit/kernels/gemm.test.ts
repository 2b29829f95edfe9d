/**
 * The GEMM against a naive float64 triple loop: every path (vector×matrix, outer, tiny,
 * blocked with each micro-kernel), all four transpose cases, offsets, accumulate, edge
 * tiles, shapes past the block sizes, and NaN/Inf propagation (0·NaN is NaN).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { gemm, gemmBackendName, _setGemmBackend } from "../../../engine/kernels/matmul";
import { jsBackend } from "../../../engine/kernels/gemmJs";
import { wasmBackend } from "../../../engine/kernels/gemmWasm";
import type { GemmBackend } from "../../../engine/kernels/gemmBlocked";
import { manualSeed, uniform24 } from "../../../engine/random";
import { GEMM_WAT_SHA256 } from "../../../engine/kernels/gemmWasmBinary";
import { CONV_WAT_SHA256 } from "../../../engine/kernels/convWasmBinary";
import { ELEMENTWISE_WAT_SHA256 } from "../../../engine/kernels/elementwiseWasmBinary";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A seeded generator, so a failure repeats. */
function rng(seed: number): () => number {
  manualSeed(seed);
  return uniform24;
}

interface Case {
  M: number;
  N: number;
  K: number;
  transA: boolean;
  transB: boolean;
  ao: number;
  bo: number;
  co: number;
  accumulate: boolean;
}

const SENTINEL = 12345.5;

/** Runs one case through `gemm` and checks every C element and the untouched surroundings. */
function check(c: Case, rand: () => number, fill?: (A: Float32Array, B: Float32Array) => void): void {
  const { M, N, K, transA, transB, ao, bo, co, accumulate } = c;
  const A = new Float32Array(ao + M * K + 3).map(() => rand() * 2 - 1);
  const B = new Float32Array(bo + K * N + 3).map(() => rand() * 2 - 1);
  fill?.(A, B);
  const C = new Float32Array(co + M * N + 3).fill(SENTINEL);
  for (let i = 0; i < M * N; i++) C[co + i] = accumulate ? rand() * 2 - 1 : NaN; // NaN must be overwritten
  const C0 = C.slice();
  gemm({ transA, transB, M, N, K, A, aOffset: ao, B, bOffset: bo, C, cOffset: co, accumulate });
  // op(A) as rows and op(B) as columns, in float64, so each reference is one dot product
  const opA = new Float64Array(M * K);
  const opBt = new Float64Array(N * K);
  for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) opA[i * K + k] = transA ? A[ao + k * M + i] : A[ao + i * K + k];
  for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) opBt[j * K + k] = transB ? B[bo + j * K + k] : B[bo + k * N + j];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let ref = accumulate ? C0[co + i * N + j] : 0;
      let mag = Math.abs(ref);
      for (let k = 0; k < K; k++) {
        const p = opA[i * K + k] * opBt[j * K + k];
        ref += p;
        mag += Math.abs(p);
      }
      const got = C[co + i * N + j];
      if (got === ref || Math.abs(got - ref) <= (K + 2) * 6e-8 * mag) continue;
      const where = `${JSON.stringify(c)} at [${i},${j}] (backend ${gemmBackendName()})`;
      if (Number.isNaN(ref)) assert.ok(Number.isNaN(got), `expected NaN, got ${got}: ${where}`);
      else if (!Number.isFinite(ref)) assert.equal(got, ref, where);
      // the error bound of a float32 sum of K products (the naive float32 loop's): (K+2)·u·Σ|ab|
      else assert.fail(`got ${got}, want ${ref}: ${where}`);
    }
  }
  for (let i = 0; i < co; i++) assert.equal(C[i], SENTINEL, "wrote before cOffset");
  for (let i = co + M * N; i < C.length; i++) assert.equal(C[i], SENTINEL, "wrote past C");
}

const TRANSPOSES: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

/** Shapes that reach every path: vectors, outer, tiny, primes, edges, past mc/kc/nc. */
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 600, 60], [1, 60, 600], [600, 1, 60], [60, 1, 600], [1, 7, 1], [5, 9, 1],
  [2, 3, 4], [7, 5, 3], [4, 4, 4], [8, 8, 8], [13, 17, 19], [5, 64, 33], [64, 5, 33], [2, 300, 9],
  [16, 300, 31], [6, 576, 25], [25, 576, 6], [31, 37, 41], [97, 101, 103], [131, 67, 259],
  [130, 530, 37], [9, 1030, 3], [3, 13, 517],
  [60, 600, 1], [37, 301, 1], [300, 300, 1], // outer products, the last past the WebAssembly buffers
  [1, 1030, 520], [1030, 1, 520], [1, 3, 66000], // vector × matrix past the WebAssembly buffers
]; // prettier-ignore

// the JS kernel, the 128-bit SIMD one and, where the runtime has relaxed SIMD, the fused one
const backends: GemmBackend[] = [jsBackend, wasmBackend("simd"), wasmBackend("relaxed")].filter(
  (be, i, all): be is GemmBackend => be !== null && all.findIndex((b) => b?.name === be.name) === i,
);

for (const be of backends) {
  test(`gemm (${be.name}): all shapes × all transposes match a float64 loop`, () => {
    const previous = _setGemmBackend(be);
    try {
      const rand = rng(7);
      for (const [M, N, K] of SHAPES) {
        for (const [transA, transB] of TRANSPOSES) {
          check({ M, N, K, transA, transB, ao: 0, bo: 0, co: 0, accumulate: false }, rand);
        }
      }
    } finally {
      _setGemmBackend(previous);
    }
  });

  test(`gemm (${be.name}): offsets and accumulate`, () => {
    const previous = _setGemmBackend(be);
    try {
      const rand = rng(11);
      for (const [M, N, K] of SHAPES) {
        for (const [transA, transB] of TRANSPOSES) {
          const ao = 1 + Math.floor(rand() * 9);
          const bo = 1 + Math.floor(rand() * 9);
          const co = 1 + Math.floor(rand() * 9);
          check({ M, N, K, transA, transB, ao, bo, co, accumulate: true }, rand);
          check({ M, N, K, transA, transB, ao, bo, co, accumulate: false }, rand);
        }
      }
    } finally {
      _setGemmBackend(previous);
    }
  });

  test(`gemm (${be.name}): random shapes`, () => {
    const previous = _setGemmBackend(be);
    try {
      const rand = rng(3);
      for (let n = 0; n < 60; n++) {
        const dim = () => 1 + Math.floor(rand() ** 2 * 90);
        const [transA, transB] = TRANSPOSES[n % 4];
        const c = { M: dim(), N: dim(), K: dim(), transA, transB, ao: n % 3, bo: n % 5, co: n % 2, accumulate: n % 3 === 0 };
        check(c, rand);
      }
    } finally {
      _setGemmBackend(previous);
    }
  });

  test(`gemm (${be.name}): NaN and Inf propagate, 0·NaN is NaN`, () => {
    const previous = _setGemmBackend(be);
    try {
      const rand = rng(5);
      for (const [M, N, K] of [[1, 9, 5], [9, 1, 5], [6, 7, 1], [3, 4, 5], [37, 41, 43], [1, 67, 63], [67, 1, 63], [63, 67, 1]] as const) {
        for (const [transA, transB] of TRANSPOSES) {
          const c = { M, N, K, transA, transB, ao: 0, bo: 0, co: 0, accumulate: false };
          // zeros in A against a NaN and an Inf in B: whole columns of C become NaN
          check(c, rand, (A, B) => {
            A.fill(0);
            B[Math.floor(rand() * K * N)] = NaN;
            B[Math.floor(rand() * K * N)] = Infinity;
          });
          check(c, rand, (A) => {
            A[Math.floor(rand() * M * K)] = NaN;
          });
        }
      }
    } finally {
      _setGemmBackend(previous);
    }
  });
}

test("gemm: empty products", () => {
  const C = Float32Array.of(5, 5, 5, 5);
  gemm({ transA: false, transB: false, M: 2, N: 2, K: 0, A: new Float32Array(0), B: new Float32Array(0), C });
  assert.deepEqual([...C], [0, 0, 0, 0]);
  C.fill(5);
  gemm({ transA: true, transB: true, M: 2, N: 2, K: 0, A: new Float32Array(0), B: new Float32Array(0), C, accumulate: true });
  assert.deepEqual([...C], [5, 5, 5, 5]);
  gemm({ transA: false, transB: false, M: 0, N: 2, K: 3, A: new Float32Array(0), B: new Float32Array(6), C });
  assert.deepEqual([...C], [5, 5, 5, 5]);
});

test("gemm: a buffer too small for the shape is an error, not NaN", () => {
  const A = new Float32Array(6);
  const B = new Float32Array(12);
  assert.throws(() => gemm({ transA: false, transB: true, M: 2, N: 4, K: 3, A, B, C: new Float32Array(0), accumulate: true }), RangeError);
  assert.throws(() => gemm({ transA: false, transB: false, M: 2, N: 4, K: 3, A, aOffset: 1, B, C: new Float32Array(8) }), RangeError);
});

for (const [name, sha] of [
  ["gemm", GEMM_WAT_SHA256],
  ["conv", CONV_WAT_SHA256],
  ["elementwise", ELEMENTWISE_WAT_SHA256],
]) {
  test(`the WebAssembly binaries were built from the current ${name}.wat`, () => {
    // scripts/build-wasm.mjs records the source's hash next to the binaries it assembled
    const wat = readFileSync(join(__dirname, `../../../../engine/kernels/wasm/${name}.wat`));
    assert.equal(createHash("sha256").update(wat).digest("hex"), sha, "run node scripts/build-wasm.mjs");
  });
}
