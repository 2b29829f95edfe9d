/**
 * Values across the Python ↔ engine boundary. Into the engine: floats unboxed, tuples and
 * ranges as arrays, `None` as null, slices as `torch.slice`, dtypes by name, Python functions
 * as JavaScript functions. Out of it: whole numbers as ints (others as floats), arrays as
 * lists, `[values, indices]` pairs as PyTorch's named tuples, plain objects as dicts that
 * write through to them.
 */
import * as engine from "../../engine/index";
import { Tensor } from "../../engine/index";
import {
  Ellipsis,
  float,
  PyDict,
  PyDtype,
  PyFloat,
  PyNamedTuple,
  PyRange,
  PySet,
  PySlice,
  PyTuple,
  type PyValue,
} from "../values/types";
import { ClassMethod, EngineCallable, PyBoundMethod, PyBuiltin, PyClass, PyFunction, StaticMethod } from "../interpreter/objects";

/** Calls a Python callable with Python arguments (set by the interpreter). */
export type PyCaller = (fn: PyValue, args: PyValue[]) => PyValue;
let caller: PyCaller = () => {
  throw new Error("no interpreter");
};
export function setCaller(c: PyCaller): void {
  caller = c;
}

export function isPyCallable(v: PyValue): boolean {
  return v instanceof PyFunction || v instanceof PyBoundMethod || v instanceof PyBuiltin || v instanceof StaticMethod || v instanceof ClassMethod;
}

export function toEngine(v: PyValue): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v !== "object" && typeof v !== "function") return v;
  if (v instanceof PyFloat) return v.v;
  if (v instanceof Tensor) return v;
  if (Array.isArray(v)) return v.map(toEngine);
  if (v instanceof PyTuple) return v.items.map(toEngine);
  if (v instanceof PyDtype) return v.engineName;
  if (v instanceof PySlice) return engine.slice(toEngine(v.lo) as number, toEngine(v.hi) as number, toEngine(v.step) as number);
  if (v === Ellipsis) return "...";
  if (v instanceof PyRange) return Array.from({ length: v.length }, (_, i) => v.at(i));
  if (v instanceof PySet) return v.items().map(toEngine);
  if (v instanceof EngineDict) return v.target;
  if (v instanceof PyDict) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v.entries()) o[String(k)] = toEngine(x);
    return o;
  }
  if (v instanceof EngineCallable) return (...args: unknown[]) => v.fn.apply(v.self, args);
  if (isPyCallable(v)) {
    // None is "nothing" to the engine's callbacks (a hook that returns None keeps the output)
    return (...args: unknown[]) => {
      const r = caller(v, args.map((a) => fromEngine(a)));
      return r === null ? undefined : toEngine(r);
    };
  }
  if (v instanceof PyClass) return v.jsCtor;
  return v;
}

/** Engine classes are constructors: `nn.Linear(2, 3)` constructs. */
const classes = new WeakMap<object, boolean>();
export function isEngineClass(fn: unknown): fn is new (...args: unknown[]) => object {
  if (typeof fn !== "function") return false;
  let known = classes.get(fn);
  if (known === undefined) {
    known = /^class\b/.test(Function.prototype.toString.call(fn));
    classes.set(fn, known);
  }
  return known;
}

function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

export function fromEngine(v: unknown, name = "function"): PyValue {
  if (v === undefined || v === null) return null;
  if (typeof v === "number") return Number.isInteger(v) ? v : float(v);
  if (typeof v !== "object" && typeof v !== "function") return v;
  if (v instanceof Tensor) return v;
  if (Array.isArray(v)) {
    const pair = v as unknown as { values?: unknown; indices?: unknown };
    if (v.length === 2 && pair.values instanceof Tensor && pair.indices instanceof Tensor) {
      return new PyNamedTuple(`torch.return_types.${name}`, ["values", "indices"], [pair.values, pair.indices]);
    }
    return v.map((x) => fromEngine(x));
  }
  if (typeof v === "function") return isEngineClass(v) ? v : new EngineCallable(v as (...a: unknown[]) => unknown, undefined, name);
  if (v instanceof Map) return new PyDict([...v.entries()].map(([k, x]) => [fromEngine(k), fromEngine(x)]));
  if (isPlainObject(v)) return new EngineDict(v as Record<string, unknown>);
  return v;
}

/**
 * An engine object seen as a dict: reads and writes go to the object itself, so
 * `optimizer.param_groups[0]['lr'] = 0.01` reaches the optimizer as in PyTorch (its keys are
 * strings; its values are converted on each read and write).
 */
export class EngineDict extends PyDict {
  constructor(readonly target: Record<string, unknown>) {
    super();
  }
  private own(k: PyValue): k is string {
    return typeof k === "string" && Object.prototype.hasOwnProperty.call(this.target, k);
  }
  override get size(): number {
    return Object.keys(this.target).length;
  }
  override get(k: PyValue): PyValue | undefined {
    return this.own(k) ? fromEngine(this.target[k], k) : undefined;
  }
  override has(k: PyValue): boolean {
    return this.own(k);
  }
  override set(k: PyValue, v: PyValue): void {
    this.target[String(k)] = toEngine(v);
  }
  override delete(k: PyValue): boolean {
    return this.own(k) && delete this.target[k];
  }
  override keys(): PyValue[] {
    return Object.keys(this.target);
  }
  override values(): PyValue[] {
    return this.entries().map((e) => e[1]);
  }
  override entries(): [PyValue, PyValue][] {
    return Object.entries(this.target).map(([k, x]) => [k, fromEngine(x, k)]);
  }
}
