/**
 * The standard-library modules lecture code imports: `math` (as CPython's), `random`
 * (seeded, but not CPython's Mersenne Twister: the numbers differ from CPython's) and `json`.
 */
import { PyBuiltin, PyModule, type CallArgs } from "../interpreter/objects";
import { float, PyDict, PyFloat, PyTuple, type PyValue } from "../values/types";
import { numberOf } from "../values/arith";
import { pyError } from "../interpreter/errors";
import { toArray } from "../values/iterate";
import { repr } from "../values/repr";
import { Tensor } from "../../engine/index";

const num = (v: PyValue): number => {
  if (v instanceof Tensor) return v.item();
  const n = numberOf(v);
  if (n === null) throw pyError("TypeError", "must be real number");
  return n;
};

function mathModule(): PyModule {
  const m = new Map<string, PyValue>();
  const f1 = (name: string, fn: (x: number) => number, domain?: (x: number) => boolean) =>
    m.set(name, new PyBuiltin(name, ({ args: [x] }) => {
      const v = num(x);
      if (domain && !domain(v)) throw pyError("ValueError", "math domain error");
      return float(fn(v));
    }));
  f1("sqrt", Math.sqrt, (x) => x >= 0);
  f1("exp", Math.exp);
  f1("log10", Math.log10, (x) => x > 0);
  f1("log2", Math.log2, (x) => x > 0);
  f1("sin", Math.sin);
  f1("cos", Math.cos);
  f1("tan", Math.tan);
  f1("tanh", Math.tanh);
  f1("atan", Math.atan);
  f1("fabs", Math.abs);
  m.set("log", new PyBuiltin("log", ({ args: [x, base] }) => {
    const v = num(x);
    if (v <= 0) throw pyError("ValueError", "math domain error");
    return float(base === undefined ? Math.log(v) : Math.log(v) / Math.log(num(base)));
  }));
  m.set("floor", new PyBuiltin("floor", ({ args: [x] }) => Math.floor(num(x))));
  m.set("ceil", new PyBuiltin("ceil", ({ args: [x] }) => Math.ceil(num(x))));
  m.set("pow", new PyBuiltin("pow", ({ args: [a, b] }) => float(num(a) ** num(b))));
  m.set("isclose", new PyBuiltin("isclose", ({ args: [a, b] }) => Math.abs(num(a) - num(b)) <= 1e-9 * Math.max(Math.abs(num(a)), Math.abs(num(b)))));
  m.set("prod", new PyBuiltin("prod", ({ args: [it] }) => toArray(it).reduce<number>((p, v) => p * num(v), 1)));
  m.set("pi", float(Math.PI));
  m.set("e", float(Math.E));
  m.set("inf", float(Infinity));
  m.set("nan", float(NaN));
  return new PyModule("math", m);
}

/** A small seeded generator (mulberry32): repeatable runs, not CPython's sequence. */
function randomModule(): PyModule {
  let state = 0x2545f491;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const m = new Map<string, PyValue>();
  const def = (name: string, fn: (c: CallArgs) => PyValue) => m.set(name, new PyBuiltin(name, fn));
  def("seed", ({ args: [s] }) => ((state = (num(s ?? 0) | 0) ^ 0x2545f491), null));
  def("random", () => float(next()));
  def("uniform", ({ args: [a, b] }) => float(num(a) + (num(b) - num(a)) * next()));
  def("randint", ({ args: [a, b] }) => num(a) + Math.floor(next() * (num(b) - num(a) + 1)));
  def("gauss", ({ args: [mu, sigma] }) => float(num(mu ?? 0) + num(sigma ?? 1) * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())));
  def("choice", ({ args: [seq] }) => {
    const items = toArray(seq);
    return items[Math.floor(next() * items.length)];
  });
  def("shuffle", ({ args: [list] }) => {
    const l = list as PyValue[];
    for (let i = l.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [l[i], l[j]] = [l[j], l[i]];
    }
    return null;
  });
  return new PyModule("random", m);
}

function toJson(v: PyValue): string {
  if (v === null) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number" || v instanceof PyFloat) return repr(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (Array.isArray(v) || v instanceof PyTuple) return "[" + toArray(v).map(toJson).join(", ") + "]";
  if (v instanceof PyDict) return "{" + v.entries().map(([k, x]) => `${JSON.stringify(String(k))}: ${toJson(x)}`).join(", ") + "}";
  throw pyError("TypeError", `Object of type ${typeof v} is not JSON serializable`);
}

function jsonModule(): PyModule {
  const fromJson = (v: unknown): PyValue => {
    if (typeof v === "number") return Number.isInteger(v) ? v : float(v);
    if (Array.isArray(v)) return v.map(fromJson);
    if (v && typeof v === "object") return new PyDict(Object.entries(v).map(([k, x]) => [k, fromJson(x)]));
    return v as PyValue;
  };
  return new PyModule(
    "json",
    new Map<string, PyValue>([
      ["dumps", new PyBuiltin("dumps", ({ args: [v] }) => toJson(v))],
      ["loads", new PyBuiltin("loads", ({ args: [s] }) => fromJson(JSON.parse(s as string)))],
    ]),
  );
}

export function stdlibModules(): Map<string, PyModule> {
  return new Map([
    ["math", mathModule()],
    ["random", randomModule()],
    ["json", jsonModule()],
  ]);
}
