/**
 * `console.log`'s formatting inside the sandbox, where Node's `util` is not (it is the worker's,
 * and handing it to model code would hand over Node). Follows util.format for what model files
 * print: strings as they are, `%s %d %i %f %j %o %O %%`, numbers, arrays and objects as Node
 * shows them (`[ 1, 2 ]`, `{ a: 1 }`), class instances with their class name, errors by stack.
 * `show` prints a value the caller knows better (tensors and modules print like PyTorch).
 */
export type Show = (value: unknown) => string | undefined;

const MAX_DEPTH = 3;
const MAX_ITEMS = 100;

export function formatArgs(args: unknown[], show: Show): string {
  let rest = args;
  let head = "";
  if (typeof args[0] === "string" && args[0].includes("%") && args.length > 1) {
    let i = 1;
    head = args[0].replace(/%[sdifjoOc%]/g, (spec) => {
      if (spec === "%%") return "%";
      if (i >= args.length) return spec;
      const v = args[i++];
      switch (spec) {
        case "%s":
          return typeof v === "string" ? v : inspect(v, show, 1);
        case "%d":
        case "%i": {
          if (typeof v === "bigint") return `${v}n`;
          const n = Number(v);
          return String(spec === "%i" ? Math.trunc(n) : n);
        }
        case "%f":
          return String(parseFloat(String(v)));
        case "%j":
          try {
            return JSON.stringify(v);
          } catch {
            return "[Circular]";
          }
        case "%c":
          return "";
        default:
          return inspect(v, show, MAX_DEPTH);
      }
    });
    rest = args.slice(i);
    if (rest.length === 0) return head;
    head += " ";
  } else if (typeof args[0] === "string") {
    head = args[0] + (args.length > 1 ? " " : "");
    rest = args.slice(1);
  }
  return head + rest.map((a) => (typeof a === "string" ? a : inspect(a, show, MAX_DEPTH))).join(" ");
}

/** A value as Node's util.inspect shows it (the common cases). */
export function inspect(value: unknown, show: Show, depth = MAX_DEPTH): string {
  return new Inspector(show).value(value, depth, true);
}

class Inspector {
  private readonly seen: object[] = [];
  constructor(private readonly show: Show) {}

  value(v: unknown, depth: number, top = false): string {
    switch (typeof v) {
      case "string":
        return top ? v : quote(v);
      case "number":
        return Object.is(v, -0) ? "-0" : String(v);
      case "bigint":
        return `${v}n`;
      case "symbol":
        return v.toString();
      case "undefined":
        return "undefined";
      case "boolean":
        return String(v);
      case "function": {
        const name = (v as { name?: unknown }).name;
        const cls = /^class\b/.test(safeSource(v));
        return `[${cls ? "class" : "Function"}${typeof name === "string" && name ? `: ${name}` : " (anonymous)"}]`;
      }
    }
    if (v === null) return "null";
    const shown = this.show(v);
    if (shown !== undefined) return shown;
    const o = v as object;
    if (this.seen.includes(o)) return "[Circular *1]";
    if (o instanceof Error) return o.stack ?? `${o.name}: ${o.message}`;
    if (o instanceof Date) return Number.isNaN(o.getTime()) ? "Invalid Date" : o.toISOString();
    if (o instanceof RegExp) return String(o);
    if (o instanceof Promise) return "Promise { <pending> }";
    this.seen.push(o);
    try {
      return this.object(o, depth);
    } finally {
      this.seen.pop();
    }
  }

  private object(o: object, depth: number): string {
    if (ArrayBuffer.isView(o) && !(o instanceof DataView)) {
      const items = Array.from(o as unknown as ArrayLike<number>).slice(0, MAX_ITEMS);
      const more = (o as unknown as ArrayLike<number>).length - items.length;
      const parts = items.map((x) => this.value(x, depth - 1));
      if (more > 0) parts.push(`... ${more} more item${more > 1 ? "s" : ""}`);
      return `${o.constructor?.name ?? "TypedArray"}(${(o as unknown as ArrayLike<number>).length}) ${wrap("[", parts, "]")}`;
    }
    if (Array.isArray(o)) {
      if (depth < 0) return "[Array]";
      const parts = o.slice(0, MAX_ITEMS).map((x) => this.value(x, depth - 1));
      if (o.length > MAX_ITEMS) parts.push(`... ${o.length - MAX_ITEMS} more items`);
      return wrap("[", parts, "]");
    }
    if (o instanceof Map) {
      if (depth < 0) return "[Map]";
      const parts = [...o].map(([k, x]) => `${this.value(k, depth - 1)} => ${this.value(x, depth - 1)}`);
      return `Map(${o.size}) ${wrap("{", parts, "}")}`;
    }
    if (o instanceof Set) {
      if (depth < 0) return "[Set]";
      const parts = [...o].map((x) => this.value(x, depth - 1));
      return `Set(${o.size}) ${wrap("{", parts, "}")}`;
    }
    const proto = Object.getPrototypeOf(o) as { constructor?: { name?: string } } | null;
    const name = proto === null ? "[Object: null prototype]" : proto.constructor?.name;
    const prefix = name && name !== "Object" ? `${name} ` : "";
    if (depth < 0) return `[${name || "Object"}]`;
    const parts = Object.keys(o).map((k) => {
      const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
      return `${key}: ${this.value((o as Record<string, unknown>)[k], depth - 1)}`;
    });
    if (parts.length === 0) return `${prefix}{}`;
    return prefix + wrap("{", parts, "}");
  }
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
}

function safeSource(f: unknown): string {
  try {
    return Function.prototype.toString.call(f);
  } catch {
    return "";
  }
}

/** `[ a, b ]` on one line when short, else one item per line, as Node breaks at ~72 columns. */
function wrap(open: string, parts: string[], close: string): string {
  if (parts.length === 0) return `${open}${close}`;
  const one = `${open} ${parts.join(", ")} ${close}`;
  if (one.length <= 72 && !one.includes("\n")) return one;
  return `${open}\n${parts.map((p) => "  " + p.replace(/\n/g, "\n  ")).join(",\n")}\n${close}`;
}
