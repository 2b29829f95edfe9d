/** Statistics of a tensor for the node details panel: min/max/mean/norm and the first values. */
import type { Tensor } from "../../../engine/tensor";
import type { TensorSummary } from "../../../webview/protocol";

/** At most this many values travel to the page per tensor. */
export const MAX_SUMMARY_VALUES = 4096;

/** min, max, mean and 2-norm over all elements, plus the first 4096 values in row-major order. */
export function summarize(t: Tensor): TensorSummary {
  const v = t._values;
  const n = v.length;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
    squares += x * x;
  }
  const kept = Math.min(n, MAX_SUMMARY_VALUES);
  // A plain loop: Array.from(typedArray) goes through the iterator protocol, several times slower.
  const values = new Array<number>(kept);
  for (let i = 0; i < kept; i++) values[i] = v[i];
  return {
    shape: t.shape.slice(),
    dtype: t.dtype,
    numel: n,
    min: n > 0 ? min : NaN,
    max: n > 0 ? max : NaN,
    mean: n > 0 ? sum / n : NaN,
    norm: Math.sqrt(squares),
    values,
    truncated: kept < n,
  };
}
