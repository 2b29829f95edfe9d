/**
 * Calling things: user functions (binding positional, keyword, default, *args and **kwargs
 * parameters as Python does), bound methods, built-ins, classes, engine functions (keywords
 * placed by the generated signature table) and modules (`net(x)` runs `forward`).
 */
import * as engine from "../../engine/index";
import type { Expr, Param, Stmt } from "../parse/ast";
import { Scope } from "./scope";
import { ClassMethod, EngineCallable, PyBoundMethod, PyBuiltin, PyClass, PyFunction, StaticMethod, pyClassOf, type CallArgs } from "./objects";
import { pyError } from "./errors";
import { PyDict, PyTuple, type PyValue } from "../values/types";
import { fromEngine, isEngineClass, toEngine } from "../torch/bridge";
import { placeKeywords } from "../torch/names";
import { typeName } from "../values/typeName";
import { forwardWithKeywords, instantiate, lookupClassAttr } from "./classes";
import { CallbackContext } from "./contexts";
import { Signal, type Interpreter } from "./interpreter";

const MAX_DEPTH = 500;

export function makeFunction(
  interp: Interpreter,
  name: string,
  params: Param[],
  body: Stmt[] | { expr: Expr },
  scope: Scope,
  line: number,
): PyFunction {
  const defaults = new Map<string, PyValue>();
  for (const p of params) if (p.default) defaults.set(p.name, interp.eval(p.default, scope));
  // a function defined in a class body closes over the class's enclosing scope
  const closure = scope.isClass ? scope.parent! : scope;
  return new PyFunction(name, params, defaults, body, closure, line);
}

export function callValue(interp: Interpreter, fn: PyValue, c: CallArgs): PyValue {
  if (fn instanceof PyFunction) return invoke(interp, fn, c);
  if (fn instanceof PyBoundMethod) return callValue(interp, fn.fn, { args: [fn.self, ...c.args], kwargs: c.kwargs });
  if (fn instanceof PyBuiltin) return fn.fn(c);
  if (fn instanceof EngineCallable) return callEngine(fn.fn, fn.self, fn.pyName, c);
  if (fn instanceof PyClass) return instantiate(interp, fn, c);
  if (fn instanceof StaticMethod) return callValue(interp, fn.fn, c);
  if (fn instanceof ClassMethod) return callValue(interp, fn.fn, c);
  if (fn instanceof CallbackContext) return fn.decorate(interp, c);
  if (isEngineClass(fn)) {
    const args = placeKeywords(fn as never, fn.name, c.args.map(toEngine), convertKwargs(c.kwargs));
    return fromEngine(Reflect.construct(fn, args));
  }
  if (fn instanceof engine.nn.Module) {
    const cls = pyClassOf(fn);
    const own = cls ? lookupClassAttr(cls, "__call__") : undefined;
    if (own instanceof PyFunction) return invoke(interp, own, { args: [fn, ...c.args], kwargs: c.kwargs });
    return callModule(fn, c);
  }
  const cls = pyClassOf(fn);
  const callMethod = cls ? lookupClassAttr(cls, "__call__") : undefined;
  if (callMethod instanceof PyFunction) return invoke(interp, callMethod, { args: [fn, ...c.args], kwargs: c.kwargs });
  if (typeof fn === "function") return callEngine(fn as (...a: unknown[]) => unknown, undefined, fn.name, c);
  throw pyError("TypeError", `'${typeName(fn)}' object is not callable`);
}

/**
 * `net(x, mask=m)`: the engine's wrapped forward (trace scope, hooks) with the positional
 * inputs; the keywords go to a Python forward as they are, to an engine module's forward by
 * its signature (`attn(q, k, v, need_weights=False)`).
 */
function callModule(m: engine.nn.Module, c: CallArgs): PyValue {
  const args = c.args.map(toEngine);
  if (!c.kwargs.size) return fromEngine(m.forward(...args));
  const cls = pyClassOf(m);
  if (cls && lookupClassAttr(cls, "forward") instanceof PyFunction) return fromEngine(forwardWithKeywords(m, args, c.kwargs));
  const engineForward = (Object.getPrototypeOf(m) as { forward: (...a: unknown[]) => unknown }).forward;
  return fromEngine(m.forward(...placeKeywords(engineForward, "forward", args, convertKwargs(c.kwargs))));
}

function convertKwargs(kwargs: Map<string, PyValue>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of kwargs) out.set(k, toEngine(v));
  return out;
}

export function callEngine(fn: (...a: unknown[]) => unknown, self: unknown, pyName: string, c: CallArgs): PyValue {
  const args = placeKeywords(fn, pyName, c.args.map(toEngine), convertKwargs(c.kwargs));
  return fromEngine(fn.apply(self, args), pyName);
}

/** Runs a user function: a new scope with its parameters bound, then its body. */
export function invoke(interp: Interpreter, fn: PyFunction, c: CallArgs): PyValue {
  if (interp.frames.length > MAX_DEPTH) throw pyError("RecursionError", "maximum recursion depth exceeded");
  const scope = new Scope(fn.closure);
  bindParams(fn, c, scope);
  const frame = { scope, fn, line: fn.line, returnValue: null as PyValue };
  interp.frames.push(frame);
  try {
    if ("expr" in fn.body) return interp.eval(fn.body.expr, scope);
    const sig = interp.execBlock(fn.body, scope);
    return sig === Signal.Return ? frame.returnValue : null;
  } finally {
    interp.frames.pop();
  }
}

function bindParams(fn: PyFunction, c: CallArgs, scope: Scope): void {
  const { args, kwargs } = c;
  const vars = scope.vars;
  let i = 0;
  const usedKw = new Set<string>();
  let starName: string | null = null;
  let dstarName: string | null = null;
  const missing: string[] = [];
  for (const p of fn.params) {
    if (p.kind === "star") {
      starName = p.name;
      vars.set(p.name, new PyTuple(args.slice(i)));
      i = args.length;
      continue;
    }
    if (p.kind === "dstar") {
      dstarName = p.name;
      continue;
    }
    if (p.kind === "normal" && i < args.length) {
      if (kwargs.has(p.name)) throw pyError("TypeError", `${fn.name}() got multiple values for argument '${p.name}'`);
      vars.set(p.name, args[i++]);
    } else if (kwargs.has(p.name)) {
      vars.set(p.name, kwargs.get(p.name));
      usedKw.add(p.name);
    } else if (fn.defaults.has(p.name)) vars.set(p.name, fn.defaults.get(p.name));
    else missing.push(p.name);
  }
  if (missing.length) {
    const names = missing.map((n) => `'${n}'`).join(missing.length === 2 ? " and " : ", ");
    throw pyError("TypeError", `${fn.name}() missing ${missing.length} required positional argument${missing.length > 1 ? "s" : ""}: ${names}`);
  }
  if (i < args.length && !starName) {
    const n = fn.params.filter((p) => p.kind === "normal").length;
    throw pyError("TypeError", `${fn.name}() takes ${n} positional argument${n === 1 ? "" : "s"} but ${args.length} ${args.length === 1 ? "was" : "were"} given`);
  }
  const extra = [...kwargs.keys()].filter((k) => !usedKw.has(k));
  if (dstarName) vars.set(dstarName, new PyDict(extra.map((k) => [k, kwargs.get(k)])));
  else if (extra.length) throw pyError("TypeError", `${fn.name}() got an unexpected keyword argument '${extra[0]}'`);
}
