/**
 * `obj.name` and `obj.name = v`. A user object's own attributes and its class's methods come
 * first (as Python's instance dict and class dict); an engine object's names go through the
 * one snake_case → camelCase rule (`requires_grad` → `requiresGrad`). A name the engine lacks
 * is reported as the user wrote it: `module 'torch.nn' has no attribute 'Foo'`.
 */
import { ClassMethod, EngineCallable, Property, PyBoundMethod, PyBuiltin, PyClass, PyFunction, PyModule, StaticMethod, pyClassOf } from "./objects";
import { pyError } from "./errors";
import { PyNamedTuple, PyTuple, type PyValue } from "../values/types";
import { fromEngine, isEngineClass, toEngine } from "../torch/bridge";
import { camelToSnake, snakeToCamel } from "../torch/names";
import { adaptedAttr } from "../torch/tensorAttrs";
import { builtinMethod } from "../values/methods";
import { typeName } from "../values/typeName";
import { lookupClassAttr, PySuper } from "./classes";
import { invoke } from "./calls";
import type { Interpreter } from "./interpreter";

/** The engine's key for a Python name on `obj` (the name itself, or its camelCase). */
function engineKey(obj: object, name: string): string | null {
  if (name in obj) return name;
  const camel = snakeToCamel(name);
  return camel !== name && camel in obj ? camel : null;
}

/** An engine property's Python value: methods bound, classes as they are, data converted. */
function engineValue(obj: object, key: string, name: string): PyValue {
  const v = (obj as Record<string, unknown>)[key];
  if (typeof v === "function") return isEngineClass(v) ? v : new EngineCallable(v as (...a: unknown[]) => unknown, obj, name);
  if (v !== null && typeof v === "object" && isNamespace(v)) return new PyModule(name, new Map(), v as Record<string, unknown>);
  // a layer's settings are tuples in PyTorch (`conv.kernel_size` is `(3, 3)`)
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "number")) return new PyTuple(v);
  return fromEngine(v, name);
}

/** An engine namespace (`nn.functional`, `nn.init`): a plain object of functions. */
function isNamespace(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  if (p !== Object.prototype && p !== null) return false;
  return Object.values(v).some((x) => typeof x === "function");
}

/** A class attribute read through an instance: methods bound to it. */
function bind(interp: Interpreter, v: PyValue, self: object, cls: PyClass): PyValue {
  if (v instanceof PyFunction) return new PyBoundMethod(self, v);
  if (v instanceof StaticMethod) return v.fn;
  if (v instanceof ClassMethod) return new PyBoundMethod(cls, v.fn);
  if (v instanceof Property) return invoke(interp, v.getter as PyFunction, { args: [self], kwargs: new Map() });
  return v;
}

export function getAttr(interp: Interpreter, obj: PyValue, name: string): PyValue {
  const v = findAttr(interp, obj, name);
  if (v !== undefined) return v;
  if (obj instanceof PyModule) {
    const near = nearestName(name, moduleNames(obj));
    const hint = near ? `. Did you mean: '${near}'?` : "";
    throw pyError("AttributeError", `module '${obj.name}' has no attribute '${name}'${hint}`);
  }
  if (obj instanceof PyClass || isEngineClass(obj)) {
    throw pyError("AttributeError", `type object '${(obj as { name: string }).name}' has no attribute '${name}'`);
  }
  throw pyError("AttributeError", `'${typeName(obj)}' object has no attribute '${name}'`);
}

