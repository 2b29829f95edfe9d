/**
 * PyTorch's positional parameters beside the options object: `new nn.Conv2d(20, 16, [3, 5],
 * 1, [1, 2])` is `new nn.Conv2d(20, 16, [3, 5], { stride: 1, padding: [1, 2] })`, and, as
 * Python allows positional arguments before keywords, `new nn.Conv2d(3, 16, 3, 1, { padding: 1 })`
 * works too. A layer or functional names its parameters once, in PyTorch's order; the type
 * of its trailing arguments is every prefix of them, optionally followed by the options.
 */
import { Tensor } from "../tensor";
import { TorchTypeError } from "../errors";
import { Module } from "./module";

/** All prefixes of a tuple: [], [a], [a, b], ... */
type Prefixes<T extends unknown[]> = T extends [...infer Init, unknown] ? T | Prefixes<Init> : T;

/**
 * The trailing arguments of a call: leading positional parameters of `T`, then optionally
 * an options object `O` for the rest.
 * @example (...args: PositionalOr<[stride: number, padding: number], { stride?: number; padding?: number }>)
 */
export type PositionalOr<T extends unknown[], O> =
  Prefixes<T> extends infer P ? (P extends unknown[] ? [...P, O?] : never) : never;

/** Whether `v` is an options object (not a number, list, tensor, module, string or null). */
function isOptions(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Tensor) &&
    !(v instanceof Module)
  );
}

/** `paddingMode` → `padding_mode`, as Python's messages name a parameter. */
const pythonName = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The options a call's trailing arguments stand for: positional values take the names of
 * `names` in order (undefined ones are skipped), and a last options object adds the rest.
 * A name given both ways is Python's TypeError (`got multiple values for argument`).
 */
export function optionsFrom<O extends object>(
  fn: string,
  names: readonly (keyof O & string)[],
  args: readonly unknown[],
): O {
  const last = args[args.length - 1];
  const keywords = isOptions(last) ? last : null;
  const positional = keywords ? args.slice(0, -1) : args;
  if (positional.length > names.length) {
    throw new TorchTypeError(
      `${fn}() takes at most ${names.length} optional positional arguments (${names.map(pythonName).join(", ")}) but ${positional.length} were given`,
    );
  }
  const out: Record<string, unknown> = { ...keywords };
  positional.forEach((v, i) => {
    if (v === undefined) return;
    if (keywords && keywords[names[i]] !== undefined) {
      throw new TorchTypeError(
        `${fn}() got multiple values for argument '${pythonName(names[i])}'`,
      );
    }
    out[names[i]] = v;
  });
  return out as O;
}
