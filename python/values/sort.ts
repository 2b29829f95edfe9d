/** `sorted()` and `list.sort()`: stable, by `key`, numbers and strings and tuples compared as Python does. */
import { compareOp } from "./arith";
import type { PyValue } from "./types";

/** Calls a key function (set by the interpreter). */
let callKey: (fn: PyValue, v: PyValue) => PyValue = (_f, v) => v;
export function setKeyCaller(fn: typeof callKey): void {
  callKey = fn;
}

export function sortValues(items: PyValue[], key: PyValue, reverse: boolean): PyValue[] {
  const keyed = items.map((v) => ({ v, k: key === null ? v : callKey(key, v) }));
  keyed.sort((a, b) => (compareOp("<", a.k, b.k) ? -1 : compareOp("<", b.k, a.k) ? 1 : 0));
  if (reverse) keyed.reverse();
  return keyed.map((e) => e.v);
}
