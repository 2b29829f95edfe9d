/**
 * `with` blocks. The engine's scoped switches take a callback (`torch.noGrad(fn)`,
 * `tape.record(fn)`, `autograd.record(fn)`), so the block's body runs as that callback:
 * the switch is restored however the body ends (an exception, `break`, `return`).
 * A user class with `__enter__`/`__exit__` works as in Python.
 */
import * as engine from "../../engine/index";
import { PyBuiltin, PyClass, PyFunction, pyClassOf, type CallArgs } from "./objects";
import { asPyException, pyError } from "./errors";
import { truthy } from "../values/arith";
import type { PyValue } from "../values/types";
import { lookupClassAttr } from "./classes";
import { invoke } from "./calls";
import type { Interpreter, Signal } from "./interpreter";

/** A context manager over a callback-taking engine switch; also usable as a decorator (`@torch.no_grad()`). */
export class CallbackContext {
  constructor(
    readonly name: string,
    readonly run: <T>(body: () => T) => T,
  ) {}

  decorate(interp: Interpreter, c: CallArgs): PyValue {
    const fn = c.args[0];
    if (c.args.length !== 1 || c.kwargs.size) throw pyError("TypeError", `${this.name}() used as a decorator takes one function`);
    return new PyBuiltin(fn instanceof PyFunction ? fn.name : this.name, (inner) => this.run(() => interp.callArgs(fn, inner)));
  }
}

export function enterContext(interp: Interpreter, ctx: PyValue, body: (entered: PyValue) => Signal): Signal {
  if (ctx instanceof CallbackContext) return ctx.run(() => body(null));
  if (ctx instanceof engine.tf.GradientTape) return ctx.record(() => body(ctx));
  const cls = pyClassOf(ctx);
  const enter = cls ? lookupClassAttr(cls, "__enter__") : undefined;
  const exit = cls ? lookupClassAttr(cls, "__exit__") : undefined;
  if (!(enter instanceof PyFunction) || !(exit instanceof PyFunction)) {
    throw pyError("TypeError", `'${cls?.name ?? typeof ctx}' object does not support the context manager protocol`);
  }
  const entered = invoke(interp, enter, { args: [ctx], kwargs: new Map() });
  let sig: Signal;
  try {
    sig = body(entered);
  } catch (e) {
    if (interp.runtime.options.fatal?.(e)) throw e;
    const exc = asPyException(e);
    const excClass = pyClassOf(exc) as PyClass;
    const swallow = invoke(interp, exit, { args: [ctx, excClass, exc, null], kwargs: new Map() });
    if (truthy(swallow)) return 0 as Signal;
    throw e;
  }
  invoke(interp, exit, { args: [ctx, null, null, null], kwargs: new Map() });
  return sig;
}
