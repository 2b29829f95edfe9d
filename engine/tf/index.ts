/**
 * `gradlens/tf`: TensorFlow 2's style over the one engine, for the d2l chapter's TensorFlow tab.
 *
 * @example
 * import * as tf from "gradlens/tf";
 * const x = new tf.Variable(tf.range(4, { dtype: tf.float32 }));
 * const t = new tf.GradientTape();
 * const y = t.record(() => tf.tensordot(x, x, 1).mul(2));   // `with tf.GradientTape() as t:`
 * t.gradient(y, x);                                          // [0, 4, 8, 12]
 */
export { Tensor } from "../tensor";
export { Variable } from "./variable";
export type { VariableOptions } from "./variable";
export { GradientTape } from "./tape";
export type { GradientTapeOptions } from "./tape";
export * from "./ops";
export { grad, valueAndGrad } from "./functional";
