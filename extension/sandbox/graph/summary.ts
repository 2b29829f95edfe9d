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
  const histogram =
    Number.isFinite(min) && Number.isFinite(max) ? binCounts(v, min, max) : undefined;
  const kept = Math.min(n, MAX_SUMMARY_VALUES);
  const values = v.slice(0, kept); // a copy of its own: the tensor's storage may change later
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
    ...(histogram ? { histogram } : {}),
  };
}

/** Bins of the parameter table's small histogram. */
export const HISTOGRAM_BINS = 16;

/** How many of `v` fall in each of HISTOGRAM_BINS equal bins from min to max (all in the middle one when equal). */
function binCounts(v: ArrayLike<number>, min: number, max: number): number[] {
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const span = max - min;
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i])) continue;
    const k = span > 0 ? Math.floor(((v[i] - min) / span) * HISTOGRAM_BINS) : HISTOGRAM_BINS >> 1;
    counts[Math.min(HISTOGRAM_BINS - 1, k)]++;
  }
  return counts;
}
