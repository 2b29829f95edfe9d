/**
 * The tree-walking interpreter: statements and expressions of the AST (parse/ast.ts) over
 * Python values (values/) and the engine. Control flow is a return code (`Signal`), not an
 * exception, so `break` inside `with torch.no_grad():` leaves the engine's grad mode right.
 * Every statement that lets an error through stamps it with its line (the innermost line of
 * each frame), which is the traceback the runner reports (traceback.ts). Assignment, augmented
 * assignment and `del` are in assignment.ts.
 */
import type { Expr, Stmt } from "../parse/ast";
import { Scope } from "./scope";
import { PyFunction, PyClass, PyBuiltin, type CallArgs } from "./objects";
import { asPyException, EXCEPTIONS, exceptionMatches, newException, PyRaise, pyError, type PyExceptionObject } from "./errors";
import { binaryOp, compareOp, truthy, unaryOp } from "../values/arith";
import { Ellipsis, float, PyDict, PySet, PySlice, PyTuple, type PyValue } from "../values/types";
import { iterate, toArray } from "../values/iterate";
import { getItem } from "../values/subscript";
import { formatValue } from "../values/format";
import { repr, str } from "../values/repr";
import { callValue, makeFunction } from "./calls";
import { getAttr } from "./attributes";
import { makeClass } from "./classes";
import { enterContext } from "./contexts";
import type { Runtime } from "./runtime";
import { assignTo, augAssign, deleteTarget } from "./assignment";
import { isCatchable, stamp } from "./traceback";

export { tracebackFrames, tracebackLines } from "./traceback";

export const enum Signal {
  Normal,
  Break,
  Continue,
  Return,
}

/** One running function (or the module): its scope, its function, the line it is on. */
export interface Frame {
  scope: Scope;
  fn: PyFunction | null;
  line: number;
  returnValue: PyValue;
}

export class Interpreter {
  readonly frames: Frame[] = [];
  /** Exceptions being handled (`raise` with no argument re-raises the innermost). */
  private readonly handling: unknown[] = [];

  constructor(readonly runtime: Runtime) {}

  get frame(): Frame {
    return this.frames[this.frames.length - 1];
  }

  /** The line being run. */
  get line(): number {
    return this.frame?.line ?? 0;
  }

  /** Calls in progress in the file, innermost last: where an op the engine runs was called from. */
  readonly callSites: { line: number; column: number }[] = [];

  /** Where the file is: the innermost call in progress, else the statement's line. */
  callSite(): { line: number; column: number } {
    return this.callSites[this.callSites.length - 1] ?? { line: this.line, column: 1 };
  }

  execBlock(body: Stmt[], scope: Scope): Signal {
    for (const s of body) {
      const sig = this.exec(s, scope);
      if (sig !== Signal.Normal) return sig;
    }
    return Signal.Normal;
  }

  exec(s: Stmt, scope: Scope): Signal {
    const frame = this.frame;
    frame.line = s.line;
    try {
      return this.run(s, scope, frame);
    } catch (e) {
      stamp(e, this.frames.length, s.line, frame.fn?.name ?? "<module>");
      throw e;
    }
  }

