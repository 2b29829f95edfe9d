/**
 * `deepCopy(module)`: Python's `copy.deepcopy` of a module, as `nn.TransformerEncoder` uses it
 * to stack clones of one layer. Every parameter and buffer gets its own storage with the same
 * values (no generator draws), submodules are copied recursively, and a module reached twice
 * is copied once, so weights shared inside the original stay shared inside the copy.
 * Functions and other values are kept as they are; hooks are not copied.
 */
import { Tensor } from "../tensor";
import { noGrad } from "../autograd/gradMode";
import { Module, Parameter, copyBufferNames, wrapForward } from "./module";

type Memo = Map<object, unknown>;

/** A copy of `module` with fresh parameters and buffers holding the same values. */
export function deepCopy<M extends Module>(module: M): M {
  return noGrad(() => copyValue(module, new Map())) as M;
}

function copyValue(v: unknown, memo: Memo): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (memo.has(v)) return memo.get(v);
  if (v instanceof Parameter) return remember(memo, v, new Parameter(v.clone(), v.requiresGrad));
  if (v instanceof Tensor) return remember(memo, v, v.clone());
  if (v instanceof Module) return copyModule(v, memo);
  if (Array.isArray(v)) {
    const out: unknown[] = remember(memo, v, []);
    for (const item of v) out.push(copyValue(item, memo));
    return out;
  }
  return v; // options objects and the like are read-only settings: shared
}

function remember<T>(memo: Memo, original: object, copy: T): T {
  memo.set(original, copy);
  return copy;
}

function copyModule(m: Module, memo: Memo): Module {
  const proto = Object.getPrototypeOf(m) as { forward: (...args: unknown[]) => unknown };
  const copy = remember(memo, m, Object.create(proto) as Module);
  wrapForward(copy, proto.forward);
  copyBufferNames(m, copy);
  for (const [name, value] of Object.entries(m))
    (copy as unknown as Record<string, unknown>)[name] = copyValue(value, memo);
  return copy;
}
