/**
 * The engine's two kernel modules (GEMM and convolution), instantiated either on their own
 * memory (one thread) or, importing it, on the shared kernel memory (kernelThreads.ts), which the
 * helper threads instantiate the same builds on.
 */
import * as gemm from "./gemmWasmBinary";
import * as conv from "./convWasmBinary";
import { WasmApi, WasmFlavour, WasmMemory, instantiateWasm } from "./wasmModule";

export type KernelModuleName = "gemm" | "conv";

const BUILDS = {
  gemm: {
    own: { simd: gemm.GEMM_WASM_HEX, relaxed: gemm.GEMM_WASM_RELAXED_HEX },
    shared: { simd: gemm.GEMM_WASM_SHARED_HEX, relaxed: gemm.GEMM_WASM_SHARED_RELAXED_HEX },
  },
  conv: {
    own: { simd: conv.CONV_WASM_HEX, relaxed: conv.CONV_WASM_RELAXED_HEX },
    shared: { simd: conv.CONV_WASM_SHARED_HEX, relaxed: conv.CONV_WASM_SHARED_RELAXED_HEX },
  },
};

/** An instance of a kernel module, the memory it runs on and the build it came from. */
export interface KernelModule {
  exports: Record<string, unknown>;
  memory: WasmMemory;
  flavour: WasmFlavour;
}

/**
 * Instantiates `name` (build `prefer`, or where that cannot run, the plain one) on `shared`,
 * or with a memory of its own when `shared` is null; null without WebAssembly SIMD.
 */
export function instantiateKernelModule(
  name: KernelModuleName,
  prefer: WasmFlavour,
  shared: WasmMemory | null,
  api?: WasmApi,
): KernelModule | null {
  const builds = BUILDS[name];
  const instance = shared
    ? instantiateWasm(builds.shared, prefer, { env: { memory: shared } }, ...(api ? [api] : []))
    : instantiateWasm(builds.own, prefer, {}, ...(api ? [api] : []));
  if (!instance) return null;
  const memory = shared ?? (instance.exports.mem as WasmMemory);
  return { exports: instance.exports, memory, flavour: instance.flavour };
}
