/** The methods of str, list, tuple, dict and set that lecture code calls. */
import { PyBuiltin, type CallArgs } from "../interpreter/objects";
import { PyDict, PySet, PyTuple, type PyValue } from "./types";
import { pyEquals, truthy } from "./arith";
import { toArray } from "./iterate";
import { keyError, pyError } from "../interpreter/errors";
import { strFormat } from "./format";
import { repr, str } from "./repr";
import { sortValues } from "./sort";

type Method = (self: never, c: CallArgs) => PyValue;

/** Runs a mutating method and returns None. */
const none = (f: () => unknown): null => (f(), null);

const arg = (c: CallArgs, i: number, name: string, dflt?: PyValue): PyValue =>
  i < c.args.length ? c.args[i] : c.kwargs.has(name) ? c.kwargs.get(name) : dflt;

const STR: Record<string, (s: string, c: CallArgs) => PyValue> = {
  format: (s, c) => strFormat(s, c.args, c.kwargs),
  join: (s, c) => toArray(c.args[0]).map((v) => {
    if (typeof v !== "string") throw pyError("TypeError", `sequence item: expected str instance, ${repr(v)} found`);
    return v;
  }).join(s),
  split: (s, c) => {
    const sep = arg(c, 0, "sep", null);
    return sep === null ? s.trim().split(/\s+/).filter((x) => x) : s.split(sep as string);
  },
  strip: (s, c) => (c.args.length ? trimChars(s, c.args[0] as string) : s.trim()),
  lstrip: (s) => s.trimStart(),
  rstrip: (s) => s.trimEnd(),
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  title: (s) => s.replace(/\b\w/g, (ch) => ch.toUpperCase()),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  replace: (s, c) => s.split(c.args[0] as string).join(c.args[1] as string),
  startswith: (s, c) => s.startsWith(c.args[0] as string),
  endswith: (s, c) => s.endsWith(c.args[0] as string),
  find: (s, c) => s.indexOf(c.args[0] as string),
  count: (s, c) => s.split(c.args[0] as string).length - 1,
  center: (s, c) => pad(s, c, "^"),
  ljust: (s, c) => pad(s, c, "<"),
  rjust: (s, c) => pad(s, c, ">"),
  zfill: (s, c) => s.padStart(c.args[0] as number, "0"),
  isdigit: (s) => /^\d+$/.test(s),
};

function trimChars(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a])) a++;
  while (b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function pad(s: string, c: CallArgs, how: "<" | ">" | "^"): string {
  const width = c.args[0] as number;
  const fill = (c.args[1] as string | undefined) ?? " ";
  const n = Math.max(0, width - s.length);
  if (how === "<") return s + fill.repeat(n);
  if (how === ">") return fill.repeat(n) + s;
  const left = n >> 1;
  return fill.repeat(left) + s + fill.repeat(n - left);
}

const LIST: Record<string, (l: PyValue[], c: CallArgs) => PyValue> = {
  append: (l, c) => none(() => l.push(c.args[0])),
  extend: (l, c) => none(() => l.push(...toArray(c.args[0]))),
  insert: (l, c) => none(() => l.splice(c.args[0] as number, 0, c.args[1])),
  pop: (l, c) => {
    if (l.length === 0) throw pyError("IndexError", "pop from empty list");
    const i = c.args.length ? (c.args[0] as number) : -1;
    return l.splice(i < 0 ? l.length + i : i, 1)[0];
  },
  remove: (l, c) => {
    const i = l.findIndex((v) => pyEquals(v, c.args[0]));
    if (i < 0) throw pyError("ValueError", "list.remove(x): x not in list");
    l.splice(i, 1);
    return null;
  },
  index: (l, c) => {
    const i = l.findIndex((v) => pyEquals(v, c.args[0]));
    if (i < 0) throw pyError("ValueError", `${repr(c.args[0])} is not in list`);
    return i;
  },
  count: (l, c) => l.filter((v) => pyEquals(v, c.args[0])).length,
  reverse: (l) => none(() => l.reverse()),
  clear: (l) => none(() => (l.length = 0)),
  copy: (l) => l.slice(),
  sort: (l, c) => {
    const sorted = sortValues(l, c.kwargs.get("key") ?? null, truthy(c.kwargs.get("reverse") ?? false));
    l.splice(0, l.length, ...sorted);
    return null;
  },
};

const TUPLE: Record<string, (t: PyTuple, c: CallArgs) => PyValue> = {
  index: (t, c) => LIST.index(t.items, c),
  count: (t, c) => LIST.count(t.items, c),
};

/** `d.update(other, **kwargs)`, also `dict(other, **kwargs)`: a mapping or (key, value) pairs. */
export function dictUpdate(d: PyDict, c: CallArgs): PyDict {
  const other = c.args[0];
  if (other instanceof PyDict) for (const [k, v] of other.entries()) d.set(k, v);
  else if (other !== undefined) {
    for (const kv of toArray(other)) {
      const [k, v] = toArray(kv);
      d.set(k, v);
    }
  }
  for (const [k, v] of c.kwargs) d.set(k, v);
  return d;
}

const DICT: Record<string, (d: PyDict, c: CallArgs) => PyValue> = {
  keys: (d) => d.keys(),
  values: (d) => d.values(),
  items: (d) => d.entries().map(([k, v]) => new PyTuple([k, v])),
  get: (d, c) => (d.has(c.args[0]) ? d.get(c.args[0]) : (c.args[1] ?? null)),
  pop: (d, c) => {
    if (!d.has(c.args[0])) {
      if (c.args.length > 1) return c.args[1];
      throw keyError(c.args[0]);
    }
    const v = d.get(c.args[0]);
    d.delete(c.args[0]);
    return v;
  },
  setdefault: (d, c) => {
    if (!d.has(c.args[0])) d.set(c.args[0], c.args[1] ?? null);
    return d.get(c.args[0]);
  },
  update: (d, c) => none(() => dictUpdate(d, c)),
  copy: (d) => new PyDict(d.entries()),
  clear: (d) => none(() => d.keys().forEach((k) => d.delete(k))),
};

const SET: Record<string, (s: PySet, c: CallArgs) => PyValue> = {
  add: (s, c) => none(() => s.add(c.args[0])),
  remove: (s, c) => {
    if (!s.delete(c.args[0])) throw keyError(c.args[0]);
    return null;
  },
  discard: (s, c) => none(() => s.delete(c.args[0])),
  union: (s, c) => new PySet([...s.items(), ...toArray(c.args[0])]),
  copy: (s) => new PySet(s.items()),
};

/** `obj.name` for a built-in value, bound to `obj`; null when it has no such method. */
export function builtinMethod(obj: PyValue, name: string): PyBuiltin | null {
  let table: Record<string, Method> | null = null;
  if (typeof obj === "string") table = STR as Record<string, Method>;
  else if (Array.isArray(obj)) table = LIST as Record<string, Method>;
  else if (obj instanceof PyTuple) table = TUPLE as Record<string, Method>;
  else if (obj instanceof PyDict) table = DICT as Record<string, Method>;
  else if (obj instanceof PySet) table = SET as Record<string, Method>;
  const m = table && Object.prototype.hasOwnProperty.call(table, name) ? table[name] : null;
  if (!m) return null;
  return new PyBuiltin(name, (c) => m(obj as never, c));
}

export { str };