  private run(s: Stmt, scope: Scope, frame: Frame): Signal {
    switch (s.k) {
      case "expr":
        this.eval(s.e, scope);
        return Signal.Normal;
      case "assign": {
        const v = this.eval(s.value, scope);
        for (const t of s.targets) this.assign(t, v, scope);
        return Signal.Normal;
      }
      case "augassign":
        augAssign(this, s.target, s.op, s.value, scope);
        return Signal.Normal;
      case "if":
        return truthy(this.eval(s.test, scope)) ? this.execBlock(s.body, scope) : this.execBlock(s.orelse, scope);
      case "while": {
        while (truthy(this.eval(s.test, scope))) {
          this.runtime.tick(s.line);
          const sig = this.execBlock(s.body, scope);
          if (sig === Signal.Break) return Signal.Normal;
          if (sig === Signal.Return) return sig;
          frame.line = s.line;
        }
        return this.execBlock(s.orelse, scope);
      }
      case "for": {
        for (const item of iterate(this.eval(s.iter, scope))) {
          this.runtime.tick(s.line);
          this.assign(s.target, item, scope);
          const sig = this.execBlock(s.body, scope);
          if (sig === Signal.Break) return Signal.Normal;
          if (sig === Signal.Return) return sig;
          frame.line = s.line;
        }
        return this.execBlock(s.orelse, scope);
      }
      case "break":
        return Signal.Break;
      case "continue":
        return Signal.Continue;
      case "pass":
        return Signal.Normal;
      case "return":
        frame.returnValue = s.value ? this.eval(s.value, scope) : null;
        return Signal.Return;
      case "def": {
        let fn: PyValue = makeFunction(this, s.name, s.params, s.body, scope, s.line);
        for (const d of [...s.decorators].reverse()) fn = this.call(this.eval(d, scope), [fn]);
        scope.assign(s.name, fn);
        return Signal.Normal;
      }
      case "class": {
        const bases = s.bases.map((b) => this.eval(b, scope));
        const body = new Scope(scope, true);
        this.execBlock(s.body, body);
        let cls: PyValue = makeClass(this, s.name, bases, body.vars);
        for (const d of [...s.decorators].reverse()) cls = this.call(this.eval(d, scope), [cls]);
        scope.assign(s.name, cls);
        return Signal.Normal;
      }
      case "try":
        return this.tryStmt(s, scope);
      case "raise":
        throw this.raise(s.exc ? this.eval(s.exc, scope) : undefined, s.cause ? this.eval(s.cause, scope) : undefined);
      case "with":
        return this.withStmt(s.items, 0, s.body, scope);
      case "import":
        for (const { module, asname } of s.names) {
          const mod = this.runtime.importModule(module);
          if (asname) scope.assign(asname, mod);
          else scope.assign(module.split(".")[0], this.runtime.importModule(module.split(".")[0]));
        }
        return Signal.Normal;
      case "from": {
        const mod = this.runtime.importModule(s.module);
        for (const { name, asname } of s.names) {
          if (name === "*") throw pyError("ImportError", "Gradlens does not run `from … import *`: import the names you use");
          scope.assign(asname ?? name, this.runtime.importFrom(mod, s.module, name));
        }
        return Signal.Normal;
      }
      case "del":
        for (const t of s.targets) deleteTarget(this, t, scope);
        return Signal.Normal;
      case "assert":
        if (!truthy(this.eval(s.test, scope))) {
          throw new PyRaise(newException(EXCEPTIONS.AssertionError, s.msg ? [this.eval(s.msg, scope)] : []));
        }
        return Signal.Normal;
      case "global":
      case "nonlocal": {
        const key = s.k === "global" ? "globalNames" : "nonlocalNames";
        scope[key] ??= new Set();
        for (const n of s.names) scope[key]!.add(n);
        return Signal.Normal;
      }
    }
  }

  /** try/except/else, then finally; a `return` or `break` in finally replaces what came before. */
  private tryStmt(s: Extract<Stmt, { k: "try" }>, scope: Scope): Signal {
    let sig: Signal;
    try {
      sig = this.tryBody(s, scope);
    } catch (e) {
      const fsig = this.execBlock(s.final, scope);
      if (fsig !== Signal.Normal) return fsig;
      throw e;
    }
    const fsig = this.execBlock(s.final, scope);
    return fsig !== Signal.Normal ? fsig : sig;
  }

  private tryBody(s: Extract<Stmt, { k: "try" }>, scope: Scope): Signal {
    let sig: Signal;
    try {
      sig = this.execBlock(s.body, scope);
    } catch (e) {
      if (!isCatchable(e) || this.runtime.options.fatal?.(e)) throw e;
      const exc = asPyException(e);
      const h = s.handlers.find((h) => !h.type || this.matches(exc, this.eval(h.type, scope)));
      if (!h) throw e;
      if (h.name) scope.assign(h.name, exc);
      this.handling.push(e);
      try {
        return this.execBlock(h.body, scope);
      } finally {
        this.handling.pop();
      }
    }
    return sig === Signal.Normal ? this.execBlock(s.orelse, scope) : sig;
  }

