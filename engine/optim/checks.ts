/** What several optimizers share: PyTorch's option checks, and the gradient they start from. */
import { ValueError } from "../errors";

/** Throws PyTorch's `Invalid <what>: <value>` for the first negative (or NaN) option. */
export function checkNonNegative(options: [what: string, value: number][]): void {
  for (const [what, value] of options)
    if (!(value >= 0)) throw new ValueError(`Invalid ${what}: ${value}`);
}

/**
 * The gradient an update starts from, as a new array: negated to maximize, plus `weightDecay`
 * times the parameter (L2 penalty), rounded to float32 as PyTorch's `grad.add(p, alpha=λ)`.
 */
export function gradWithDecay(
  grad: Float32Array,
  param: Float32Array,
  weightDecay: number,
  maximize: boolean,
): Float32Array {
  const n = grad.length;
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = maximize ? -grad[i] : grad[i];
  const wd = Math.fround(weightDecay);
  if (weightDecay !== 0) for (let i = 0; i < n; i++) d[i] = d[i] + wd * param[i];
  return d;
}
