/**
 * What a model run could change in its sandbox that a later run would see: every object
 * reachable from the sandbox's global, its engine and the warm-up's results (intrinsics,
 * prototypes, engine classes, the prototypes of grad_fn nodes and layers), each with its
 * prototype, extensibility and own property descriptors. Taken once after the warm-up (trusted
 * code only); after a run, the same objects are compared against it, and the sandbox is given
 * the next run only when nothing differs (the worker makes a new one otherwise).
 *
 * The comparison reads only the recorded objects (made before any model code), never a value a
 * run put somewhere, so it runs no code of the model's (no getters, no proxy traps), and it
 * uses intrinsics taken when this module loaded, before any model code existed.
 */
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const getPrototypeOf = Object.getPrototypeOf;
const isExtensible = Object.isExtensible;
const ownKeys = Reflect.ownKeys;
const isView = ArrayBuffer.isView;
const reflectApply = Reflect.apply;
const objectIs = Object.is;
const typedLength = getOwnPropertyDescriptor(getPrototypeOf(Float32Array.prototype) as object, "length")!
  .get as () => number;

interface Entry {
  object: object;
  proto: object | null;
  extensible: boolean;
  keys: (string | symbol)[];
  /** Per key: value, get, set, then the three flags as one number. */
  slots: unknown[];
}

export type Snapshot = Entry[];

/** Own keys, without a typed array's elements (data, not structure). */
function keysOf(o: object): (string | symbol)[] {
  const keys = ownKeys(o);
  if (!isView(o)) return keys;
  let n: number;
  try {
    n = reflectApply(typedLength, o, []) as number;
  } catch {
    n = 0; // a DataView has no elements
  }
  return keys.slice(n);
}

function record(o: object, keys: (string | symbol)[]): unknown[] {
  const slots: unknown[] = [];
  for (const k of keys) {
    const d = getOwnPropertyDescriptor(o, k)!;
    slots.push(d.value, d.get, d.set, (d.writable ? 1 : 0) | (d.enumerable ? 2 : 0) | (d.configurable ? 4 : 0));
  }
  return slots;
}

const isObject = (v: unknown): v is object => (typeof v === "object" && v !== null) || typeof v === "function";

/** A class's prototype: its getters are meant for instances (and may set fields on `this`). */
function isPrototype(o: object): boolean {
  const d = getOwnPropertyDescriptor(o, "constructor");
  const C = d && "value" in d ? (d.value as unknown) : undefined;
  if (typeof C !== "function") return false;
  const p = getOwnPropertyDescriptor(C, "prototype");
  return !!p && p.value === o;
}

export function takeSnapshot(roots: unknown[]): Snapshot {
  // First every object reachable, then the record of each: a getter called on the way (a
  // module's re-exported namespace) cannot change an object after it was recorded.
  const seen = new Set<object>();
  const queue = roots.filter(isObject);
  for (let i = 0; i < queue.length; i++) {
    const o = queue[i];
    if (seen.has(o)) continue;
    seen.add(o);
    const proto = getPrototypeOf(o) as object | null;
    if (proto) queue.push(proto);
    const callGetters = typeof o !== "function" && !isPrototype(o);
    for (const k of keysOf(o)) {
      const d = getOwnPropertyDescriptor(o, k)!;
      for (const v of [d.value, d.get, d.set]) if (isObject(v) && !seen.has(v)) queue.push(v);
      // Only trusted code exists while the snapshot is taken, so calling a getter is safe.
      if (callGetters && typeof d.get === "function") {
        try {
          const v = reflectApply(d.get, o, []);
          if (isObject(v) && !seen.has(v)) queue.push(v);
        } catch {
          // not readable here
        }
      }
    }
  }
  const entries: Entry[] = [];
  for (const o of seen) {
    const keys = keysOf(o);
    entries.push({ object: o, proto: getPrototypeOf(o) as object | null, extensible: isExtensible(o), keys, slots: record(o, keys) });
  }
  return entries;
}

/**
 * The first recorded object that is not as it was (prototype, extensibility, properties), as
 * `entry #i: what`, or null when none changed.
 */
export function firstChange(snapshot: Snapshot): string | null {
  for (let i = 0; i < snapshot.length; i++) {
    const e = snapshot[i];
    const o = e.object;
    if (getPrototypeOf(o) !== e.proto) return `#${i}: prototype`;
    if (isExtensible(o) !== e.extensible) return `#${i}: extensibility`;
    const keys = keysOf(o);
    if (keys.length !== e.keys.length) {
      const added = keys.filter((k) => !e.keys.includes(k)).map(String);
      const removed = e.keys.filter((k) => !keys.includes(k)).map(String);
      return `#${i} (${e.keys.slice(0, 3).map(String).join(", ")}, …): added [${added.join(", ")}], removed [${removed.join(", ")}]`;
    }
    for (let k = 0; k < keys.length; k++) if (keys[k] !== e.keys[k]) return `#${i}: key ${String(keys[k])}`;
    const slots = record(o, keys);
    for (let s = 0; s < slots.length; s++)
      if (!objectIs(slots[s], e.slots[s])) return `#${i}: property ${String(keys[s >> 2])}`;
  }
  return null;
}
