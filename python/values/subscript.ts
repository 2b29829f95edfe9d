/**
 * `obj[key]`, `obj[key] = v`, `del obj[key]` for lists, tuples, strings, dicts and tensors.
 * A tensor index goes to the engine as PyTorch reads it: ints, slices, None, `...`, index
 * tensors and lists (advanced indexing); `x[...] = v` is `indexPut_`, so a write through a
 * slice reaches the tensor and autograd records it (CopySlices).
 */
import * as engine from "../../engine/index";
import { Tensor } from "../../engine/index";
import { Ellipsis, PyDict, PyRange, PySize, PySlice, PyTuple, type PyValue } from "./types";
import { numberOf } from "./arith";
import { keyError, pyError } from "../interpreter/errors";
import { typeName } from "./typeName";
import { fromEngine, toEngine } from "../torch/bridge";

/** `lo:hi:step` over a sequence of `n` items: the positions it selects. */
export function sliceIndices(s: PySlice, n: number): number[] {
  const step = s.step === null ? 1 : numberOf(s.step)!;
  if (step === 0) throw pyError("ValueError", "slice step cannot be zero");
  const clamp = (v: PyValue, dflt: number, lo: number, hi: number): number => {
    if (v === null) return dflt;
    let i = numberOf(v)!;
    if (i < 0) i += n;
    return Math.min(Math.max(i, lo), hi);
  };
  const out: number[] = [];
  if (step > 0) {
    const start = clamp(s.lo, 0, 0, n);
    const stop = clamp(s.hi, n, 0, n);
    for (let i = start; i < stop; i += step) out.push(i);
  } else {
    const start = clamp(s.lo, n - 1, -1, n - 1);
    const stop = clamp(s.hi, -1, -1, n - 1);
    for (let i = start; i > stop; i += step) out.push(i);
  }
  return out;
}

function position(key: PyValue, n: number, what: string): number {
  const i = numberOf(key);
  if (i === null || !Number.isInteger(i)) throw pyError("TypeError", `${what} indices must be integers or slices, not ${typeName(key)}`);
  const at = i < 0 ? i + n : i;
  if (at < 0 || at >= n) throw pyError("IndexError", `${what} index out of range`);
  return at;
}

function tensorIndexItem(k: PyValue): unknown {
  if (k instanceof PySlice) return toEngine(k);
  if (k === Ellipsis) return "...";
  if (k === null) return null;
  if (Array.isArray(k)) return engine.tensor(toEngine(k) as number[]);
  return toEngine(k);
}

function tensorIndex(key: PyValue): engine.IndexItem[] {
  const keys = key instanceof PyTuple ? key.items : [key];
  return keys.map(tensorIndexItem) as engine.IndexItem[];
}

/** A user class's `__getitem__`/`__setitem__` (installed by the interpreter). */
let userItem: (obj: PyValue, method: string, args: PyValue[]) => { value: PyValue } | null = () => null;
export function setUserItem(fn: typeof userItem): void {
  userItem = fn;
}

export function getItem(obj: PyValue, key: PyValue): PyValue {
  if (obj instanceof Tensor) return obj.index(...tensorIndex(key));
  if (Array.isArray(obj) || obj instanceof PyTuple || typeof obj === "string") {
    const items = typeof obj === "string" ? obj : Array.isArray(obj) ? obj : obj.items;
    const what = typeof obj === "string" ? "string" : Array.isArray(obj) ? "list" : "tuple";
    if (key instanceof PySlice) {
      const picked = sliceIndices(key, items.length).map((i) => items[i]);
      if (typeof obj === "string") return picked.join("");
      if (Array.isArray(obj)) return picked;
      return obj instanceof PySize ? new PySize(picked) : new PyTuple(picked);
    }
    return items[position(key, items.length, what)];
  }
  if (obj instanceof PyDict) {
    if (!obj.has(key)) throw keyError(key);
    return obj.get(key);
  }
  if (obj instanceof PyRange) {
    if (key instanceof PySlice) throw pyError("TypeError", "range slicing is not part of Gradlens");
    return obj.at(position(key, obj.length, "range object"));
  }
  const own = userItem(obj, "__getitem__", [key]);
  if (own) return own.value;
  // nn.Sequential / nn.ModuleList: `seq[i]`; nn.ModuleDict: `d["k"]`
  const o = obj as { at?: (i: number) => unknown; get?: (k: string) => unknown };
  if (typeof key === "number" && typeof o?.at === "function") return fromEngine(o.at(key));
  if (typeof key === "string" && typeof o?.get === "function") return fromEngine(o.get(key));
  throw pyError("TypeError", `'${typeName(obj)}' object is not subscriptable`);
}

export function setItem(obj: PyValue, key: PyValue, value: PyValue): void {
  if (obj instanceof Tensor) {
    obj.indexPut_(tensorIndex(key), toEngine(value) as engine.TensorLike);
    return;
  }
  if (Array.isArray(obj)) {
    if (key instanceof PySlice) {
      const at = sliceIndices(key, obj.length);
      const items = Array.isArray(value) ? value : value instanceof PyTuple ? value.items : [...(value as PyValue[])];
      if (key.step === null || numberOf(key.step) === 1) {
        const start = at.length ? at[0] : Math.min(Math.max(numberOf(key.lo ?? 0)! < 0 ? numberOf(key.lo)! + obj.length : numberOf(key.lo ?? 0)!, 0), obj.length);
        obj.splice(start, at.length, ...items);
      } else {
        if (items.length !== at.length) throw pyError("ValueError", `attempt to assign sequence of size ${items.length} to extended slice of size ${at.length}`);
        at.forEach((i, j) => (obj[i] = items[j]));
      }
      return;
    }
    obj[position(key, obj.length, "list assignment")] = value;
    return;
  }
  if (obj instanceof PyDict) {
    obj.set(key, value);
    return;
  }
  if (userItem(obj, "__setitem__", [key, value])) return;
  throw pyError("TypeError", `'${typeName(obj)}' object does not support item assignment`);
}

export function delItem(obj: PyValue, key: PyValue): void {
  if (Array.isArray(obj)) {
    if (key instanceof PySlice) {
      const at = new Set(sliceIndices(key, obj.length));
      const kept = obj.filter((_, i) => !at.has(i));
      obj.length = 0;
      obj.push(...kept);
    } else obj.splice(position(key, obj.length, "list assignment"), 1);
    return;
  }
  if (obj instanceof PyDict) {
    if (!obj.delete(key)) throw keyError(key);
    return;
  }
  throw pyError("TypeError", `'${typeName(obj)}' object doesn't support item deletion`);
}
