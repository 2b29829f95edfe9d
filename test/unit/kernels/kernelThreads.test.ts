/**
 * Kernel threads (engine/kernels/kernelThreads.ts) with one real helper thread: GEMMs, convs
 * (forward and backward, every geometry the kernels take) and batched matmuls give the same
 * bits on one and on two threads, and the helper really took slices; kernels without the
 * shared memory stay on one thread; below the threshold nothing is split.
 */
import { test, before, after } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import type { Tensor } from "../../../engine";
import { gemm, _setGemmBackend } from "../../../engine/kernels/matmul";
import { wasmBackend } from "../../../engine/kernels/gemmWasm";
import {
  CONTROL,
  _setHelpersFirst,
  _setSplitThreshold,
  helperSlices,
  installKernelThreads,
  kernelMemory,
  setNumThreads,
} from "../../../engine/kernels/kernelThreads";
import { sharedWasmMemory } from "../../../engine/kernels/wasmModule";
import { KernelHelperPool } from "../../../extension/kernelThreads/helperPool";

const pool = new KernelHelperPool(1);
let threshold = 0;

before(() => {
  assert.equal(installKernelThreads(pool), 1);
  // wait (≤ 10 s) until the helper serves the memory, so that it can take slices
  const c = new Int32Array(kernelMemory()!.control);
  for (let i = 0; i < 1000 && Atomics.load(c, CONTROL.HELPERS) === 0; i++)
    Atomics.wait(c, CONTROL.WORDS - 1, 0, 10);
  assert.equal(Atomics.load(c, CONTROL.HELPERS), 1, "the helper thread did not start");
  threshold = _setSplitThreshold(0); // every split, down to the smallest shapes below
  _setHelpersFirst(true); // and the helper computes some slices of each, however small
});

after(() => {
  _setHelpersFirst(false);
  _setSplitThreshold(threshold);
  setNumThreads(1);
  pool.stop();
});

/** The bits of `f()`'s results on `threads` threads. */
function on(threads: number, f: () => Float32Array[]): Uint8Array[] {
  setNumThreads(threads);
  return f().map((v) => new Uint8Array(v.slice().buffer));
}

/** `f` gives the same bits on 1 and 2 threads, and the helper took some of the 2-thread slices. */
function sameBits(what: string, f: () => Float32Array[]): void {
  const one = on(1, f);
  const taken = helperSlices();
  const two = on(2, f);
  assert.ok(helperSlices() > taken, `${what}: the helper took no slice`);
  assert.equal(two.length, one.length);
  two.forEach((bits, i) =>
    assert.ok(Buffer.from(bits).equals(Buffer.from(one[i])), `${what}: result ${i} differs`),
  );
}

const values = (n: number, seed: number) => {
  torch.manualSeed(seed);
  return torch.randn(n)._values;
};

test("kernel threads: GEMM results are bit-identical on 1 and 2 threads (odd sizes, transposes, accumulate)", () => {
  const shapes: [number, number, number][] = [
    [37, 45, 29],
    [128, 520, 300],
    [5, 1000, 7],
    [257, 129, 513],
    [64, 24, 64],
  ];
  for (const [M, N, K] of shapes)
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ])
      for (const accumulate of [false, true]) {
        const A = values(M * K, 1);
        const B = values(K * N, 2);
        const C0 = values(M * N, 3);
        sameBits(
          `${M}×${N}×${K} ${transA ? "Aᵀ" : "A"}·${transB ? "Bᵀ" : "B"}${accumulate ? " +C" : ""}`,
          () => {
            const C = C0.slice();
            gemm({ transA, transB, M, N, K, A, B, C, accumulate });
            return [C];
          },
        );
      }
});

/** Output and the gradients of input, weight and bias of F.conv2d with `opts`. */
function convPass(x: Tensor, w: Tensor, b: Tensor, opts: object): Float32Array[] {
  for (const t of [x, w, b]) t.grad = null;
  const y = torch.nn.functional.conv2d(x, w, b, opts);
  y.mul(y).sum().backward();
  return [y._values, x.grad!._values, w.grad!._values, b.grad!._values];
}

