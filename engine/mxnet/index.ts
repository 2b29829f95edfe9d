/**
 * `gradlens/mxnet`: MXNet's NumPy style over the one engine, for the d2l chapter's MXNet tab.
 *
 * @example
 * import { np, npx, autograd } from "gradlens/mxnet";
 * npx.setNp();
 * const x = np.arange(4.0);
 * x.attachGrad();
 * const y = autograd.record(() => np.dot(x, x).mul(2));   // `with autograd.record():`
 * y.backward();                                           // x.grad: [0, 4, 8, 12]
 */
import { isRecording, record } from "./recording";

export { NDArray, MXNetError } from "./ndarray";
export type { GradReq } from "./ndarray";
export * as np from "./np";

export const autograd = { record, isRecording };

export const npx = {
  /** MXNet's switch to NumPy semantics: they are the only ones here, so it changes nothing. */
  setNp(): void {},
};
