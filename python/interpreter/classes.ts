/**
 * `class Net(nn.Module):` — a user class is a JavaScript class made at run time (no code
 * generation: `class extends Base {}`), a subclass of its engine base when it has one, so an
 * instance IS an engine module: attributes assigned in `__init__` are its fields (the engine
 * finds submodules and parameters there, as PyTorch's `__setattr__` registers them), its
 * `forward` is the Python method, and `parameters()`, hooks and the tracer work unchanged.
 * An `autograd.Function` subclass gets static `forward`/`backward` that run the Python ones.
 */
import * as engine from "../../engine/index";
import { ClassMethod, PYCLASS, Property, PyClass, PyFunction, StaticMethod, type CallArgs, type EngineClass } from "./objects";
import { EXCEPTIONS, pyError } from "./errors";
import { PyTuple, type PyValue } from "../values/types";
import { fromEngine, isEngineClass, toEngine } from "../torch/bridge";
import type { Interpreter } from "./interpreter";
import { invoke } from "./calls";

/** Python's C3 linearisation (engine classes are leaves: their own chain is JavaScript's). */
function linearize(cls: PyClass, bases: (PyClass | EngineClass)[]): (PyClass | EngineClass)[] {
  const seqs = bases.map((b) => (b instanceof PyClass ? b.mro.slice() : [b]));
  seqs.push(bases.slice());
  const out: (PyClass | EngineClass)[] = [cls];
  for (;;) {
    const live = seqs.filter((s) => s.length);
    if (!live.length) return out;
    const head = live.map((s) => s[0]).find((h) => !live.some((s) => s.indexOf(h) > 0));
    if (!head) throw pyError("TypeError", "Cannot create a consistent method resolution order (MRO)");
    out.push(head);
    for (const s of live) if (s[0] === head) s.shift();
  }
}

export function makeClass(interp: Interpreter, name: string, baseValues: PyValue[], dict: Map<string, PyValue>): PyClass {
  const bases = baseValues.map((b) => {
    if (b instanceof PyClass || isEngineClass(b)) return b as PyClass | EngineClass;
    throw pyError("TypeError", `Gradlens cannot subclass ${String(b)}`);
  });
  const cls = new PyClass(name, bases);
  cls.mro = linearize(cls, bases);
  for (const [k, v] of dict) {
    cls.dict.set(k, v);
    const fn = v instanceof StaticMethod || v instanceof ClassMethod ? v.fn : v instanceof Property ? v.getter : v;
    if (fn instanceof PyFunction) fn.definingClass = cls;
  }
  cls.engineBase = (cls.mro.find((c) => !(c instanceof PyClass)) as EngineClass | undefined) ?? null;
  const first = bases[0];
  const Parent = (first instanceof PyClass ? first.jsCtor : first) as (new () => object) | undefined;
  const ctor = Parent ? class extends Parent {} : class {};
  Object.defineProperty(ctor, "name", { value: name });
  (ctor.prototype as Record<symbol, unknown>)[PYCLASS] = cls;
  cls.jsCtor = ctor as never;
  wireEngineHooks(interp, cls);
  return cls;
}

/**
 * A module call's keywords, held for the Python forward that the engine's wrapped forward
 * runs: the wrapper and its hooks see the positional inputs only, as PyTorch 1.13's do.
 */
const forwardKeywords = new WeakMap<object, Map<string, PyValue>>();

export function forwardWithKeywords(m: engine.nn.Module, args: unknown[], kwargs: Map<string, PyValue>): unknown {
  forwardKeywords.set(m, kwargs);
  try {
    return m.forward(...args);
  } finally {
    forwardKeywords.delete(m);
  }
}

/** Where the engine calls into the class: a module's forward, a Function's forward and backward. */
function wireEngineHooks(interp: Interpreter, cls: PyClass): void {
  const proto = cls.jsCtor.prototype as Record<string, unknown>;
  const forward = lookupClassAttr(cls, "forward");
  if (forward instanceof PyFunction && proto instanceof engine.nn.Module) {
    proto.forward = function (this: object, ...args: unknown[]) {
      const kwargs = forwardKeywords.get(this) ?? new Map<string, PyValue>();
      forwardKeywords.delete(this);
      return toEngine(invoke(interp, forward, { args: [this, ...args.map((a) => fromEngine(a))], kwargs }));
    };
  }
  if (proto instanceof engine.autograd.Function) {
    const statics = cls.jsCtor as unknown as Record<string, unknown>;
    for (const name of ["forward", "backward"]) {
      const m = lookupClassAttr(cls, name);
      const fn = m instanceof StaticMethod ? m.fn : m;
      if (!(fn instanceof PyFunction)) continue;
      statics[name] = (...args: unknown[]) => toEngine(invoke(interp, fn, { args: args.map((a) => fromEngine(a)), kwargs: new Map() }));
    }
  }
}

/** A name in the class's own dicts along its MRO (undefined: not there). */
export function lookupClassAttr(cls: PyClass, name: string): PyValue | undefined {
  for (const c of cls.mro) {
    if (c instanceof PyClass && c.dict.has(name)) return c.dict.get(name);
  }
  return undefined;
}

/** `Net(...)`: makes the instance (the engine base's constructor runs here), then `__init__`. */
export function instantiate(interp: Interpreter, cls: PyClass, c: CallArgs): PyValue {
  const isException = cls.mro.includes(EXCEPTIONS.BaseException);
  let obj: object;
  if (cls.engineBase) {
    try {
      obj = Reflect.construct(cls.jsCtor, []);
    } catch (e) {
      throw pyError("TypeError", `Gradlens cannot subclass ${cls.engineBase.name} here: ${(e as Error).message}`);
    }
  } else obj = Object.create(cls.jsCtor.prototype);
  if (isException) (obj as { args: PyTuple }).args = new PyTuple(c.args);
  const init = lookupClassAttr(cls, "__init__");
  if (init instanceof PyFunction) {
    const r = invoke(interp, init, { args: [obj, ...c.args], kwargs: c.kwargs });
    if (r !== null) throw pyError("TypeError", `__init__() should return None, not '${typeof r}'`);
  } else if (!isException && !cls.engineBase && (c.args.length || c.kwargs.size)) {
    throw pyError("TypeError", `${cls.name}() takes no arguments`);
  }
  return obj;
}

/** `super()` / `super(Net, self)`: the MRO after `cls`, bound to `self`. */
export class PySuper {
  constructor(
    readonly cls: PyClass,
    readonly self: object,
  ) {}
}
