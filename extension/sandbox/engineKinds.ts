/** How the sandbox tells engine objects apart (the engine module the user's code was given). */
import type { Tensor } from "../../engine/tensor";

export interface EngineKinds {
  isTensor(v: unknown): v is Tensor;
  isModule(v: unknown): v is object;
  /** An error the engine threw (RuntimeError, IndexError, ... or a kernel's RangeError). */
  isEngineError(e: unknown): boolean;
}