/** `hasattr`: the attribute's value, or undefined. */
export function findAttr(interp: Interpreter, obj: PyValue, name: string): PyValue | undefined {
  if (obj === null || obj === undefined) return undefined;
  if (obj instanceof PyModule) {
    if (obj.attrs.has(name)) return obj.attrs.get(name);
    if (obj.engine) {
      const key = engineKey(obj.engine, name);
      if (key) return engineValue(obj.engine, key, name);
    }
    return undefined;
  }
  if (obj instanceof PySuper) return superAttr(obj, name);
  if (obj instanceof PyClass) {
    if (name === "__name__") return obj.name;
    const v = lookupClassAttr(obj, name);
    if (v instanceof ClassMethod) return new PyBoundMethod(obj, v.fn);
    if (v instanceof StaticMethod) return v.fn;
    if (v !== undefined) return v;
    const key = engineKey(obj.jsCtor, name);
    return key ? engineValue(obj.jsCtor, key, name) : undefined;
  }
  if (typeof obj === "object" || typeof obj === "function") {
    const o = obj as object;
    const cls = pyClassOf(o);
    if (cls) {
      if (Object.prototype.hasOwnProperty.call(o, name)) {
        const own = (o as Record<string, unknown>)[name];
        return typeof own === "function" ? new EngineCallable(own as (...a: unknown[]) => unknown, o, name) : (own as PyValue);
      }
      const v = lookupClassAttr(cls, name);
      if (v !== undefined) return bind(interp, v, o, cls);
      if (name === "__class__") return cls;
    }
    if (obj instanceof PyNamedTuple) {
      const i = obj.fields.indexOf(name);
      if (i >= 0) return obj.items[i];
    }
    const adapted = adaptedAttr(o, name);
    if (adapted !== undefined) return adapted;
    const method = builtinMethod(o, name);
    if (method) return method;
    if (name === "__name__" && typeof o === "function") return (o as { name: string }).name;
    if (o instanceof PyBuiltin || o instanceof PyFunction) return name === "__name__" ? o.name : undefined;
    const key = engineKey(o, name);
    if (key) return engineValue(o, key, name);
    return undefined;
  }
  if (typeof obj === "string") return builtinMethod(obj, name) ?? undefined;
  return undefined;
}

function superAttr(s: PySuper, name: string): PyValue | undefined {
  const own = pyClassOf(s.self);
  const mro = own ? own.mro : [];
  const start = mro.indexOf(s.cls);
  for (const c of mro.slice(start + 1)) {
    if (c instanceof PyClass) {
      if (c.dict.has(name)) {
        const v = c.dict.get(name);
        if (v instanceof PyFunction) return new PyBoundMethod(s.self, v);
        if (v instanceof StaticMethod) return v.fn;
        return v;
      }
      continue;
    }
    // an engine base: its constructor already ran when the instance was made
    if (name === "__init__") return new PyBuiltin("__init__", () => null);
    const proto = (c as unknown as { prototype: object }).prototype;
    const key = engineKey(proto, name);
    if (key) {
      const fn = (proto as Record<string, unknown>)[key];
      if (typeof fn === "function") return new EngineCallable(fn as (...a: unknown[]) => unknown, s.self, name);
    }
  }
  if (name === "__init__") return new PyBuiltin("__init__", () => null);
  return undefined;
}

export function setAttr(interp: Interpreter, obj: PyValue, name: string, value: PyValue): void {
  if (obj instanceof PyModule) {
    obj.attrs.set(name, value);
    return;
  }
  if (obj instanceof PyClass) {
    obj.dict.set(name, value);
    return;
  }
  if (obj === null || typeof obj !== "object") throw pyError("AttributeError", `'${typeName(obj)}' object has no attribute '${name}'`);
  const o = obj as Record<string, unknown>;
  const cls = pyClassOf(o);
  const prop = cls ? lookupClassAttr(cls, name) : undefined;
  if (prop instanceof Property) {
    if (!prop.setter) throw pyError("AttributeError", `can't set attribute '${name}'`);
    invoke(interp, prop.setter as PyFunction, { args: [o, value], kwargs: new Map() });
    return;
  }
  // a user object's attributes keep their Python values (the engine reads only the modules
  // and tensors among them, which are the same objects either way)
  if (cls) {
    o[name] = value;
    return;
  }
  const key = engineKey(o, name);
  o[key ?? name] = key ? toEngine(value) : value;
}

export function delAttr(obj: PyValue, name: string): void {
  if (obj !== null && typeof obj === "object" && Object.prototype.hasOwnProperty.call(obj, name)) {
    delete (obj as Record<string, unknown>)[name];
    return;
  }
  throw pyError("AttributeError", name);
}

/** The names a module offers, as Python spells them (`conv_transpose2d`, `Conv2d`). */
function moduleNames(m: PyModule): string[] {
  const names = [...m.attrs.keys()];
  if (m.engine) {
    for (const [k, v] of Object.entries(m.engine)) names.push(isEngineClass(v) ? k : camelToSnake(k));
  }
  return names;
}

/** Python 3.12's "Did you mean": the closest name by edit distance (case differences count half). */
function nearestName(name: string, names: string[]): string | null {
  let best: string | null = null;
  let bestCost = Math.max(1, Math.floor(name.length / 3)) + 0.5;
  for (const n of names) {
    const cost = editCost(name, n);
    if (cost < bestCost) [best, bestCost] = [n, cost];
  }
  return best;
}

function editCost(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const sub = a[i - 1] === b[j - 1] ? 0 : a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0.5 : 1;
      const next = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + sub);
      diag = prev[j];
      prev[j] = next;
    }
  }
  return prev[b.length];
}
