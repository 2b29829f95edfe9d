/**
 * Name lookup, Python's LEGB: a function's locals, the enclosing functions', the module's
 * globals, the built-ins. A class body is a scope of its own that the methods it defines do
 * not see (their closure is the class's enclosing scope).
 */
import type { PyValue } from "../values/types";

export class Scope {
  readonly vars = new Map<string, PyValue>();
  /** Names declared `global` (or `nonlocal`: assigned in the scope that has them). */
  globalNames: Set<string> | null = null;
  nonlocalNames: Set<string> | null = null;

  constructor(
    readonly parent: Scope | null,
    readonly isClass = false,
  ) {}

  lookup(name: string): { found: boolean; value: PyValue } {
    if (this.vars.has(name)) return { found: true, value: this.vars.get(name) };
    for (let s = this.parent; s; s = s.parent) {
      if (s.isClass) continue;
      if (s.vars.has(name)) return { found: true, value: s.vars.get(name) };
    }
    return { found: false, value: undefined };
  }

  assign(name: string, value: PyValue): void {
    if (this.globalNames?.has(name)) {
      this.moduleScope().vars.set(name, value);
      return;
    }
    if (this.nonlocalNames?.has(name)) {
      for (let s = this.parent; s; s = s.parent) {
        if (s.vars.has(name)) {
          s.vars.set(name, value);
          return;
        }
      }
    }
    this.vars.set(name, value);
  }

  delete(name: string): boolean {
    return this.vars.delete(name);
  }

  /** The module's scope: the one below the built-ins. */
  moduleScope(): Scope {
    if (!this.parent?.parent) return this;
    let s = this.parent;
    while (s.parent?.parent) s = s.parent;
    return s;
  }
}
