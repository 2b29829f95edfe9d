/**
 * Python exceptions. The built-in exception classes are `PyClass`es (a model may subclass
 * them); a raised exception travels as a `PyRaise` holding the exception object. An engine
 * error (PyTorch's RuntimeError, IndexError…) is a JavaScript error until an `except` or the
 * top level looks at it: then it becomes the Python exception of the same name and message.
 */
import { PyClass, PYCLASS, pyClassOf, type EngineClass } from "./objects";
import { PyTuple, type PyValue } from "../values/types";

/** A Python exception object: an instance of an exception class, with its `args`. */
export interface PyExceptionObject {
  args: PyTuple;
  /** The Python lines it passed through, innermost first. */
  traceback?: number[];
  cause?: unknown;
}

function makeClass(name: string, base: PyClass | null): PyClass {
  const cls = new PyClass(name, base ? [base] : [], "builtins");
  cls.mro = [cls, ...(base ? base.mro : [])];
  const ctor = class {} as unknown as new () => object;
  Object.defineProperty(ctor, "name", { value: name });
  (ctor.prototype as Record<symbol, unknown>)[PYCLASS] = cls;
  cls.jsCtor = ctor;
  return cls;
}

const BaseException = makeClass("BaseException", null);
const Exception = makeClass("Exception", BaseException);
const ArithmeticError = makeClass("ArithmeticError", Exception);
const LookupError = makeClass("LookupError", Exception);
const RuntimeErrorCls = makeClass("RuntimeError", Exception);
/** Every built-in exception class, by name. */
export const EXCEPTIONS: Record<string, PyClass> = {
  BaseException,
  Exception,
  ArithmeticError,
  LookupError,
  RuntimeError: RuntimeErrorCls,
  NotImplementedError: makeClass("NotImplementedError", RuntimeErrorCls),
  RecursionError: makeClass("RecursionError", RuntimeErrorCls),
  ZeroDivisionError: makeClass("ZeroDivisionError", ArithmeticError),
  OverflowError: makeClass("OverflowError", ArithmeticError),
  IndexError: makeClass("IndexError", LookupError),
  KeyError: makeClass("KeyError", LookupError),
  ValueError: makeClass("ValueError", Exception),
  TypeError: makeClass("TypeError", Exception),
  AttributeError: makeClass("AttributeError", Exception),
  NameError: makeClass("NameError", Exception),
  UnboundLocalError: makeClass("UnboundLocalError", Exception),
  AssertionError: makeClass("AssertionError", Exception),
  StopIteration: makeClass("StopIteration", Exception),
  ImportError: makeClass("ImportError", Exception),
  ModuleNotFoundError: makeClass("ModuleNotFoundError", Exception),
  SyntaxError: makeClass("SyntaxError", Exception),
  KeyboardInterrupt: makeClass("KeyboardInterrupt", BaseException),
};

/** An exception object of `cls` with `args`. */
export function newException(cls: PyClass, args: PyValue[]): PyExceptionObject {
  const obj = Object.create(cls.jsCtor.prototype) as PyExceptionObject;
  obj.args = new PyTuple(args);
  return obj;
}

/** A raised Python exception on its way up. The message is Python's `Type: text`. */
export class PyRaise extends Error {
  constructor(readonly exc: PyExceptionObject) {
    super(exceptionText(exc));
    const cls = pyClassOf(exc);
    this.name = cls?.name ?? "Exception";
  }
}

export function exceptionText(exc: PyExceptionObject): string {
  const items = exc.args.items;
  const cls = pyClassOf(exc);
  if (items.length === 0) return "";
  if (items.length === 1) {
    const a = items[0];
    // KeyError shows its key as repr
    if (cls?.name === "KeyError") return typeof a === "string" ? `'${a}'` : String(a);
    return typeof a === "string" ? a : String(a);
  }
  return "(" + items.map((a) => (typeof a === "string" ? `'${a}'` : String(a))).join(", ") + ")";
}

/** Raises `Type(message)` (a built-in exception). */
export function pyError(type: keyof typeof EXCEPTIONS, message: string): PyRaise {
  return new PyRaise(newException(EXCEPTIONS[type], [message]));
}

/** `KeyError(key)`: its text is the key's repr. */
export function keyError(key: PyValue): PyRaise {
  return new PyRaise(newException(EXCEPTIONS.KeyError, [key]));
}

/** The Python exception a JavaScript error stands for (the engine's errors keep PyTorch's names). */
export function asPyException(e: unknown): PyExceptionObject {
  if (e instanceof PyRaise) return e.exc;
  const err = e instanceof Error ? e : new Error(String(e));
  const known = (err as { pyException?: PyExceptionObject }).pyException;
  if (known) return known;
  const name = err.name === "TorchTypeError" ? "TypeError" : err.name;
  const cls = EXCEPTIONS[name] ?? (err instanceof RangeError && /call stack/.test(err.message) ? EXCEPTIONS.RecursionError : EXCEPTIONS.RuntimeError);
  const exc = newException(cls, [err.message]);
  (err as { pyException?: PyExceptionObject }).pyException = exc;
  return exc;
}

/** Whether an exception object is an instance of `cls` (a Python exception class or an engine error class). */
export function exceptionMatches(exc: PyExceptionObject, cls: PyClass | EngineClass): boolean {
  const own = pyClassOf(exc);
  if (cls instanceof PyClass) return !!own && own.mro.includes(cls);
  return false;
}
