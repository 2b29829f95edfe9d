/** `str()` and `repr()` of Python values, as CPython and PyTorch 1.13 print them. */
import { Tensor } from "../../engine/index";
import { Parameter } from "../../engine/nn/module";
import { Node } from "../../engine/autograd/node";
import { formatTensor } from "../../engine/format";
import {
  Ellipsis,
  objectId,
  PyDict,
  PyDtype,
  PyFloat,
  PyNamedTuple,
  PyRange,
  PySet,
  PySize,
  PySlice,
  PyTuple,
  type PyValue,
} from "./types";
import { EngineCallable, PyBoundMethod, PyBuiltin, PyClass, PyFunction, PyModule, pyClassOf } from "../interpreter/objects";
import { exceptionText, type PyExceptionObject } from "../interpreter/errors";

/** CPython's `repr(float)`: the shortest digits that round-trip, fixed or scientific. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mant, expText] = Math.abs(x).toExponential().split("e");
  const exp = Number(expText);
  const digits = mant.replace(".", "");
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return `${sign}${whole}.${frac || "0"}`;
}

export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of s) {
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else out += ch;
  }
  return quote + out + quote;
}

const address = (o: object): string => "0x7f" + (0x1000 + objectId(o) * 16).toString(16).padStart(10, "0");

/** A user class's `__str__` / `__repr__`, installed by the interpreter (null: none). */
let userRepr: (v: PyValue, method: "__str__" | "__repr__") => string | null = () => null;
export function setUserRepr(fn: typeof userRepr): void {
  userRepr = fn;
}

/** Python's `str(v)`. */
export function str(v: PyValue): string {
  if (typeof v === "string") return v;
  if (pyClassOf(v)) {
    const s = userRepr(v, "__str__") ?? userRepr(v, "__repr__");
    if (s !== null) return s;
  }
  if (isException(v)) return exceptionText(v);
  return repr(v);
}

function isException(v: PyValue): v is PyExceptionObject {
  const cls = pyClassOf(v);
  return !!cls && cls.mro.some((c) => c instanceof PyClass && c.name === "BaseException");
}

/** Python's `repr(v)`; `custom` reads a user class's `__repr__`/`__str__`. */
export function repr(v: PyValue): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : floatRepr(v);
  if (typeof v === "string") return strRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.v);
  if (v === Ellipsis) return "Ellipsis";
  if (Array.isArray(v)) return "[" + v.map(repr).join(", ") + "]";
  if (v instanceof PySize) return `torch.Size([${v.items.map(repr).join(", ")}])`;
  if (v instanceof PyNamedTuple) {
    return `${v.typeName}(\n${v.fields.map((f, i) => `${f}=${repr(v.items[i])}`).join(",\n")})`;
  }
  if (v instanceof PyTuple) {
    return "(" + v.items.map(repr).join(", ") + (v.items.length === 1 ? ",)" : ")");
  }
  if (v instanceof PyDict) return "{" + v.entries().map(([k, x]) => `${repr(k)}: ${repr(x)}`).join(", ") + "}";
  if (v instanceof PySet) return v.size === 0 ? "set()" : "{" + v.items().map(repr).join(", ") + "}";
  if (v instanceof PyRange) return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
  if (v instanceof PySlice) return `slice(${repr(v.lo)}, ${repr(v.hi)}, ${repr(v.step)})`;
  if (v instanceof PyDtype) return `torch.${v.pythonName}`;
  if (v instanceof Parameter) return `Parameter containing:\n${formatTensor(v, "python")}`;
  if (v instanceof Tensor) return formatTensor(v, "python");
  if (v instanceof Node) return `<${v.name} object at ${address(v)}>`;
  if (v instanceof PyFunction) return `<function ${v.name} at ${address(v)}>`;
  if (v instanceof PyBuiltin) return `<built-in function ${v.name}>`;
  if (v instanceof PyBoundMethod || v instanceof EngineCallable) return `<bound method ${v instanceof EngineCallable ? v.pyName : ""}>`;
  if (v instanceof PyClass) return `<class '${v.module === "builtins" ? "" : v.module + "."}${v.name}'>`;
  if (v instanceof PyModule) return `<module '${v.name}'>`;
  if (typeof v === "function") return `<class '${(v as { name: string }).name}'>`;
  if (isException(v)) {
    const args = v.args.items;
    return `${pyClassOf(v)!.name}(${args.map(repr).join(", ")})`;
  }
  const cls = pyClassOf(v);
  const custom = cls ? userRepr(v, "__repr__") : null;
  if (custom !== null) return custom;
  if (typeof v === "object" && hasOwnToString(v)) return String(v);
  if (cls) return `<__main__.${cls.name} object at ${address(v as object)}>`;
  return `<${(v as object).constructor?.name ?? "object"} object at ${address(v as object)}>`;
}

/** Engine objects with a PyTorch-style `toString` (modules, optimizers). */
function hasOwnToString(o: object): boolean {
  for (let p = Object.getPrototypeOf(o); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.prototype.hasOwnProperty.call(p, "toString")) return true;
  }
  return false;
}
