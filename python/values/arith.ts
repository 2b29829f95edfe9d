/**
 * Python's operators on numbers, strings, sequences and tensors. Tensors go to the engine's
 * methods (`x + y` → `x.add(y)`, `x @ w` → `x.matmul(w)`), so the graph gets PyTorch's
 * grad_fn names; ints stay ints (`7 // 2` is `3`), `/` always gives a float, as in Python 3.
 */
import * as torch from "../../engine/index";
import { Tensor } from "../../engine/index";
import { float, PyDict, PyFloat, PySet, PyTuple, PyRange, type PyValue } from "./types";
import { pyError } from "../interpreter/errors";
import { percentFormat } from "./format";
import { typeName } from "./typeName";

/** The number an int, float or bool stands for; null for anything else. */
export function numberOf(v: PyValue): number | null {
  if (typeof v === "number") return v;
  if (v instanceof PyFloat) return v.v;
  if (typeof v === "boolean") return v ? 1 : 0;
  return null;
}

export const isNumeric = (v: PyValue): boolean => numberOf(v) !== null;

/** A number result: an int when both operands were ints (or bools), else a float. */
const numeric = (x: number, asInt: boolean): PyValue => (asInt ? x : float(x));

const isIntLike = (v: PyValue): boolean => typeof v === "number" || typeof v === "boolean";

/** What to hand the engine for a Python operand (a float unboxed). */
export function engineOperand(v: PyValue): unknown {
  if (v instanceof PyFloat) return v.v;
  if (typeof v === "boolean") return v;
  return v;
}

const TENSOR_OPS: Record<string, (a: Tensor, b: unknown) => Tensor> = {
  "+": (a, b) => a.add(b as Tensor),
  "-": (a, b) => a.sub(b as Tensor),
  "*": (a, b) => a.mul(b as Tensor),
  "/": (a, b) => a.div(b as Tensor),
  "@": (a, b) => a.matmul(b as Tensor),
  "**": (a, b) => a.pow(b as Tensor),
  "<": (a, b) => a.lt(b as Tensor),
  ">": (a, b) => a.gt(b as Tensor),
  "<=": (a, b) => a.le(b as Tensor),
  ">=": (a, b) => a.ge(b as Tensor),
  "==": (a, b) => a.eq(b as Tensor),
  "!=": (a, b) => a.ne(b as Tensor),
  "&": (a, b) => boolMask(a, b).mul(b as Tensor).ne(0),
  "|": (a, b) => boolMask(a, b).add(b as Tensor).ne(0),
  "^": (a, b) => boolMask(a, b).ne(b as Tensor),
};

/** `&`, `|`, `^` combine bool masks (`(x > 0) & (x < 1)`); on numbers they are not part of Gradlens. */
function boolMask(a: Tensor, b: unknown): Tensor {
  if (a.dtype !== "bool" || (b instanceof Tensor && b.dtype !== "bool")) {
    throw pyError("TypeError", "bitwise operators on tensors other than bool masks are not part of Gradlens");
  }
  return a;
}

/**
 * `scalar op tensor`: the reflected operators, as PyTorch's `Tensor.__r*__` compute them
 * (`1 - x` is rsub, `1 / x` is `x.reciprocal() * 1`, `2 ** x` is `tensor(2.) ** x`), so the
 * graph has PyTorch's nodes (RsubBackward1, MulBackward0 ← ReciprocalBackward0, PowBackward1).
 */
const REFLECTED: Record<string, (a: unknown, b: Tensor) => Tensor> = {
  "+": (a, b) => b.add(a as number),
  "*": (a, b) => b.mul(a as number),
  "-": (a, b) => torch.rsub(b, a as number),
  "/": (a, b) => b.reciprocal().mul(a as number),
  "**": (a, b) => torch.tensor(a as number, { dtype: b.dtype }).pow(b),
  "<": (a, b) => b.gt(a as number),
  ">": (a, b) => b.lt(a as number),
  "<=": (a, b) => b.ge(a as number),
  ">=": (a, b) => b.le(a as number),
  "==": (a, b) => b.eq(a as number),
  "!=": (a, b) => b.ne(a as number),
};

