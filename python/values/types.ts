/**
 * How Python values live in the interpreter. Plain JavaScript where the two agree: an int is
 * a `number` (always whole), a bool a `boolean`, a str a `string`, None is `null`, a list is
 * an array. A float is boxed (`PyFloat`) so that `2.0` stays a float (`torch.arange(4.0)` is
 * float32, `print(2.0)` prints `2.0`). Engine objects (tensors, modules, optimizers) are
 * themselves, unwrapped.
 */

export type PyValue = unknown;

/** A Python float: `1.0` is not the int `1`. */
export class PyFloat {
  constructor(readonly v: number) {}
}

export const float = (v: number): PyFloat => new PyFloat(v);

/** An immutable sequence: `(1, 2)`. */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** `torch.Size([2, 3])`: a tuple of ints that prints as PyTorch's. */
export class PySize extends PyTuple {}

/** A named tuple such as `torch.return_types.max(values=…, indices=…)`. */
export class PyNamedTuple extends PyTuple {
  constructor(
    readonly typeName: string,
    readonly fields: string[],
    items: PyValue[],
  ) {
    super(items);
  }
}

/** `lo:hi:step` inside `[]`. */
export class PySlice {
  constructor(
    readonly lo: PyValue,
    readonly hi: PyValue,
    readonly step: PyValue,
  ) {}
}

/** `range(…)`: lazy, as in Python, so `range(10**6)` costs nothing until iterated. */
export class PyRange {
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {}
  get length(): number {
    const n = Math.ceil((this.stop - this.start) / this.step);
    return Math.max(0, n);
  }
  at(i: number): number {
    return this.start + i * this.step;
  }
}

/** `torch.float32` etc.: prints as `torch.float32`, passes to the engine as its dtype name. */
export class PyDtype {
  constructor(
    readonly engineName: string,
    readonly pythonName: string,
  ) {}
}

/** Python's `...`. */
export const Ellipsis = Object.freeze({ ellipsis: true });

let nextId = 1;
const ids = new WeakMap<object, number>();
/** A stable number per object: its hash, and its `id()`. */
export function objectId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) {
    id = nextId++;
    ids.set(o, id);
  }
  return id;
}

/** The key two equal Python values share in a dict or set (1, 1.0 and True are one key). */
export function hashKey(v: PyValue): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "number") return "n" + v;
  if (typeof v === "boolean") return "n" + (v ? 1 : 0);
  if (v instanceof PyFloat) return "n" + v.v;
  if (typeof v === "string") return "s" + v;
  if (v instanceof PyTuple) return "t(" + v.items.map(hashKey).join(",") + ")";
  return "o" + objectId(v as object);
}

/** A dict: insertion-ordered, keyed by `hashKey`. */
export class PyDict {
  readonly map = new Map<string, [PyValue, PyValue]>();
  constructor(entries: [PyValue, PyValue][] = []) {
    for (const [k, v] of entries) this.set(k, v);
  }
  get size(): number {
    return this.map.size;
  }
  get(k: PyValue): PyValue | undefined {
    return this.map.get(hashKey(k))?.[1];
  }
  has(k: PyValue): boolean {
    return this.map.has(hashKey(k));
  }
  set(k: PyValue, v: PyValue): void {
    const key = hashKey(k);
    const prev = this.map.get(key);
    if (prev) prev[1] = v;
    else this.map.set(key, [k, v]);
  }
  delete(k: PyValue): boolean {
    return this.map.delete(hashKey(k));
  }
  keys(): PyValue[] {
    return [...this.map.values()].map((e) => e[0]);
  }
  values(): PyValue[] {
    return [...this.map.values()].map((e) => e[1]);
  }
  entries(): [PyValue, PyValue][] {
    return [...this.map.values()].map(([k, v]) => [k, v]);
  }
}

/** A set: a dict whose values are unused. */
export class PySet {
  readonly map = new Map<string, PyValue>();
  constructor(items: PyValue[] = []) {
    for (const v of items) this.add(v);
  }
  get size(): number {
    return this.map.size;
  }
  add(v: PyValue): void {
    const key = hashKey(v);
    if (!this.map.has(key)) this.map.set(key, v);
  }
  has(v: PyValue): boolean {
    return this.map.has(hashKey(v));
  }
  delete(v: PyValue): boolean {
    return this.map.delete(hashKey(v));
  }
  items(): PyValue[] {
    return [...this.map.values()];
  }
}
