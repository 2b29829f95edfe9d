/** Python's built-in functions and types that lecture code uses (print, range, len, zip, isinstance…). */
import { Tensor } from "../../engine/index";
import { ClassMethod, PyBuiltin, PyClass, PyFunction, Property, StaticMethod, pyClassOf, type CallArgs } from "./objects";
import { EXCEPTIONS, pyError } from "./errors";
import { float, PyDict, PyFloat, PyRange, PySet, PyTuple, type PyValue } from "../values/types";
import { binaryOp, compareOp, numberOf, truthy } from "../values/arith";
import { toArray } from "../values/iterate";
import { dictUpdate } from "../values/methods";
import { fixed, formatValue } from "../values/format";
import { repr, str } from "../values/repr";
import { sortValues } from "../values/sort";
import { typeName } from "../values/typeName";
import { isEngineClass } from "../torch/bridge";
import { findAttr, getAttr, setAttr } from "./attributes";
import { PySuper } from "./classes";
import type { Interpreter } from "./interpreter";

/** A built-in type: callable (`int("3")`) and a target of `isinstance`. */
export class BuiltinType extends PyBuiltin {
  constructor(
    name: string,
    fn: (c: CallArgs) => PyValue,
    readonly check: (v: PyValue) => boolean,
  ) {
    super(name, fn);
  }
}

const kw = (c: CallArgs, name: string, dflt: PyValue): PyValue => (c.kwargs.has(name) ? c.kwargs.get(name) : dflt);

function toInt(v: PyValue): number {
  if (typeof v === "string") {
    const n = Number(v.trim());
    if (!Number.isInteger(n)) throw pyError("ValueError", `invalid literal for int() with base 10: ${repr(v)}`);
    return n;
  }
  if (v instanceof Tensor) return Math.trunc(v.item());
  const n = numberOf(v);
  if (n === null) throw pyError("TypeError", `int() argument must be a string, a bytes-like object or a real number, not '${typeName(v)}'`);
  return Math.trunc(n);
}

function toFloat(v: PyValue): PyFloat {
  if (typeof v === "string") {
    const t = v.trim().toLowerCase();
    const n = t === "inf" || t === "+inf" ? Infinity : t === "-inf" ? -Infinity : t === "nan" ? NaN : Number(t);
    if (Number.isNaN(n) && t !== "nan") throw pyError("ValueError", `could not convert string to float: ${repr(v)}`);
    return float(n);
  }
  if (v instanceof Tensor) return float(v.item());
  const n = numberOf(v);
  if (n === null) throw pyError("TypeError", `float() argument must be a string or a real number, not '${typeName(v)}'`);
  return float(n);
}

function minMax(interp: Interpreter, c: CallArgs, which: "<" | ">"): PyValue {
  const items = c.args.length === 1 ? toArray(c.args[0]) : c.args;
  const key = kw(c, "key", null);
  if (!items.length) {
    if (c.kwargs.has("default")) return c.kwargs.get("default");
    throw pyError("ValueError", `${which === "<" ? "min" : "max"}() arg is an empty sequence`);
  }
  let best = items[0];
  let bestKey = key ? interp.call(key, [best]) : best;
  for (const v of items.slice(1)) {
    const k = key ? interp.call(key, [v]) : v;
    if (truthy(compareOp(which, k, bestKey))) {
      best = v;
      bestKey = k;
    }
  }
  return best;
}

export function isInstance(v: PyValue, t: PyValue): boolean {
  if (t instanceof PyTuple) return t.items.some((x) => isInstance(v, x));
  if (t instanceof BuiltinType) return t.check(v);
  if (t instanceof PyClass) return !!pyClassOf(v)?.mro.includes(t);
  if (isEngineClass(t)) return v instanceof (t as new () => object);
  throw pyError("TypeError", "isinstance() arg 2 must be a type, a tuple of types, or a union");
}

