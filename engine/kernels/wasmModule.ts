/**
 * Instantiating the engine's hand-written WebAssembly (wasm/*.wat, assembled by
 * scripts/build-wasm.mjs into *WasmBinary.ts as hex). Each module comes in two builds: with
 * relaxed SIMD's fused multiply-add, run where the runtime validates it, and as written
 * (128-bit SIMD only), the fallback. Where WebAssembly or its SIMD is missing there is no
 * instance and the engine's JS loops run instead.
 */

/** The few WebAssembly names used here (the engine's lib has no DOM typings). */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}

/** The WebAssembly memory of an instance, as far as the engine uses it. */
export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

/**
 * Taken when the engine loads: Gradlens's model sandbox removes the WebAssembly global before
 * model code runs (so that code cannot compile bytes of its own), after the engine is loaded.
 */
const wasmAtLoad = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

function bytesOf(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Which build of a module to run: the fused one where it validates, or the plain one. */
export type WasmFlavour = "relaxed" | "simd";

/** An instance's exports and the build it came from. */
export interface WasmInstance {
  exports: Record<string, unknown>;
  flavour: WasmFlavour;
}

/**
 * Instantiates one build of a module (`prefer`), or where that cannot run, the plain build
 * (never the other way round); null without WebAssembly SIMD. `imports`: what the build
 * imports (a shared build's memory), `api`: the WebAssembly to use (tests, kernel threads).
 */
export function instantiateWasm(
  hex: { simd: string; relaxed: string },
  prefer: WasmFlavour = "relaxed",
  imports: object = {},
  api: WasmApi | undefined = wasmAtLoad,
): WasmInstance | null {
  const wasm = api;
  if (!wasm) return null;
  const order: WasmFlavour[] = prefer === "relaxed" ? ["relaxed", "simd"] : ["simd"];
  for (const flavour of order) {
    try {
      const bytes = bytesOf(hex[flavour]);
      if (!wasm.validate(bytes)) continue;
      // synchronous: each module is well under the 4 KB that browsers allow on the main thread
      return { exports: new wasm.Instance(new wasm.Module(bytes), imports).exports, flavour };
    } catch {
      // WebAssembly disabled, or a runtime that validates what it cannot compile: try the next
    }
  }
  return null;
}

/**
 * A shared WebAssembly memory of `initial` pages growing to `maximum` (what the kernel threads
 * run on), or null where the runtime has no SharedArrayBuffer, Atomics or shared memories.
 */
export function sharedWasmMemory(
  initial: number,
  maximum: number,
  api: WasmApi | undefined = wasmAtLoad,
): WasmMemory | null {
  const g = globalThis as { SharedArrayBuffer?: unknown; Atomics?: unknown };
  if (!api || typeof g.SharedArrayBuffer !== "function" || typeof g.Atomics !== "object") return null;
  try {
    const memory = new api.Memory({ initial, maximum, shared: true });
    return memory.buffer instanceof (g.SharedArrayBuffer as typeof SharedArrayBuffer) ? memory : null;
  } catch {
    return null; // shared memories disabled (a browser page without cross-origin isolation)
  }
}
