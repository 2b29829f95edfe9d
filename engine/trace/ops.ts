/**
 * The ops tools tell apart when they read a trace (the editor's size hints and explanations):
 * `isOp(event, Convolution)` says whether an op event is a convolution and, if so, types its
 * attributes, so a reader needs no casts and no grad_fn name strings.
 *
 * @example
 * if (isOp(event, Convolution)) hint(event.attrs.stride, event.attrs.padding);
 */
import type { Op } from "../autograd/apply";

export { Convolution } from "../ops/conv";
export { MaxPool2DWithIndices, AvgPool2D } from "../ops/pool";
export { AdaptiveAvgPool2D, AdaptiveMaxPool2D } from "../ops/adaptivePool";
export { UpsampleNearest2D, UpsampleBilinear2D } from "../ops/upsample";
export {
  Unsqueeze,
  Select,
  Narrow,
  View,
  ReshapeAlias,
  UnsafeView,
  SqueezeDimInPlace,
  T,
} from "../ops/view";
export { ConstantPad } from "../ops/pad";
export { Index, Alias } from "../ops/indexing";
export { Addmm, Mm, Mv, Dot, Bmm, Baddbmm } from "../ops/matmul";
export { Cat, Stack } from "../ops/join";
export { Embedding } from "../ops/embedding";
export { Mean } from "../ops/reduce";

/** What an op event (or a traced op) carries that says which op it is. */
export interface OfOp {
  /** The op's definition; null for a failed functional op (`view`'s checks). */
  readonly spec?: object | null;
  readonly attrs: unknown;
}

/** Whether `event` is an application of `op`; if so its `attrs` are `op`'s attributes. */
export function isOp<E extends OfOp, A>(event: E, op: Op<A>): event is E & { readonly attrs: A } {
  return event.spec === op.spec;
}

/** Whether `event` is an application of any of `ops` (attributes not narrowed). */
export function isOneOf(event: OfOp, ops: readonly Op<never>[]): boolean {
  return ops.some((op) => op.spec === event.spec);
}
