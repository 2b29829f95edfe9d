/**
 * PyTorch's Python names → the engine's: ONE rule for attribute names (snake_case →
 * camelCase, keeping leading/trailing underscores and dunders: `requires_grad_` →
 * `requiresGrad_`, `conv_transpose2d` → `convTranspose2d`) and ONE table for keyword
 * arguments (engineSignatures.ts, generated from the engine's source): a keyword that names
 * a positional parameter goes to its place, the rest into the trailing options object.
 */
import * as engine from "../../engine/index";
import { ENGINE_SIGNATURES } from "./engineSignatures";

export function snakeToCamel(name: string): string {
  if (name.startsWith("__") && name.endsWith("__")) return name;
  const lead = /^_*/.exec(name)![0];
  const trail = /_*$/.exec(name.slice(lead.length))![0];
  const core = name.slice(lead.length, name.length - trail.length);
  return lead + core.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()) + trail;
}

export function camelToSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, (_m, a: string, b: string) => `${a}_${b.toLowerCase()}`);
}

type AnyFn = (...args: unknown[]) => unknown;

let byFunction: Map<AnyFn, readonly string[]> | null = null;

/** The table keyed by the engine's function objects (methods by their prototype's function). */
function signatures(): Map<AnyFn, readonly string[]> {
  if (byFunction) return byFunction;
  byFunction = new Map();
  for (const [path, params] of Object.entries(ENGINE_SIGNATURES)) {
    const [owner, method] = path.split("#");
    let v: unknown = engine;
    for (const part of owner.split(".")) v = v == null ? undefined : (v as Record<string, unknown>)[part];
    if (method !== undefined) {
      const proto = typeof v === "function" ? (v as { prototype: Record<string, unknown> }).prototype : null;
      const desc = proto ? Object.getOwnPropertyDescriptor(proto, method) : undefined;
      v = desc?.value;
    }
    if (typeof v === "function" && !byFunction.has(v as AnyFn)) byFunction.set(v as AnyFn, params);
  }
  return byFunction;
}

export function signatureOf(fn: AnyFn): readonly string[] | null {
  return signatures().get(fn) ?? null;
}

const OPTIONS_PARAM = /^(options|opts|o|config)$/;

/**
 * The engine call's argument list for Python positional `args` and keyword `kwargs` (already
 * converted to engine values): keywords to their positional places or into the options object.
 * Throws Python's TypeError for a keyword given twice or one the function does not take.
 */
export function placeKeywords(
  fn: AnyFn,
  pyName: string,
  args: unknown[],
  kwargs: Map<string, unknown>,
): unknown[] {
  if (kwargs.size === 0) return args;
  const params = signatureOf(fn) ?? [];
  const restAt = params.findIndex((p) => p.startsWith("..."));
  const positional = restAt < 0 ? params : params.slice(0, restAt);
  const optionsAt = positional.findIndex((p) => OPTIONS_PARAM.test(p));
  const out = args.slice();
  const options: Record<string, unknown> = {};
  let hasOptions = false;
  for (const [key, value] of kwargs) {
    const name = snakeToCamel(key);
    // PyTorch's `*size` parameter by name: `torch.rand(size=(2, 3))` is `torch.rand(2, 3)`
    if (key === "size" && restAt >= 0 && out.length === restAt && Array.isArray(value) && !positional.includes("size")) {
      out.push(...value);
      continue;
    }
    const at = positional.indexOf(name);
    if (at >= 0 && at !== optionsAt) {
      if (at < args.length) throw new TypeError(`${pyName}() got multiple values for argument '${key}'`);
      out[at] = value;
    } else {
      options[name] = value;
      hasOptions = true;
    }
  }
  if (!hasOptions) return out;
  if (optionsAt >= 0) {
    const prev = out[optionsAt];
    out[optionsAt] = typeof prev === "object" && prev !== null ? { ...prev, ...options } : options;
  } else if (restAt >= 0 || params.length === 0) {
    out.length = Math.max(out.length, restAt < 0 ? out.length : restAt);
    out.push(options);
  } else {
    const key = Object.keys(options)[0];
    throw new TypeError(`${pyName}() got an unexpected keyword argument '${camelToSnake(key)}'`);
  }
  return out;
}