  private matches(exc: PyExceptionObject, type: PyValue): boolean {
    if (type instanceof PyTuple) return type.items.some((t) => this.matches(exc, t));
    if (type instanceof PyClass) return exceptionMatches(exc, type);
    throw pyError("TypeError", "catching classes that do not inherit from BaseException is not allowed");
  }

  private raise(exc: PyValue, cause: PyValue): unknown {
    if (exc === undefined) {
      if (!this.handling.length) return pyError("RuntimeError", "No active exception to reraise");
      return this.handling[this.handling.length - 1];
    }
    let obj: PyValue = exc;
    if (obj instanceof PyClass) obj = this.call(obj, []);
    const isException = (obj as { args?: unknown } | null)?.args instanceof PyTuple;
    if (!isException) return pyError("TypeError", "exceptions must derive from BaseException");
    if (cause !== undefined) (obj as PyExceptionObject).cause = cause;
    return new PyRaise(obj as PyExceptionObject);
  }

  private withStmt(items: { ctx: Expr; target: Expr | null }[], i: number, body: Stmt[], scope: Scope): Signal {
    if (i === items.length) return this.execBlock(body, scope);
    const ctx = this.eval(items[i].ctx, scope);
    return enterContext(this, ctx, (entered) => {
      if (items[i].target) this.assign(items[i].target!, entered, scope);
      return this.withStmt(items, i + 1, body, scope);
    });
  }

  // ---- assignment (assignment.ts) -----------------------------------------------------

  assign(t: Expr, v: PyValue, scope: Scope): void {
    assignTo(this, t, v, scope);
  }

  // ---- expressions --------------------------------------------------------------------

  eval(e: Expr, scope: Scope): PyValue {
    switch (e.k) {
      case "name": {
        const r = scope.lookup(e.id);
        if (!r.found) throw pyError("NameError", `name '${e.id}' is not defined`);
        return r.value;
      }
      case "num":
        return e.float ? float(e.value) : e.value;
      case "str":
        return e.value;
      case "const":
        return e.value === "..." ? Ellipsis : e.value;
      case "fstr":
        return e.parts
          .map((p) => {
            if (typeof p === "string") return p;
            let v = this.eval(p.expr, scope);
            if (p.conversion === "r") v = repr(v);
            else if (p.conversion === "s") v = str(v);
            return formatValue(v, p.spec);
          })
          .join("");
      case "attr":
        return getAttr(this, this.eval(e.obj, scope), e.name);
      case "index":
        return this.indexExpr(e, scope);
      case "slice":
        return new PySlice(
          e.lo ? this.eval(e.lo, scope) : null,
          e.hi ? this.eval(e.hi, scope) : null,
          e.step ? this.eval(e.step, scope) : null,
        );
      case "call":
        return this.callExpr(e, scope);
      case "bin":
        return binaryOp(e.op, this.eval(e.l, scope), this.eval(e.r, scope));
      case "cmp": {
        let left = this.eval(e.operands[0], scope);
        let result: PyValue = true;
        for (let i = 0; i < e.ops.length; i++) {
          const right = this.eval(e.operands[i + 1], scope);
          result = compareOp(e.ops[i], left, right);
          if (e.ops.length > 1 && !truthy(result)) return result;
          left = right;
        }
        return result;
      }
      case "bool": {
        const l = this.eval(e.l, scope);
        if (e.op === "and") return truthy(l) ? this.eval(e.r, scope) : l;
        return truthy(l) ? l : this.eval(e.r, scope);
      }
      case "not":
        return !truthy(this.eval(e.e, scope));
      case "unary":
        return unaryOp(e.op, this.eval(e.e, scope));
      case "cond":
        return truthy(this.eval(e.test, scope)) ? this.eval(e.body, scope) : this.eval(e.orelse, scope);
      case "lambda":
        return makeFunction(this, "<lambda>", e.params, { expr: e.body }, scope, e.line);
      case "list":
        return this.items(e.items, scope);
      case "tuple":
        return new PyTuple(this.items(e.items, scope));
      case "set":
        return new PySet(this.items(e.items, scope));
      case "dict": {
        const d = new PyDict();
        for (const entry of e.entries) {
          if ("spread" in entry) {
            const src = this.eval(entry.spread, scope);
            if (src instanceof PyDict) for (const [k, v] of src.entries()) d.set(k, v);
          } else d.set(this.eval(entry.key, scope), this.eval(entry.value, scope));
        }
        return d;
      }
      case "comp":
        return this.comprehension(e, scope);
      case "starred":
        throw pyError("SyntaxError", "can't use starred expression here");
    }
  }

