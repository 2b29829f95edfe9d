/**
 * PyTorch's positional parameters beside the options object: `new nn.BatchNorm2d(64, 1e-3)`
 * and `new nn.BatchNorm2d(64, { eps: 1e-3 })` mean the same. A layer lists its parameter
 * names in PyTorch's order; trailing positional values fill them, and an options object (last)
 * fills the rest.
 */

/** The trailing arguments of a layer: PyTorch's positional ones, or one options object. */
export type PositionalOr<P extends unknown[], O> = P | [options: O];

/** One implementation for every layer: PyTorch's checks (too many, or given twice) included. */
export { optionsFrom } from "./positional";

/** A float as Python prints it (`1e-05`, `0.1`), for `extraRepr`. */
export function pyFloat(v: number): string {
  if (Number.isInteger(v)) return v.toFixed(1);
  if (Math.abs(v) >= 1e-4) return String(v);
  return v.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
}

/** A Python bool. */
export const pyBool = (b: boolean): string => (b ? "True" : "False");
