/** The name Python's messages give a value's type (`'int'`, `'Tensor'`, `'NoneType'`). */
import { Tensor } from "../../engine/index";
import { PyDict, PyFloat, PyRange, PySet, PySize, PyTuple, type PyValue } from "./types";
import { PyBoundMethod, PyBuiltin, PyClass, PyFunction, PyModule, pyClassOf } from "../interpreter/objects";

export function typeName(v: PyValue): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return "int";
  if (typeof v === "string") return "str";
  if (v instanceof PyFloat) return "float";
  if (Array.isArray(v)) return "list";
  if (v instanceof PySize) return "Size";
  if (v instanceof PyTuple) return "tuple";
  if (v instanceof PyDict) return "dict";
  if (v instanceof PySet) return "set";
  if (v instanceof PyRange) return "range";
  if (v instanceof PyFunction) return "function";
  if (v instanceof PyBuiltin) return "builtin_function_or_method";
  if (v instanceof PyBoundMethod) return "method";
  if (v instanceof PyModule) return "module";
  if (v instanceof PyClass || typeof v === "function") return "type";
  if (v instanceof Tensor) return v.constructor.name === "Parameter" ? "Parameter" : "Tensor";
  const cls = pyClassOf(v);
  if (cls) return cls.name;
  return (v as object).constructor?.name ?? "object";
}
