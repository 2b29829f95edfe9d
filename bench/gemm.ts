/** The GEMM alone: GFLOP/s of each backend in each transpose case, on a few shapes. */
import { gemm, gemmBackendName, _setGemmBackend } from "../engine/kernels/matmul";
import type { GemmBackend } from "../engine/kernels/gemmBlocked";
import { jsBackend } from "../engine/kernels/gemmJs";
import { wasmBackend } from "../engine/kernels/gemmWasm";
import { measure } from "./measure";

/** [M, N, K, what it stands for, also time the (slow) JS fallback] */
const SHAPES: [number, number, number, string, boolean][] = [
  [512, 512, 512, "matmul 512", true],
  [64, 12544, 147, "conv 224 forward (W·cols)", false],
  [16, 7688, 300, "conv [1,20,64,128] forward", true],
  [1, 60, 600, "Linear(600, 60), batch 1", true],
];

const CASES: [boolean, boolean, string][] = [
  [false, false, "A·B"],
  [false, true, "A·Bᵀ"],
  [true, false, "Aᵀ·B"],
  [true, true, "Aᵀ·Bᵀ"],
];

/** Prints one line per backend and shape: GFLOP/s (median) for A·B, A·Bᵀ, Aᵀ·B, Aᵀ·Bᵀ. */
export function benchGemm(budgetMs: number): void {
  const backends: GemmBackend[] = [...(wasmBackend() ? [wasmBackend()!] : []), jsBackend];
  console.log(`\n■ GEMM alone, GFLOP/s (median) for ${CASES.map((c) => c[2]).join(" | ")}`);
  const previous = _setGemmBackend(backends[0]);
  try {
    for (const be of backends) {
      _setGemmBackend(be);
      for (const [M, N, K, label, jsToo] of SHAPES) {
        if (be === jsBackend && !jsToo) continue;
        const A = new Float32Array(M * K).map(() => Math.random() - 0.5);
        const B = new Float32Array(K * N).map(() => Math.random() - 0.5);
        const C = new Float32Array(M * N);
        const rates = CASES.map(([transA, transB]) => {
          const run = () => gemm({ transA, transB, M, N, K, A, B, C });
          const t0 = performance.now();
          run();
          const ms = measure(run, budgetMs / 8, performance.now() - t0).median;
          return ((2 * M * N * K) / (ms * 1e6)).toFixed(1).padStart(5);
        });
        console.log(`  ${gemmBackendName().padEnd(5)} ${`${M}×${N}×${K}`.padEnd(14)} ${rates.join(" | ")}   ${label}`);
      }
    }
  } finally {
    _setGemmBackend(previous);
  }
}
