/**
 * Assignment statements: `x = v` to a name, attribute, item or unpacked targets (the
 * observer hears each name bound: the graph's tensor names), `x op= v` in place where the
 * value has an in-place form, and `del`.
 */
import type { Expr } from "../parse/ast";
import type { Scope } from "./scope";
import { pyError } from "./errors";
import { binaryOp, engineOperand, TENSOR_INPLACE } from "../values/arith";
import type { PyValue } from "../values/types";
import { toArray } from "../values/iterate";
import { delItem, getItem, setItem } from "../values/subscript";
import { Tensor } from "../../engine/index";
import { delAttr, getAttr, setAttr } from "./attributes";
import type { Interpreter } from "./interpreter";

export function assignTo(interp: Interpreter, t: Expr, v: PyValue, scope: Scope): void {
  switch (t.k) {
    case "name":
      scope.assign(t.id, v);
      interp.runtime.options.observer?.bind(v, t.id, t.line, 1, false);
      return;
    case "attr":
      setAttr(interp, interp.eval(t.obj, scope), t.name, v);
      interp.runtime.options.observer?.bind(v, t.name, t.line, 1, true);
      return;
    case "index":
      setItem(interp.eval(t.obj, scope), interp.subscript(t, scope), v);
      return;
    case "tuple":
    case "list":
      unpack(interp, t.items, v, scope);
      return;
    default:
      throw pyError("SyntaxError", "cannot assign to expression");
  }
}

function unpack(interp: Interpreter, targets: Expr[], v: PyValue, scope: Scope): void {
  const items = toArray(v);
  const star = targets.findIndex((t) => t.k === "starred");
  if (star < 0) {
    if (items.length !== targets.length) {
      throw pyError("ValueError", items.length > targets.length ? `too many values to unpack (expected ${targets.length})` : `not enough values to unpack (expected ${targets.length}, got ${items.length})`);
    }
    targets.forEach((t, i) => assignTo(interp, t, items[i], scope));
    return;
  }
  const after = targets.length - star - 1;
  if (items.length < targets.length - 1) throw pyError("ValueError", `not enough values to unpack (expected at least ${targets.length - 1}, got ${items.length})`);
  targets.slice(0, star).forEach((t, i) => assignTo(interp, t, items[i], scope));
  assignTo(interp, (targets[star] as Extract<Expr, { k: "starred" }>).e, items.slice(star, items.length - after), scope);
  targets.slice(star + 1).forEach((t, i) => assignTo(interp, t, items[items.length - after + i], scope));
}

/** `t op= v`, Python's way: the in-place form where the value has one (tensors, lists), then a store. */
export function augAssign(interp: Interpreter, t: Expr, op: string, valueExpr: Expr, scope: Scope): void {
  const inPlace = (a: PyValue, b: PyValue): PyValue => {
    if (a instanceof Tensor && TENSOR_INPLACE[op]) return TENSOR_INPLACE[op](a, engineOperand(b));
    if (Array.isArray(a) && op === "+") {
      a.push(...toArray(b));
      return a;
    }
    return binaryOp(op, a, b);
  };
  if (t.k === "name") {
    scope.assign(t.id, inPlace(interp.eval(t, scope), interp.eval(valueExpr, scope)));
  } else if (t.k === "attr") {
    const obj = interp.eval(t.obj, scope);
    setAttr(interp, obj, t.name, inPlace(getAttr(interp, obj, t.name), interp.eval(valueExpr, scope)));
  } else if (t.k === "index") {
    const obj = interp.eval(t.obj, scope);
    const key = interp.subscript(t, scope);
    setItem(obj, key, inPlace(getItem(obj, key), interp.eval(valueExpr, scope)));
  } else throw pyError("SyntaxError", "illegal expression for augmented assignment");
}

export function deleteTarget(interp: Interpreter, t: Expr, scope: Scope): void {
  if (t.k === "name") {
    if (!scope.delete(t.id)) throw pyError("NameError", `name '${t.id}' is not defined`);
  } else if (t.k === "attr") delAttr(interp.eval(t.obj, scope), t.name);
  else if (t.k === "index") delItem(interp.eval(t.obj, scope), interp.subscript(t, scope));
  else if (t.k === "tuple" || t.k === "list") t.items.forEach((x) => deleteTarget(interp, x, scope));
}
