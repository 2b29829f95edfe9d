/** What a 2-D pooling kernel is told, whether it runs in JS (pool.ts) or WebAssembly (poolWasm.ts). */
import type { WindowGeometry } from "./im2col";

/** Window sizes and steps of a 2-D pooling over `planes` planes. */
export interface PoolGeometry extends WindowGeometry {
  planes: number;
}

/** How an average counts its window: padding included or not, or a fixed divisor. */
export interface AvgOptions {
  countIncludePad: boolean;
  divisorOverride: number | null;
}
