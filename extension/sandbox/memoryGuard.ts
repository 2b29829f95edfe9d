/**
 * The cap on typed-array memory, installed inside a model's sandbox before the engine loads.
 * V8's heap limit (the worker's `resourceLimits`) covers strings, arrays and objects but not
 * ArrayBuffers, and tensors live in Float32Arrays: `torch.zeros(1e6, 1e4)` or a loop of
 * `new Uint8Array(1e8)` would otherwise take the machine's memory down with it.
 *
 * Every way this realm has to allocate an ArrayBuffer goes through a check first: the
 * constructors of ArrayBuffer, SharedArrayBuffer and all eleven typed arrays are replaced by
 * plain functions (not subclasses: a subclass's prototype chain would hand back the original),
 * every `.prototype.constructor` and `@@species` points at them, and the methods that allocate
 * through the intrinsic constructors whatever `constructor` says (`slice`, `map`, `filter`,
 * `toSorted`, `toReversed`, `with`, `transfer`, a resizable buffer's `resize`) are wrapped too.
 * The originals live only in this module's closures. DataView and `subarray` allocate nothing.
 */

/** Thrown instead of allocating past the limit; the runner reports it as a "memory" error. */
export class MemoryLimitError extends Error {
  override name = "MemoryLimitError";
  readonly gradlensMemoryLimit = true;
}

export function isMemoryLimitError(e: unknown): e is MemoryLimitError {
  return (
    !!e &&
    typeof e === "object" &&
    (e as { gradlensMemoryLimit?: unknown }).gradlensMemoryLimit === true
  );
}

export interface MemoryMeter {
  /** Bytes of ArrayBuffer memory in use now (the worker's allocator). */
  bytesInUse(): number;
  /** A full collection, so that dead tensors do not count against the limit. */
  collect(): void;
}

/** Allocations below this size are only counted, not checked one by one. */
const SMALL = 1 << 20;

let limitBytes = Infinity;
let sinceCheck = 0;
let meter: MemoryMeter | null = null;

const mb = (bytes: number): string => `${Math.ceil(bytes / (1 << 20))} MB`;

/** Sets the limit (MB) and how memory in use is read; until then nothing is refused. */
export function setMemoryLimit(limitMb: number, m: MemoryMeter): void {
  limitBytes = limitMb * (1 << 20);
  meter = m;
}

function check(bytes: number): void {
  if (!(bytes > 0) || !meter || limitBytes === Infinity) return;
  sinceCheck += bytes;
  if (bytes < SMALL && sinceCheck < 16 * SMALL) return;
  sinceCheck = 0;
  const m = meter;
  const over = (): boolean => m.bytesInUse() + bytes > limitBytes;
  if (bytes > limitBytes || (over() && (m.collect(), over()))) {
    throw new MemoryLimitError(
      `Gradlens stopped the run: it asked for ${mb(bytes)} of tensor memory with ` +
        `${mb(m.bytesInUse())} in use, over the limit of ${mb(limitBytes)} (gradlens.memoryLimitMb)`,
    );
  }
}

type Ctor = { new (...args: unknown[]): object; prototype: object; BYTES_PER_ELEMENT?: number };
type Method = (this: unknown, ...args: unknown[]) => unknown;

const g = globalThis as unknown as Record<string, unknown>;
const reflectConstruct = Reflect.construct;
const reflectApply = Reflect.apply;
const defineProperty = Object.defineProperty;
const getPrototypeOf = Object.getPrototypeOf;
const setPrototypeOf = Object.setPrototypeOf;

// Intrinsics, taken before any model code runs. Brand checks that throw are slow (each throw
// captures a stack), so the common kinds are told apart by non-throwing ones first.
const isArray = Array.isArray;
const isView = ArrayBuffer.isView;
const typedArrayProto = getPrototypeOf(Float32Array.prototype) as object;
const typedLength = Object.getOwnPropertyDescriptor(typedArrayProto, "length")!.get as Method;
const typedByteLength = Object.getOwnPropertyDescriptor(typedArrayProto, "byteLength")!.get as Method;
const bufferByteLengths = ["ArrayBuffer", "SharedArrayBuffer"]
  .map((n) => (g[n] as Ctor | undefined)?.prototype)
  .map((p) => (p ? (Object.getOwnPropertyDescriptor(p, "byteLength")?.get as Method | undefined) : undefined))
  .filter((f): f is Method => !!f);

/** A buffer's byte length, or -1 when `v` is no ArrayBuffer or SharedArrayBuffer. */
function bufferBytes(v: unknown): number {
  if (typeof v !== "object" || v === null || isArray(v) || isView(v)) return -1;
  for (const get of bufferByteLengths) {
    try {
      return reflectApply(get, v, []) as number;
    } catch {
      // not this kind of buffer
    }
  }
  return -1;
}

/** A typed array's byte length (not a DataView's), through the intrinsic getter; else -1. */
function typedBytes(v: unknown): number {
  if (!isView(v)) return -1;
  try {
    return reflectApply(typedByteLength, v, []) as number;
  } catch {
    return -1; // a DataView
  }
}

/**
 * A buffer's or typed array's byte length, read through the intrinsic getters (a `byteLength`
 * the model code redefines must not hide an allocation); 0 for anything else.
 */
function byteLengthOf(v: unknown): number {
  return Math.max(typedBytes(v), bufferBytes(v), 0);
}