/** In-place forms of the tensor operators (`x += 1` changes x, as PyTorch's `__iadd__`). */
export const TENSOR_INPLACE: Record<string, (a: Tensor, b: unknown) => Tensor> = {
  "+": (a, b) => a.add_(b as Tensor),
  "-": (a, b) => a.sub_(b as Tensor),
  "*": (a, b) => a.mul_(b as Tensor),
  "/": (a, b) => a.div_(b as Tensor),
};

function unsupported(op: string, a: PyValue, b: PyValue): never {
  throw pyError("TypeError", `unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

/** `a op b` for the arithmetic and bitwise operators. */
export function binaryOp(op: string, a: PyValue, b: PyValue): PyValue {
  if (a instanceof Tensor) {
    const f = TENSOR_OPS[op];
    if (!f) unsupported(op, a, b);
    return f(a, engineOperand(b));
  }
  if (b instanceof Tensor) {
    const f = REFLECTED[op];
    if (!f) unsupported(op, a, b);
    return f(engineOperand(a), b);
  }
  const x = numberOf(a);
  const y = numberOf(b);
  if (x !== null && y !== null) return numberOp(op, x, y, isIntLike(a) && isIntLike(b), a, b);
  return sequenceOp(op, a, b);
}

function numberOp(op: string, x: number, y: number, ints: boolean, a: PyValue, b: PyValue): PyValue {
  switch (op) {
    case "+":
      return numeric(x + y, ints);
    case "-":
      return numeric(x - y, ints);
    case "*":
      return numeric(x * y, ints);
    case "/":
      if (y === 0) throw pyError("ZeroDivisionError", ints ? "division by zero" : "float division by zero");
      return float(x / y);
    case "//":
      if (y === 0) throw pyError("ZeroDivisionError", ints ? "integer division or modulo by zero" : "float divmod()");
      return numeric(Math.floor(x / y), ints);
    case "%":
      if (y === 0) throw pyError("ZeroDivisionError", ints ? "integer division or modulo by zero" : "float modulo");
      return numeric(x - y * Math.floor(x / y), ints);
    case "**":
      if (ints && y >= 0) return x ** y;
      if (x === 0 && y < 0) throw pyError("ZeroDivisionError", "0.0 cannot be raised to a negative power");
      return float(x ** y);
    case "&":
      return typeof a === "boolean" && typeof b === "boolean" ? a && b : x & y;
    case "|":
      return typeof a === "boolean" && typeof b === "boolean" ? a || b : x | y;
    case "^":
      return typeof a === "boolean" && typeof b === "boolean" ? a !== b : x ^ y;
    case "<<":
      return x * 2 ** y;
    case ">>":
      return Math.floor(x / 2 ** y);
    default:
      return unsupported(op, a, b);
  }
}

function sequenceOp(op: string, a: PyValue, b: PyValue): PyValue {
  if (op === "%" && typeof a === "string") return percentFormat(a, b);
  if (op === "+") {
    if (typeof a === "string" && typeof b === "string") return a + b;
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
    if (a instanceof PyTuple && b instanceof PyTuple) return new PyTuple([...a.items, ...b.items]);
  }
  if (op === "*") {
    const [seq, n] = typeof b === "number" ? [a, b] : [b, a];
    if (typeof n === "number") {
      if (typeof seq === "string") return seq.repeat(Math.max(0, n));
      if (Array.isArray(seq)) return repeat(seq, n);
      if (seq instanceof PyTuple) return new PyTuple(repeat(seq.items, n));
    }
  }
  if (op === "|" && a instanceof PyDict && b instanceof PyDict) return new PyDict([...a.entries(), ...b.entries()]);
  if (op === "|" && a instanceof PySet && b instanceof PySet) return new PySet([...a.items(), ...b.items()]);
  if (op === "&" && a instanceof PySet && b instanceof PySet) return new PySet(a.items().filter((v) => b.has(v)));
  if (op === "-" && a instanceof PySet && b instanceof PySet) return new PySet(a.items().filter((v) => !b.has(v)));
  return unsupported(op, a, b);
}

function repeat<T>(items: T[], n: number): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(...items);
  return out;
}

/** `-x`, `+x`, `~x`. */
export function unaryOp(op: "-" | "+" | "~", v: PyValue): PyValue {
  if (v instanceof Tensor) {
    if (op === "-") return v.neg();
    if (op === "+") return v;
    if (v.dtype === "bool") return v.eq(0); // logical not of a mask
    throw pyError("TypeError", "~ on a non-bool tensor is not part of Gradlens");
  }
  const x = numberOf(v);
  if (x === null) throw pyError("TypeError", `bad operand type for unary ${op}: '${typeName(v)}'`);
  if (op === "~") return ~x;
  const r = op === "-" ? -x : x;
  return isIntLike(v) ? r : float(r);
}

/** Python's `==`: numbers by value, sequences and dicts item by item, the rest by identity. */
export function pyEquals(a: PyValue, b: PyValue): boolean {
  if (a === b) return true;
  const x = numberOf(a);
  const y = numberOf(b);
  if (x !== null && y !== null) return x === y;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => pyEquals(v, b[i]));
  if (a instanceof PyTuple && b instanceof PyTuple) {
    return a.items.length === b.items.length && a.items.every((v, i) => pyEquals(v, b.items[i]));
  }
  if (a instanceof PyDict && b instanceof PyDict) {
    return a.size === b.size && a.entries().every(([k, v]) => b.has(k) && pyEquals(v, b.get(k)));
  }
  if (a instanceof PySet && b instanceof PySet) return a.size === b.size && a.items().every((v) => b.has(v));
  return false;
}

/** `a < b` and friends for numbers, strings and sequences (lexicographic). */
function order(a: PyValue, b: PyValue, op: string): number {
  const x = numberOf(a);
  const y = numberOf(b);
  if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  const as = Array.isArray(a) ? a : a instanceof PyTuple ? a.items : null;
  const bs = Array.isArray(b) ? b : b instanceof PyTuple ? b.items : null;
  if (as && bs && Array.isArray(a) === Array.isArray(b)) {
    for (let i = 0; i < Math.min(as.length, bs.length); i++) {
      if (!pyEquals(as[i], bs[i])) return order(as[i], bs[i], op);
    }
    return as.length - bs.length;
  }
  throw pyError("TypeError", `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function contains(container: PyValue, item: PyValue): boolean {
  if (typeof container === "string") return typeof item === "string" && container.includes(item);
  if (Array.isArray(container)) return container.some((v) => pyEquals(v, item));
  if (container instanceof PyTuple) return container.items.some((v) => pyEquals(v, item));
  if (container instanceof PyDict) return container.has(item);
  if (container instanceof PySet) return container.has(item);
  if (container instanceof PyRange) {
    const n = numberOf(item);
    if (n === null || !Number.isInteger(n)) return false;
    const i = (n - container.start) / container.step;
    return Number.isInteger(i) && i >= 0 && i < container.length;
  }
  if (container instanceof Tensor) return container.eq(engineOperand(item) as number).sum().item() > 0;
  throw pyError("TypeError", `argument of type '${typeName(container)}' is not iterable`);
}

/** One comparison of a chain: `<`, `==`, `in`, `is not`… */
export function compareOp(op: string, a: PyValue, b: PyValue): PyValue {
  if ((a instanceof Tensor || b instanceof Tensor) && TENSOR_OPS[op]) return binaryOp(op, a, b);
  switch (op) {
    case "==":
      return pyEquals(a, b);
    case "!=":
      return !pyEquals(a, b);
    case "<":
      return order(a, b, op) < 0;
    case ">":
      return order(a, b, op) > 0;
    case "<=":
      return order(a, b, op) <= 0;
    case ">=":
      return order(a, b, op) >= 0;
    case "in":
      return contains(b, a);
    case "not in":
      return !contains(b, a);
    case "is":
      return a === b || (a == null && b == null) || (isIntLike(a) && a === b);
    case "is not":
      return !(a === b || (a == null && b == null));
    default:
      throw pyError("TypeError", `unknown comparison ${op}`);
  }
}

/** Python's truth value. A tensor is true when its one element is non-zero. */
export function truthy(v: PyValue): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (v === true) return true;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") return v.length > 0;
  if (v instanceof PyFloat) return v.v !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof PyDict || v instanceof PySet) return v.size > 0;
  if (v instanceof PyRange) return v.length > 0;
  if (v instanceof Tensor) {
    if (v.numel() !== 1) throw pyError("RuntimeError", "Boolean value of Tensor with more than one value is ambiguous");
    return v.item() !== 0;
  }
  return true;
}
