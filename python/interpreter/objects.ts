/**
 * The interpreter's own callables and namespaces: user functions, bound methods, built-ins,
 * classes and modules. Instances of user classes are plain JavaScript objects whose prototype
 * carries their class (`PYCLASS`), so that a subclass of `nn.Module` is a real engine module.
 */
import type { Param, Stmt } from "../parse/ast";
import type { PyValue } from "../values/types";
import type { Scope } from "./scope";

/** A call's arguments after `*` and `**` are spread. */
export interface CallArgs {
  args: PyValue[];
  kwargs: Map<string, PyValue>;
}

/** `def f(...)` or `lambda ...:` with its closure and evaluated defaults. */
export class PyFunction {
  /** The class whose body defined it (zero-argument `super()`). */
  definingClass: PyClass | null = null;
  constructor(
    readonly name: string,
    readonly params: Param[],
    readonly defaults: Map<string, PyValue>,
    readonly body: Stmt[] | { expr: import("../parse/ast").Expr },
    readonly closure: Scope,
    readonly line: number,
  ) {}
}

/** A built-in function: takes Python values, returns one. */
export class PyBuiltin {
  constructor(
    readonly name: string,
    readonly fn: (call: CallArgs) => PyValue,
  ) {}
}

/** `obj.method`: a function with its first argument bound. */
export class PyBoundMethod {
  constructor(
    readonly self: PyValue,
    readonly fn: PyValue,
  ) {}
}

/** An engine function or method (camelCase name), called with keyword arguments mapped by signature. */
export class EngineCallable {
  constructor(
    readonly fn: (...args: unknown[]) => unknown,
    readonly self: unknown,
    /** The name the user wrote, for messages. */
    readonly pyName: string,
  ) {}
}

export class StaticMethod {
  constructor(readonly fn: PyValue) {}
}
export class ClassMethod {
  constructor(readonly fn: PyValue) {}
}
export class Property {
  constructor(
    readonly getter: PyValue,
    public setter: PyValue = null,
  ) {}
}

/** A module: `torch`, `torch.nn`, `math`, or the model file itself. */
export class PyModule {
  constructor(
    readonly name: string,
    readonly attrs: Map<string, PyValue>,
    /** An engine namespace whose names are read through the snake_case → camelCase rule. */
    readonly engine: Record<string, unknown> | null = null,
  ) {}
}

export const PYCLASS = Symbol("python class");

/** A class statement's result. `jsCtor` makes its instances (a subclass of an engine base when there is one). */
export class PyClass {
  readonly dict = new Map<string, PyValue>();
  mro: (PyClass | EngineClass)[] = [];
  jsCtor!: new (...args: unknown[]) => object;
  /** The engine class among the bases (nn.Module, autograd.Function), if any. */
  engineBase: EngineClass | null = null;
  constructor(
    readonly name: string,
    readonly bases: (PyClass | EngineClass)[],
    readonly module = "__main__",
  ) {}
}

/** An engine class (a JavaScript constructor: `torch.Tensor`, `nn.Module`). */
export type EngineClass = (abstract new (...args: never[]) => object) & { name: string };

export function pyClassOf(v: unknown): PyClass | null {
  if (typeof v !== "object" || v === null) return null;
  return ((v as Record<symbol, unknown>)[PYCLASS] as PyClass | undefined) ?? null;
}
