/** Python's iteration over its values and the engine's (`for row in x` unbinds a tensor, as PyTorch). */
import { Tensor } from "../../engine/index";
import { PyDict, PyRange, PySet, PyTuple, type PyValue } from "./types";
import { pyError } from "../interpreter/errors";
import { typeName } from "./typeName";
import { fromEngine } from "../torch/bridge";

/** A user class's `__iter__` (installed by the interpreter). */
let userIter: (v: PyValue) => PyValue[] | null = () => null;
export function setUserIter(fn: typeof userIter): void {
  userIter = fn;
}

export function iterate(v: PyValue): Iterable<PyValue> {
  if (Array.isArray(v)) return v;
  if (v instanceof PyTuple) return v.items;
  if (typeof v === "string") return [...v];
  if (v instanceof PyRange) return rangeItems(v);
  if (v instanceof PyDict) return v.keys();
  if (v instanceof PySet) return v.items();
  if (v instanceof Tensor) {
    if (v.dim() === 0) throw pyError("TypeError", "iteration over a 0-d tensor");
    return v.unbind(0);
  }
  const own = userIter(v);
  if (own) return own;
  if (v !== null && typeof v === "object" && Symbol.iterator in v) {
    return [...(v as Iterable<unknown>)].map((x) => fromEngine(x));
  }
  throw pyError("TypeError", `'${typeName(v)}' object is not iterable`);
}

function* rangeItems(r: PyRange): Generator<number> {
  const n = r.length;
  for (let i = 0; i < n; i++) yield r.start + i * r.step;
}

/** All items, as an array (unpacking, `list(...)`). */
export function toArray(v: PyValue): PyValue[] {
  const it = iterate(v);
  return Array.isArray(it) ? it.slice() : [...it];
}