export function makeBuiltins(interp: Interpreter, print: (text: string) => void): Map<string, PyValue> {
  const b = new Map<string, PyValue>();
  const def = (name: string, fn: (c: CallArgs) => PyValue) => b.set(name, new PyBuiltin(name, fn));
  const type = (name: string, fn: (c: CallArgs) => PyValue, check: (v: PyValue) => boolean) => b.set(name, new BuiltinType(name, fn, check));

  def("print", (c) => {
    const sep = kw(c, "sep", " ");
    const end = kw(c, "end", "\n");
    print(c.args.map(str).join(sep === null ? " " : (sep as string)) + (end === null ? "\n" : (end as string)));
    return null;
  });
  def("len", ({ args: [v] }) => {
    if (typeof v === "string" || Array.isArray(v)) return v.length;
    if (v instanceof PyTuple) return v.items.length;
    if (v instanceof PyDict || v instanceof PySet) return v.size;
    if (v instanceof PyRange) return v.length;
    if (v instanceof Tensor) {
      if (v.dim() === 0) throw pyError("TypeError", "len() of a 0-d tensor");
      return v.shape[0];
    }
    const own = findAttr(interp, v, "__len__");
    if (own !== undefined) return interp.call(own, []);
    const n = (v as { length?: unknown })?.length;
    if (typeof n === "number") return n;
    throw pyError("TypeError", `object of type '${typeName(v)}' has no len()`);
  });
  type(
    "range",
    ({ args }) => {
      const n = args.map((a) => {
        const x = numberOf(a);
        if (x === null || !Number.isInteger(x) || a instanceof PyFloat) throw pyError("TypeError", `'${typeName(a)}' object cannot be interpreted as an integer`);
        return x;
      });
      const [start, stop, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
      if (step === 0) throw pyError("ValueError", "range() arg 3 must not be zero");
      return new PyRange(start, stop, step);
    },
    (v) => v instanceof PyRange,
  );
  def("enumerate", (c) => {
    let i = numberOf(kw(c, "start", c.args[1] ?? 0))!;
    return toArray(c.args[0]).map((v) => new PyTuple([i++, v]));
  });
  def("zip", ({ args }) => {
    const lists = args.map(toArray);
    const n = lists.length ? Math.min(...lists.map((l) => l.length)) : 0;
    return Array.from({ length: n }, (_, i) => new PyTuple(lists.map((l) => l[i])));
  });
  def("sum", (c) => toArray(c.args[0]).reduce((acc, v) => binaryOp("+", acc, v), kw(c, "start", c.args[1] ?? 0)));
  def("min", (c) => minMax(interp, c, "<"));
  def("max", (c) => minMax(interp, c, ">"));
  def("abs", ({ args: [v] }) => {
    if (v instanceof Tensor) return v.abs();
    if (v instanceof PyFloat) return float(Math.abs(v.v));
    return Math.abs(numberOf(v)!);
  });
  def("round", ({ args: [v, nd] }) => {
    const x = v instanceof Tensor ? v.item() : numberOf(v)!;
    if (nd === undefined || nd === null) return Number(fixed(x, 0));
    return float(Number(fixed(x, nd as number)));
  });
  def("divmod", ({ args: [a, q] }) => new PyTuple([binaryOp("//", a, q), binaryOp("%", a, q)]));
  def("pow", ({ args: [a, e] }) => binaryOp("**", a, e));
  def("isinstance", ({ args: [v, t] }) => isInstance(v, t));
  def("issubclass", ({ args: [a, t] }) => a instanceof PyClass && t instanceof PyClass && a.mro.includes(t));
  def("sorted", (c) => sortValues(toArray(c.args[0]), kw(c, "key", null), truthy(kw(c, "reverse", false))));
  def("reversed", ({ args: [v] }) => toArray(v).reverse());
  def("map", ({ args: [f, ...its] }) => {
    const lists = its.map(toArray);
    const n = Math.min(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => interp.call(f, lists.map((l) => l[i])));
  });
  def("filter", ({ args: [f, it] }) => toArray(it).filter((v) => truthy(f === null ? v : interp.call(f, [v]))));
  def("any", ({ args: [it] }) => toArray(it).some(truthy));
  def("all", ({ args: [it] }) => toArray(it).every(truthy));
  def("iter", ({ args: [v] }) => toArray(v));
  def("next", ({ args: [v, dflt] }) => {
    if (Array.isArray(v) && v.length) return v.shift();
    if (dflt !== undefined) return dflt;
    throw pyError("StopIteration", "");
  });
  def("repr", ({ args: [v] }) => repr(v));
  def("format", ({ args: [v, spec] }) => formatValue(v, (spec as string) ?? ""));
  def("hasattr", ({ args: [o, n] }) => findAttr(interp, o, n as string) !== undefined);
  def("getattr", ({ args: [o, n, dflt] }) => {
    const v = findAttr(interp, o, n as string);
    if (v !== undefined) return v;
    if (dflt !== undefined) return dflt;
    return getAttr(interp, o, n as string);
  });
  def("setattr", ({ args: [o, n, v] }) => (setAttr(interp, o, n as string, v), null));
  def("callable", ({ args: [v] }) => v instanceof PyFunction || v instanceof PyBuiltin || v instanceof PyClass || typeof v === "function");
  def("id", ({ args: [v] }) => (typeof v === "object" && v !== null ? 0x7f0000 + Math.abs(Number(repr(v).length)) : 0));
  def("type", ({ args: [v] }) => pyClassOf(v) ?? b.get(typeName(v)) ?? (v as object)?.constructor ?? null);
  def("super", ({ args }) => {
    if (args.length === 2) return new PySuper(args[0] as PyClass, args[1] as object);
    const frame = interp.frame;
    const cls = frame.fn?.definingClass;
    const first = frame.fn?.params[0];
    if (!cls || !first) throw pyError("RuntimeError", "super(): no arguments");
    return new PySuper(cls, frame.scope.vars.get(first.name) as object);
  });
  def("staticmethod", ({ args: [f] }) => new StaticMethod(f));
  def("classmethod", ({ args: [f] }) => new ClassMethod(f));
  def("property", ({ args: [f] }) => new Property(f));

  type("int", ({ args }) => (args.length ? toInt(args[0]) : 0), (v) => typeof v === "number" || typeof v === "boolean");
  type("float", ({ args }) => (args.length ? toFloat(args[0]) : float(0)), (v) => v instanceof PyFloat);
  type("str", ({ args }) => (args.length ? str(args[0]) : ""), (v) => typeof v === "string");
  type("bool", ({ args }) => (args.length ? truthy(args[0]) : false), (v) => typeof v === "boolean");
  type("list", ({ args }) => (args.length ? toArray(args[0]) : []), Array.isArray);
  type("tuple", ({ args }) => new PyTuple(args.length ? toArray(args[0]) : []), (v) => v instanceof PyTuple);
  type("set", ({ args }) => new PySet(args.length ? toArray(args[0]) : []), (v) => v instanceof PySet);
  type(
    "dict",
    (c) => dictUpdate(new PyDict(), c),
    (v) => v instanceof PyDict,
  );
  type("object", () => ({}), () => true);
  for (const [name, cls] of Object.entries(EXCEPTIONS)) b.set(name, cls);
  b.set("NotImplemented", null);
  b.set("__name__", "__main__");
  return b;
}
