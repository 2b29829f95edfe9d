/** `unflatten`: one dim split into several, a `view` (`ViewBackward0`), as ATen does it. */
import { traced } from "../autograd/apply";
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";
import { bracketed, normalizeDim } from "../shape";
import { view } from "./view";

/**
 * Splits dim `dim` of x into `sizes` (one of them may be −1).
 * @example unflatten(torch.randn(2, 12), 1, [3, 4]).shape   // [2, 3, 4]
 */
export function unflatten(x: Tensor, dim: number, sizes: number[]): Tensor {
  return traced("unflatten", [x], () => {
    const d = normalizeDim(dim, x.dim());
    const known = sizes.filter((s) => s !== -1).reduce((p, q) => p * q, 1);
    const n = x.shape[d];
    const fits = sizes.includes(-1) ? known > 0 && n % known === 0 : known === n;
    if (!fits) {
      throw new RuntimeError(
        `unflatten: Provided sizes ${bracketed(sizes)} don't multiply up to the size of dim ${dim} (${n}) in the input tensor`,
      );
    }
    const inner = sizes.map((s) => (s === -1 ? n / known : s));
    return view(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
  });
}
