/**
 * `nn.utils`: gradient clipping as PyTorch's `torch.nn.utils.clip_grad_norm_` and
 * `clip_grad_value_`, changing `.grad` in place (between `backward()` and `step()`).
 */
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";

/** Options of `clipGradNorm_` (also accepted positionally, in this order). */
export interface ClipGradNormOptions {
  /** The p of the p-norm (2); `Infinity` for the largest absolute value. */
  normType?: number;
  /** Throw when the total norm is NaN or infinite, instead of scaling by it (false). */
  errorIfNonfinite?: boolean;
}

const f = Math.fround;

/** The gradients of `parameters` (one tensor or several) that exist. */
function gradsOf(parameters: Tensor | Iterable<Tensor>): Tensor[] {
  const list = parameters instanceof Tensor ? [parameters] : [...parameters];
  return list.flatMap((p) => (p.grad ? [p.grad] : []));
}

/** The p-norm of the values (float32 result); p = Infinity is the largest absolute value. */
function pNorm(values: ArrayLike<number>, p: number): number {
  let acc = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (p === Infinity) acc = a > acc || Number.isNaN(a) ? a : acc;
    else acc += p === 2 ? a * a : p === 1 ? a : a ** p;
  }
  if (p === Infinity || p === 1) return f(acc);
  return f(p === 2 ? Math.sqrt(acc) : acc ** (1 / p));
}

/**
 * Scales all gradients together so that their total p-norm (the norm of the per-parameter
 * norms) is at most `maxNorm`; returns that total norm, taken before clipping.
 * @example
 * loss.backward();
 * nn.utils.clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm_(
  parameters: Tensor | Iterable<Tensor>,
  maxNorm: number,
  normType: number | ClipGradNormOptions = 2,
  errorIfNonfinite = false,
): Tensor {
  const options = typeof normType === "object" ? normType : { normType, errorIfNonfinite };
  const p = options.normType ?? 2;
  const grads = gradsOf(parameters);
  if (grads.length === 0) return Tensor._make(Float32Array.of(0), []);
  const total = pNorm(
    grads.map((g) => pNorm(g._values, p)),
    p,
  );
  if (options.errorIfNonfinite && !Number.isFinite(total)) {
    const order = p === Infinity ? "inf" : Number.isInteger(p) ? `${p}.0` : String(p);
    throw new RuntimeError(
      `The total norm of order ${order} for gradients from \`parameters\` is non-finite, so it cannot be clipped. ` +
        "To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`",
    );
  }
  // clamp(maxNorm / (total + 1e-6), max=1), in float32 as PyTorch; NaN stays NaN
  const coef = f(f(maxNorm) / f(total + f(1e-6)));
  const scale = coef > 1 ? 1 : coef;
  for (const g of grads) scaleInPlace(g, (v) => f(v * scale));
  return Tensor._make(Float32Array.of(total), []);
}

/**
 * Clamps every gradient value into [−clipValue, clipValue], in place.
 * @example nn.utils.clipGradValue_(model.parameters(), 0.5);
 */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  const c = f(clipValue);
  for (const g of gradsOf(parameters)) scaleInPlace(g, (v) => (v < -c ? -c : v > c ? c : v));
}

/** Rewrites a gradient's values in place, bumping its version as an in-place op does. */
function scaleInPlace(g: Tensor, fn: (v: number) => number): void {
  const values = g._values;
  for (let i = 0; i < values.length; i++) values[i] = fn(values[i]);
  g._versionCounter.n++;
}
