/**
 * What model code gets for `require("gradlens")`: a guarded view of the engine's namespaces
 * (the package, `nn`, `nn.functional`, `optim`, `optim.lrScheduler`, ...). Reading a name a
 * namespace does not have throws at once, naming it as the user wrote it, with the closest
 * names Gradlens has: `nn.Foo is not part of Gradlens (did you mean nn.Bar?)`, instead of
 * `TypeError: gradlens_1.nn.Foo is not a constructor` a line later. PyTorch's snake_case
 * spellings find their camelCase names (`F.cross_entropy` → `crossEntropy`), and a name that
 * lives in another namespace is pointed at (`nn.Adam` → `optim.Adam`).
 *
 * Runs inside the sandbox: plain JavaScript, no Node. The view is a Proxy over a fresh object
 * (so no invariant of the engine's own, possibly frozen, namespaces is at stake), reading and
 * writing through to the namespace.
 */

/**
 * A name model code asked of a namespace that does not have it (Python's AttributeError),
 * with the nearest names: `near` in the same namespace, `elsewhere` in others (full paths).
 */
export class MissingNameError extends Error {
  override name = "AttributeError";

  constructor(
    /** The namespace as the guard knows it: "torch.nn.", "nn.", "" for the package. */
    readonly label: string,
    readonly key: string,
    readonly near: string[],
    readonly elsewhere: string[],
  ) {
    super(missingText(label, key, near, elsewhere));
  }

  /**
   * The message with the namespace spelled as on the failing source `line` (`F.` for
   * `F.cross_entropy(...)` after `const F = nn.functional`), when the line shows it.
   */
  asWritten(line: string, column: number): string {
    const access = new RegExp(
      `((?:[A-Za-z_$][\\w$]*\\s*\\.\\s*)+)${escape(this.key)}(?![\\w$])`,
      "g",
    );
    let written: string | null = null;
    let nearest = Infinity;
    for (const m of line.matchAll(access)) {
      const end = m.index + m[0].length;
      const off = column >= m.index && column <= end ? 0 : Math.abs(column - m.index);
      if (off < nearest) [nearest, written] = [off, m[1].replace(/\s+/g, "")];
    }
    return written === null
      ? this.message
      : missingText(written, this.key, this.near, this.elsewhere);
  }
}

function missingText(label: string, key: string, near: string[], elsewhere: string[]): string {
  if (key === "default" && label === "")
    return `gradlens has no default export: write import * as torch from "gradlens"`;
  const suggestions = [...near.map((n) => label + n), ...elsewhere];
  const hint = suggestions.length ? ` (did you mean ${orList(suggestions)}?)` : "";
  return `${label}${key} is not part of Gradlens${hint}`;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Names a module loader or the runtime may probe for without meaning the engine's API. */
const PROBES = new Set([
  "then", "catch", "finally", "toJSON", "constructor", "toString", "valueOf", "inspect",
  "__proto__", "asymmetricMatch", "$$typeof", "nodeType",
]); // prettier-ignore

type Namespace = Record<string, unknown>;

/** Whether `v` is one of the engine's namespaces (a plain object of exports, not a value). */
function isNamespace(v: unknown): v is Namespace {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === null || proto === Object.prototype;
}

/**
 * The guarded view of `engine`, where the package itself is called `root` (the user's
 * `import * as torch` name, or "" when the file imports names from it).
 */
export function guardEngine(engine: object, root: string): object {
  const all = allNames(engine as Namespace);
  return guard(engine as Namespace, root ? `${root}.` : "", "", all);
}

function guard(ns: Namespace, label: string, path: string, all: Map<string, string[]>): object {
  const children = new Map<string, object>();
  const read = (key: string): unknown => {
    const value = ns[key];
    if (!isNamespace(value)) return value;
    let view = children.get(key);
    if (!view) children.set(key, (view = guard(value, `${label}${key}.`, `${path}${key}.`, all)));
    return view;
  };
  return new Proxy(Object.create(null) as object, {
    get(_target, key) {
      if (typeof key === "symbol") return ns[key as unknown as string];
      if (key in ns) return read(key);
      if (key === "__esModule") return true; // so TypeScript's import helpers take it as it is
      if (PROBES.has(key)) return undefined;
      throw missing(ns, label, path, key, all);
    },
    has: (_target, key) => key in ns,
    ownKeys: () => Reflect.ownKeys(ns),
    getOwnPropertyDescriptor(_target, key) {
      if (!Object.prototype.hasOwnProperty.call(ns, key)) return undefined;
      return { value: typeof key === "string" ? read(key) : undefined, writable: false, enumerable: true, configurable: true }; // prettier-ignore
    },
    // changes reach the namespace, as without the guard (the sandbox's snapshot sees them)
    set: (_target, key, value) => Reflect.set(ns, key, value),
    defineProperty: (_target, key, d) => Reflect.defineProperty(ns, key, d),
    deleteProperty: (_target, key) => Reflect.deleteProperty(ns, key),
  });
}

/** The error for `key` missing in `ns`, with the nearest names Gradlens has. */
function missing(
  ns: Namespace,
  label: string,
  path: string,
  key: string,
  all: Map<string, string[]>,
): MissingNameError {
  if (key === "default" && path === "") return new MissingNameError("", key, [], []);
  const near = Object.keys(ns).map((name) => ({ name, d: distance(normal(key), normal(name)) }));
  // the same name in another namespace (nn.Adam → optim.Adam), said from the package's root
  const rootLabel = label.slice(0, label.length - path.length);
  const elsewhere = (all.get(normal(key)) ?? []).map((p) => ({ name: rootLabel + p, d: 0 }));
  const limit = Math.max(1, Math.min(3, Math.floor(key.length / 3)));
  const best = Math.min(...near.map((c) => c.d), ...elsewhere.map((c) => c.d));
  if (best > limit) return new MissingNameError(label, key, [], []);
  // the nearest names; this namespace's first (nn.Conv2D → nn.Conv2d, not F.conv2d)
  const atBest = (list: { name: string; d: number }[]) =>
    [...new Set(list.filter((c) => c.d === best).map((c) => c.name))].slice(0, 3);
  const here = atBest(near);
  return new MissingNameError(label, key, here, here.length ? [] : atBest(elsewhere));
}

/** Every exported name by its normal form, with the dotted paths where it lives. */
function allNames(engine: Namespace): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (ns: Namespace, path: string, depth: number): void => {
    for (const key of Object.keys(ns)) {
      const value = ns[key];
      const list = out.get(normal(key)) ?? [];
      list.push(path + key);
      out.set(normal(key), list);
      if (depth < 3 && isNamespace(value) && key !== "trace")
        walk(value, `${path}${key}.`, depth + 1);
    }
  };
  walk(engine, "", 0);
  return out;
}

/** Case and underscores aside: `cross_entropy`, `crossEntropy` and `CrossEntropy` are one. */
function normal(name: string): string {
  return name.replace(/_/g, "").toLowerCase();
}

/** Levenshtein distance with adjacent transpositions (a typo's usual shapes). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

function orList(items: string[]): string {
  return items.length === 1
    ? items[0]
    : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
