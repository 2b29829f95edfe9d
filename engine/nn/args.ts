/**
 * PyTorch's positional parameters beside the options object: `new nn.BatchNorm2d(64, 1e-3)`
 * and `new nn.BatchNorm2d(64, { eps: 1e-3 })` mean the same. A layer lists its parameter
 * names in PyTorch's order; trailing positional values fill them, and an options object (last)
 * fills the rest.
 */
import { Tensor } from "../tensor";

/** The trailing arguments of a layer: PyTorch's positional ones, or one options object. */
export type PositionalOr<P extends unknown[], O> = P | [options: O];

const isOptions = (v: unknown): v is object =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Tensor);

/** The options that `args` (positional values, maybe ending in an options object) give. */
export function optionsFrom<O extends object>(
  args: readonly unknown[],
  names: readonly (keyof O)[],
): O {
  const last = args[args.length - 1];
  const positional = isOptions(last) ? args.slice(0, -1) : args;
  const out: Partial<O> = {};
  positional.forEach((v, i) => {
    if (v !== undefined && i < names.length) out[names[i]] = v as O[keyof O];
  });
  return { ...out, ...(isOptions(last) ? last : {}) } as O;
}

/** A float as Python prints it (`1e-05`, `0.1`), for `extraRepr`. */
export function pyFloat(v: number): string {
  if (Number.isInteger(v)) return v.toFixed(1);
  if (Math.abs(v) >= 1e-4) return String(v);
  return v.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
}

/** A Python bool. */
export const pyBool = (b: boolean): string => (b ? "True" : "False");