  private items(exprs: Expr[], scope: Scope): PyValue[] {
    const out: PyValue[] = [];
    for (const x of exprs) {
      if (x.k === "starred") out.push(...toArray(this.eval(x.e, scope)));
      else out.push(this.eval(x, scope));
    }
    return out;
  }

  /** `obj[...]`, placed at the object (a tensor's indexing op gets its hint there). */
  private indexExpr(e: Extract<Expr, { k: "index" }>, scope: Scope): PyValue {
    const obj = this.eval(e.obj, scope);
    const key = this.subscript(e, scope);
    this.callSites.push({ line: e.line, column: e.col });
    try {
      return getItem(obj, key);
    } finally {
      this.callSites.pop();
    }
  }

  /** The key of `obj[...]`: one item, or a tuple of them (`x[i, j]`). */
  subscript(e: Extract<Expr, { k: "index" }>, scope: Scope): PyValue {
    const items = this.items(e.items, scope);
    return e.tuple ? new PyTuple(items) : items[0];
  }

  private comprehension(e: Extract<Expr, { k: "comp" }>, outer: Scope): PyValue {
    const scope = new Scope(outer);
    const out: PyValue[] = [];
    const dict = new PyDict();
    const loop = (i: number): void => {
      if (i === e.clauses.length) {
        if (e.kind === "dict") dict.set(this.eval(e.elt, scope), this.eval(e.value!, scope));
        else out.push(this.eval(e.elt, scope));
        return;
      }
      const c = e.clauses[i];
      for (const item of iterate(this.eval(c.iter, i === 0 ? outer : scope))) {
        this.assign(c.target, item, scope);
        if (c.ifs.every((cond) => truthy(this.eval(cond, scope)))) loop(i + 1);
      }
    };
    loop(0);
    if (e.kind === "dict") return dict;
    if (e.kind === "set") return new PySet(out);
    return out; // a generator expression runs eagerly: sum(x for x in xs), list(...)
  }

  private callExpr(e: Extract<Expr, { k: "call" }>, scope: Scope): PyValue {
    const fn = this.eval(e.fn, scope);
    const args: PyValue[] = [];
    const kwargs = new Map<string, PyValue>();
    for (const a of e.args) {
      if (a.kind === "pos") args.push(this.eval(a.value, scope));
      else if (a.kind === "star") args.push(...toArray(this.eval(a.value, scope)));
      else if (a.kind === "kw") kwargs.set(a.name!, this.eval(a.value, scope));
      else {
        const d = this.eval(a.value, scope);
        if (!(d instanceof PyDict)) throw pyError("TypeError", "argument after ** must be a mapping");
        for (const [k, v] of d.entries()) kwargs.set(String(k), v);
      }
    }
    const observer = this.runtime.options.observer;
    this.callSites.push({ line: e.line, column: e.col });
    try {
      const result = callValue(this, fn, { args, kwargs });
      observer?.made(result, e.line, e.col);
      return result;
    } finally {
      this.callSites.pop();
    }
  }

  call(fn: PyValue, args: PyValue[], kwargs = new Map<string, PyValue>()): PyValue {
    return callValue(this, fn, { args, kwargs });
  }

  callArgs(fn: PyValue, c: CallArgs): PyValue {
    return callValue(this, fn, c);
  }

  builtin(name: string, fn: (c: CallArgs) => PyValue): PyBuiltin {
    return new PyBuiltin(name, fn);
  }
}
