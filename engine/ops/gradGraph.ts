/**
 * Helpers for backward formulas written with recorded ops (an op's `graphBackward`, run when
 * a backward has `createGraph: true`): the recorded counterparts of the kernels' `sumTo` and
 * of putting a reduced gradient back to its input's shape. They use Tensor methods (no op
 * imports), so that `autograd/apply.ts` can use them without an import cycle.
 */
import type { Tensor } from "../tensor";
import { sameShape, type Shape } from "../shape";
import { broadcastDims } from "../kernels/reduce";

/** `g` summed back to `shape` over the dims broadcasting added or stretched (recorded). */
export function sumToRecorded(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const dims = broadcastDims(g.shape, shape);
  return (dims.length > 0 ? g.sum(dims, true) : g).reshape(shape.slice());
}

/** A gradient of a reduction over `dims` (null: all), expanded back to the input's shape. */
export function unreduceRecorded(
  g: Tensor,
  inputShape: Shape,
  dims: readonly number[] | null,
  keepdim: boolean,
): Tensor {
  if (dims === null || keepdim) return g.expand(inputShape.slice());
  return g.reshape(inputShape.map((s, i) => (dims.includes(i) ? 1 : s))).expand(inputShape.slice());
}
