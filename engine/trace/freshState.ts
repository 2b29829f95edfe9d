import { resetGenerator } from "../random";
import { setGradEnabled } from "../autograd/gradMode";
import { resetNumThreads } from "../kernels/kernelThreads";

/**
 * Puts the engine's process-wide state back as it is at start-up: the random generator at its
 * default seed, grad mode on, every kernel thread in use. For tools that run one program after
 * another in one engine (the extension's runner reuses a worker for the next run of a file).
 */
export function resetGlobalState(): void {
  resetGenerator();
  setGradEnabled(true);
  resetNumThreads();
}
