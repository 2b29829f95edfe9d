/**
 * The few tensor and grad_fn attributes whose Python value differs from the engine's beyond
 * the name rule: `shape`/`size()` are `torch.Size`, `dtype` is `torch.float32`, `item()` and
 * `tolist()` give floats for a float tensor, `grad_fn.next_functions` is a tuple of pairs,
 * `grad_fn.name()` is a method.
 */
import { Tensor } from "../../engine/index";
import { Node } from "../../engine/autograd/node";
import { PyBuiltin } from "../interpreter/objects";
import { float, PyDtype, PySize, PyTuple, type PyValue } from "../values/types";

export const DTYPES: Record<string, PyDtype> = {
  float32: new PyDtype("float32", "float32"),
  int64: new PyDtype("int64", "int64"),
  bool: new PyDtype("bool", "bool"),
};

function scalar(t: Tensor, v: number): PyValue {
  if (t.dtype === "float32") return float(v);
  if (t.dtype === "bool") return v !== 0;
  return v;
}

function nested(t: Tensor, v: unknown): PyValue {
  return Array.isArray(v) ? v.map((x) => nested(t, x)) : scalar(t, v as number);
}

const TENSOR: Record<string, (t: Tensor) => PyValue> = {
  shape: (t) => new PySize(t.shape.slice()),
  dtype: (t) => DTYPES[t.dtype],
  size: (t) => new PyBuiltin("size", (c) => (c.args.length ? t.size(c.args[0] as number) : new PySize(t.shape.slice()))),
  item: (t) => new PyBuiltin("item", () => scalar(t, t.item())),
  tolist: (t) => new PyBuiltin("tolist", () => nested(t, t.tolist())),
  device: () => "cpu",
  ndim: (t) => t.dim(),
  numpy: (t) => new PyBuiltin("numpy", () => t.detach()),
};

const NODE: Record<string, (n: Node) => PyValue> = {
  next_functions: (n) => new PyTuple(n.nextFunctions.map(([f, i]) => new PyTuple([f, i]))),
  name: (n) => new PyBuiltin("name", () => n.name),
};

/** The adapted attribute, or undefined when the generic rule applies. */
export function adaptedAttr(obj: unknown, name: string): PyValue | undefined {
  if (obj instanceof Tensor) return Object.prototype.hasOwnProperty.call(TENSOR, name) ? TENSOR[name](obj) : undefined;
  if (obj instanceof Node) return Object.prototype.hasOwnProperty.call(NODE, name) ? NODE[name](obj) : undefined;
  return undefined;
}