/** Bytes a typed-array constructor call would allocate (none for a view on a buffer). */
function typedArrayBytes(arg: unknown, perElement: number): number {
  if (arg === null || arg === undefined) return 0;
  if (typeof arg !== "object") return Number(arg) * perElement; // a length (ToIndex)
  if (isArray(arg)) return arg.length * perElement;
  if (isView(arg)) {
    try {
      return (reflectApply(typedLength, arg, []) as number) * perElement;
    } catch {
      return 0; // a DataView: read as an object without a length
    }
  }
  if (bufferBytes(arg) >= 0) return 0;
  // An array-like's length as read now; an iterable without one, or a length getter that
  // changes its answer, is caught by the check after construction in `guarded`.
  const length = (arg as { length?: unknown }).length;
  return typeof length === "number" ? length * perElement : 0;
}

function speciesGetter(this: unknown): unknown {
  return this;
}

/**
 * A stand-in for a constructor: checks the bytes first, then constructs with the original,
 * keeping `new.target` for subclasses (`class X extends Float32Array`).
 */
function guarded(
  name: string,
  Original: Ctor,
  bytes: (args: unknown[]) => number,
  made: (v: unknown) => number,
): Ctor {
  const Guarded = function (this: unknown, ...args: unknown[]): object {
    const target = new.target as unknown;
    if (target === undefined) throw new TypeError(`Constructor ${name} requires 'new'`);
    const expected = bytes(args);
    check(expected);
    const result = reflectConstruct(Original, args, (target === Guarded ? Original : target) as Ctor);
    // a length read twice may have changed its answer: check what was really made
    const actual = made(result);
    if (actual > expected) check(actual - expected);
    return result;
  } as unknown as Ctor;
  defineProperty(Guarded, "name", { value: name });
  defineProperty(Guarded, "length", { value: Original.length });
  defineProperty(Guarded, "prototype", { value: Original.prototype });
  defineProperty(Original.prototype, "constructor", {
    value: Guarded,
    writable: true,
    configurable: true,
  });
  setPrototypeOf(Guarded, getPrototypeOf(Original)); // statics (from, of, isView) come along
  for (const key of Reflect.ownKeys(Original)) {
    if (key === "prototype" || key === "name" || key === "length") continue;
    const d = Object.getOwnPropertyDescriptor(Original, key)!;
    if (key !== Symbol.species) defineProperty(Guarded, key, d);
  }
  // as the intrinsic's: `this`, so that a subclass's slice() makes the subclass
  defineProperty(Guarded, Symbol.species, { get: speciesGetter, configurable: true });
  g[name] = Guarded;
  return Guarded;
}

/** Wraps a prototype method that allocates `bytes(this, args)` through an intrinsic. */
function wrapMethod(proto: object, key: string, bytes: (self: unknown, args: unknown[]) => number): void {
  const original = (proto as Record<string, unknown>)[key];
  if (typeof original !== "function") return;
  const f = original as Method;
  const wrapped = {
    [key](this: unknown, ...args: unknown[]): unknown {
      check(bytes(this, args));
      return reflectApply(f, this, args);
    },
  }[key];
  defineProperty(wrapped, "length", { value: f.length });
  defineProperty(proto, key, { value: wrapped, writable: true, configurable: true });
}

const TYPED_ARRAYS = [
  "Float32Array",
  "Float64Array",
  "Int8Array",
  "Int16Array",
  "Int32Array",
  "Uint8Array",
  "Uint8ClampedArray",
  "Uint16Array",
  "Uint32Array",
  "BigInt64Array",
  "BigUint64Array",
  "Float16Array",
];


let installed = false;

/** Replaces this realm's allocating constructors and methods (once). */
export function installMemoryGuard(): void {
  if (installed) return;
  installed = true;
  for (const name of ["ArrayBuffer", "SharedArrayBuffer"]) {
    const Original = g[name] as Ctor | undefined;
    if (!Original) continue;
    guarded(name, Original, (args) => {
      // a resizable buffer reserves its maximum: count that
      const options = args[1] as { maxByteLength?: unknown } | undefined;
      const max = options && typeof options === "object" ? Number(options.maxByteLength) : 0;
      return Math.max(Number(args[0]) || 0, max || 0);
    }, bufferBytes);
    const proto = Original.prototype;
    wrapMethod(proto, "slice", byteLengthOf);
    for (const key of ["transfer", "transferToFixedLength"])
      wrapMethod(proto, key, (self, args) =>
        args[0] === undefined ? byteLengthOf(self) : Number(args[0]) || 0,
      );
    wrapMethod(proto, "resize", (self, args) => (Number(args[0]) || 0) - byteLengthOf(self));
    wrapMethod(proto, "grow", (self, args) => (Number(args[0]) || 0) - byteLengthOf(self));
  }
  for (const name of TYPED_ARRAYS) {
    const Original = g[name] as Ctor | undefined;
    if (!Original) continue;
    const per = Original.BYTES_PER_ELEMENT ?? 1;
    guarded(name, Original, (args) => typedArrayBytes(args[0], per), typedBytes);
  }
  {
    // these make a new array of (at most) the receiver's size through the intrinsic constructor
    for (const key of ["slice", "map", "filter", "toSorted", "toReversed", "with"])
      wrapMethod(typedArrayProto, key, byteLengthOf);
  }
}

/** The global the guard script leaves its controls under, for the sandbox bundle to take. */
export const GUARD = "__gradlensMemoryGuard";

export interface GuardControls {
  setMemoryLimit: typeof setMemoryLimit;
}