test("kernel threads: conv forward and backward are bit-identical on 1 and 2 threads (stride, padding, dilation, groups)", () => {
  const cases: [string, number[], number[], object][] = [
    ["3×5 valid", [1, 20, 16, 40], [16, 20, 3, 5], {}],
    ["7×7 stride 2 padding 3", [2, 3, 30, 34], [12, 3, 7, 7], { stride: 2, padding: 3 }],
    ["3×3 dilation 2 padding 2", [1, 6, 19, 23], [10, 6, 3, 3], { padding: 2, dilation: 2 }],
    [
      "groups 2, stride [1, 2]",
      [1, 8, 17, 25],
      [6, 4, 3, 3],
      { groups: 2, stride: [1, 2], padding: 1 },
    ],
  ];
  for (const [name, xs, ws, opts] of cases) {
    torch.manualSeed(7);
    const x = torch.randn(xs, { requiresGrad: true });
    const w = torch.randn(ws, { requiresGrad: true });
    const b = torch.randn([ws[0]], { requiresGrad: true });
    sameBits(name, () => convPass(x, w, b, opts));
  }
});

test("kernel threads: batched matmul forward and backward are bit-identical on 1 and 2 threads", () => {
  torch.manualSeed(3);
  const a = torch.randn([3, 37, 45], { requiresGrad: true });
  const b = torch.randn([45, 29], { requiresGrad: true });
  const c = torch.randn([2, 1, 29, 70], { requiresGrad: true });
  sameBits("[3,37,45] @ [45,29] @ [2,1,29,70]", () => {
    for (const t of [a, b, c]) t.grad = null;
    const y = torch.matmul(torch.matmul(a, b), c);
    y.sum().backward();
    return [y._values, a.grad!._values, b.grad!._values, c.grad!._values];
  });
});

test("kernel threads: kernels on a memory of their own (no shared memory) stay on one thread, same results", () => {
  const own = wasmBackend("relaxed", { shared: false })!;
  const shared = wasmBackend("relaxed")!;
  const [M, N, K] = [96, 200, 150];
  const [A, B] = [values(M * K, 4), values(K * N, 5)];
  const run = () => {
    const C = new Float32Array(M * N);
    gemm({ transA: false, transB: true, M, N, K, A, B, C });
    return C;
  };
  setNumThreads(2);
  const previous = _setGemmBackend(own);
  try {
    const taken = helperSlices();
    const mine = run();
    assert.equal(helperSlices(), taken, "a kernel off the shared memory was split");
    _setGemmBackend(shared);
    setNumThreads(1);
    assert.ok(Buffer.from(mine.buffer).equals(Buffer.from(run().buffer)));
  } finally {
    _setGemmBackend(previous);
  }
});

test("kernel threads: without SharedArrayBuffer there is no shared memory (the kernels keep their own)", () => {
  const g = globalThis as { SharedArrayBuffer?: unknown };
  const sab = g.SharedArrayBuffer;
  assert.ok(sharedWasmMemory(1, 2), "this Node has shared memories");
  delete g.SharedArrayBuffer;
  try {
    assert.equal(sharedWasmMemory(1, 2), null);
  } finally {
    g.SharedArrayBuffer = sab;
  }
});

test("kernel threads: below the threshold nothing is split, above it the helper takes part", () => {
  _setSplitThreshold(threshold);
  _setHelpersFirst(false);
  try {
    setNumThreads(2);
    const small = () => torch.mm(torch.randn(64, 64), torch.randn(64, 64));
    const taken = helperSlices();
    for (let i = 0; i < 20; i++) small();
    assert.equal(helperSlices(), taken, "a 64×64×64 product was split");
    const [a, b] = [torch.randn(512, 512), torch.randn(512, 512)];
    for (let i = 0; i < 50 && helperSlices() === taken; i++) torch.mm(a, b);
    assert.ok(helperSlices() > taken, "a 512×512×512 product was not split");
  } finally {
    _setSplitThreshold(0);
    _setHelpersFirst(true);
  }
});

test("kernel threads: setNumThreads/getNumThreads as torch.set_num_threads/get_num_threads", () => {
  setNumThreads(1);
  assert.equal(torch.getNumThreads(), 1);
  torch.setNumThreads(8);
  assert.equal(torch.getNumThreads(), 2, "more than there are means every thread");
  assert.throws(() => torch.setNumThreads(0), /set_num_threads expects a positive integer/);
  // PyTorch 1.13's texts: a float is refused as a type first
  assert.throws(() => torch.setNumThreads(-1), /set_num_threads expects a positive integer/);
  assert.throws(() => torch.setNumThreads(1.5), /set_num_threads expects an int, but got float/);
});
