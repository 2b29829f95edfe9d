/**
 * Python's `x[...]` as `x.index(...)` and `x[...] = v` as `x.indexPut_([...], v)`, with
 * PyTorch's semantics: numbers, slices (`"1:3"`, `"::2"`, `torch.slice(i, j)`), `null` (a new
 * axis) and `"..."` give a view made of PyTorch's own view ops (SelectBackward0,
 * SliceBackward0, UnsqueezeBackward0) in the order the index is written; long tensors (or
 * arrays of numbers) and bool masks then index that view by copy (`IndexBackward0`), as
 * ATen's `applySlicing` then `index` do.
 */
import { defineOp, traced } from "../autograd/apply";
import { Tensor } from "../tensor";
import { IndexError, RuntimeError } from "../errors";
import { bracketed, broadcastShapes, numelOf, sameShape, type Shape } from "../shape";
import { gatherAt, planIndex, putAt, type IndexPlan } from "../kernels/advancedIndex";
import { expandTo } from "../kernels/elementwise";
import { sumTo } from "../kernels/reduce";
import { expand, select, slice, unsqueeze, view } from "./view";

/** `torch.slice(start?, end?, step?)`: Python's `start:end:step`; null or omitted for an open end. */
export class Slice {
  constructor(
    readonly start: number | null = null,
    readonly end: number | null = null,
    readonly step: number | null = null,
  ) {}
}

export function sliceOf(start?: number | null, end?: number | null, step?: number | null): Slice {
  return new Slice(start ?? null, end ?? null, step ?? null);
}

/** One entry of an index, as `x.index(...)` takes it. */
export type IndexItem = number | string | null | Slice | Tensor | readonly number[];

const ELLIPSIS = "...";
type Parsed = number | Slice | null | typeof ELLIPSIS | Tensor;

const SLICE = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?$/;

function parse(item: IndexItem): Parsed {
  if (item === null || typeof item === "number" || item instanceof Slice || item instanceof Tensor) {
    if (typeof item === "number" && !Number.isInteger(item)) {
      throw new IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices");
    }
    return item;
  }
  if (Array.isArray(item)) return Tensor._make(Float32Array.from(item as number[]), [item.length], "int64");
  if (typeof item === "string") {
    const text = item.trim();
    if (text === ELLIPSIS) return ELLIPSIS;
    if (/^-?\d+$/.test(text)) return Number(text);
    const m = SLICE.exec(text);
    if (m) {
      const n = (s: string | undefined): number | null => (s === undefined ? null : Number(s));
      return new Slice(n(m[1]), n(m[2]), n(m[3]));
    }
  }
  throw new IndexError(
    `Gradlens cannot read ${JSON.stringify(item)} as an index: use a number, a slice such as "1:3" or "::2", "...", null, or a long or bool tensor`,
  );
}

/** How many of the indexed tensor's dims an entry uses. */
function dimsUsed(p: Parsed): number {
  if (p === null || p === ELLIPSIS) return 0;
  if (p instanceof Tensor) return p.dtype === "bool" ? Math.max(p.shape.length, 1) : 1;
  return 1;
}

/** The basic part of an index applied as views, and the advanced part left for a copy. */
interface Applied {
  view: Tensor;
  /** Per dim of `view`: its index tensor, or null; empty when the index is basic only. */
  advanced: (Tensor | null)[];
}

function applyBasic(x: Tensor, items: readonly IndexItem[]): Applied {
  const parsed = items.map(parse);
  if (parsed.filter((p) => p === ELLIPSIS).length > 1) {
    throw new IndexError("an index can only have a single ellipsis ('...')");
  }
  const used = parsed.reduce<number>((n, p) => n + dimsUsed(p), 0);
  if (used > x.shape.length) throw new IndexError(`too many indices for tensor of dimension ${x.shape.length}`);
  let t = x;
  let dim = 0; // in t
  let src = 0; // in x, for PyTorch's messages
  const advanced: (Tensor | null)[] = [];
  let anyAdvanced = false;
  for (const p of parsed) {
    if (typeof p === "number" || (p instanceof Tensor && p.dtype !== "bool" && p.shape.length === 0)) {
      const i = typeof p === "number" ? p : indexValue(p);
      const size = t.shape[dim];
      if (i < -size || i >= size) {
        throw new IndexError(`index ${i} is out of bounds for dimension ${src} with size ${size}`, {
          kind: "indexOutOfRange",
          index: i,
          size,
          dim: src,
        });
      }
      t = select(t, dim, i);
      src++;
    } else if (p instanceof Slice) {
      // PyTorch skips a slice written out in full (`0:n`, step 1) when the index has several
      // entries: `x[0:2, :]` is one SliceBackward0, not two (`:` itself is not skipped)
      const full = parsed.length > 1 && p.start === 0 && p.end === t.shape[dim] && (p.step ?? 1) === 1;
      if (!full) t = slice(t, dim, p.start, p.end, p.step ?? 1);
      advanced.push(null);
      dim++;
      src++;
    } else if (p === null) {
      t = unsqueeze(t, dim);
      advanced.push(null);
      dim++;
    } else if (p === ELLIPSIS) {
      const n = x.shape.length - used;
      for (let k = 0; k < n; k++) advanced.push(null);
      dim += n;
      src += n;
    } else {
      const k = dimsUsed(p);
      if (p.dtype === "bool") {
        const want = t.shape.slice(dim, dim + k);
        if (!sameShape(p.shape.length ? p.shape : [1], want) && p.shape.length) {
          const at = p.shape.findIndex((s, i) => s !== want[i]);
          throw new IndexError(
            `The shape of the mask ${bracketed(p.shape)} at index ${at} does not match the shape of the indexed tensor ${bracketed(t.shape)} at index ${dim + at}`,
          );
        }
        advanced.push(...nonzero(p));
      } else {
        if (p.dtype !== "int64") throw new IndexError("tensors used as indices must be long, byte or bool tensors");
        advanced.push(p);
      }
      anyAdvanced = true;
      dim += k;
      src += k;
    }
  }
  if (!anyAdvanced) return { view: t, advanced: [] };
  while (advanced.length < t.shape.length) advanced.push(null);
  return { view: t, advanced };
}

function indexValue(t: Tensor): number {
  if (t.dtype !== "int64") throw new IndexError("tensors used as indices must be long, byte or bool tensors");
  return t._values[0];
}

/** A mask's true positions as one long tensor per mask dim (PyTorch's `nonzero`). */
function nonzero(mask: Tensor): Tensor[] {
  const shape = mask.shape;
  const values = mask._values;
  const hits: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) hits.push(i);
  return shape.map((_, d) => {
    const stride = numelOf(shape.slice(d + 1));
    return Tensor._make(Float32Array.from(hits, (h) => Math.floor(h / stride) % shape[d]), [hits.length], "int64");
  });
}

/** The advanced part, broadcast and checked: flat index arrays per dim and the plan. */
function planFor(t: Tensor, advanced: (Tensor | null)[]): IndexPlan {
  const tensors = advanced.filter((a): a is Tensor => a !== null);
  let broadcast: number[] = [];
  try {
    for (const a of tensors) broadcast = broadcastShapes(broadcast, a.shape);
  } catch {
    throw new IndexError(
      `shape mismatch: indexing tensors could not be broadcast together with shapes ${tensors.map((a) => bracketed(a.shape)).join(", ")}`,
    );
  }
  const flat = advanced.map((a, d) => {
    if (!a) return null;
    const values = expandTo(a, broadcast)._values;
    const size = t.shape[d];
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < -size || v >= size) throw new IndexError(`index ${v} is out of bounds for dimension ${d} with size ${size}`);
      out[i] = v < 0 ? v + size : v;
    }
    return out;
  });
  return planIndex(t.shape, flat, broadcast);
}

export const Index = defineOp<{ plan: IndexPlan }>({
  name: "IndexBackward0",
  forward: (_ctx, [x], { plan }) => Tensor._make(gatherAt(x._values, plan.sources), plan.outShape.slice(), x.dtype),
  // each picked element's gradient goes back to where it was read from (summed when read twice)
  backward(ctx, [g], { plan }) {
    const shape = ctx.inputShape(0);
    const out = new Float32Array(numelOf(shape));
    putAt(out, plan.sources, g._values, true);
    return [Tensor._make(out, shape.slice())];
  },
});

export const Alias = defineOp({
  name: "AliasBackward0",
  forward: (_ctx, [x]) => view(x, x.shape),
  backward: (_ctx, [g]) => [g],
});

/** `x[...items]`: a view for basic indexing, an `IndexBackward0` copy for advanced. */
export function index(x: Tensor, items: readonly IndexItem[]): Tensor {
  return traced("index", [x], () => {
    const { view: t, advanced } = applyBasic(x, items);
    if (advanced.length === 0) return t === x ? Alias.apply([x], undefined) : t;
    return Index.apply([t], { plan: planFor(t, advanced) });
  });
}

const IndexPut = defineOp<{ plan: IndexPlan; accumulate: boolean }>({
  name: "IndexPutBackward0",
  forward(_ctx, [x, v], { plan, accumulate }) {
    const out = x._values.slice();
    putAt(out, plan.sources, valuesFor(v, plan.outShape), accumulate);
    return Tensor._make(out, x.shape.slice(), x.dtype);
  },
  // self keeps its gradient where it was not overwritten; the values get what reached their places
  backward(ctx, [g], { plan, accumulate }) {
    let self: Tensor | null = null;
    if (ctx.needsInputGrad[0]) {
      const out = g._values.slice();
      if (!accumulate) putAt(out, plan.sources, new Float32Array(plan.sources.length), false);
      self = Tensor._make(out, g.shape.slice());
    }
    const values = ctx.needsInputGrad[1]
      ? sumTo(Tensor._make(gatherAt(g._values, plan.sources), plan.outShape.slice()), ctx.inputShape(1))
      : null;
    return [self, values];
  },
});

/** ATen's slicePrefix1sSize: a shape without its leading 1s. */
function withoutLeadingOnes(shape: Shape): number[] {
  let i = 0;
  while (i < shape.length && shape[i] === 1) i++;
  return shape.slice(i);
}

/** The value tensor broadcast to the indexing result, with PyTorch's message when it does not fit. */
function valuesFor(v: Tensor, outShape: Shape): Float32Array {
  try {
    if (broadcastShapes(v.shape, outShape).join() !== outShape.join()) throw new RuntimeError("");
  } catch {
    throw new RuntimeError(
      `shape mismatch: value tensor of shape ${bracketed(v.shape)} cannot be broadcast to indexing result of shape ${bracketed(outShape)}`,
    );
  }
  return expandTo(v, outShape.slice())._values;
}

/**
 * `x[...items] = value` in place: through a view of `x` (CopySlices in the graph) for a basic
 * index, else `IndexPutBackward0` on that view. Returns `x`.
 */
export function indexPut_(x: Tensor, items: readonly IndexItem[], value: Tensor | number, accumulate = false): Tensor {
  const { view: t, advanced } = applyBasic(x, items);
  const v = typeof value === "number" ? null : value;
  if (advanced.length === 0) {
    if (accumulate) t.add_(value);
    else if (!v) t.fill_(value as number);
    else if (sameShape(v.shape, t.shape) || v.shape.length === 0) t.copy_(v);
    else {
      // as PyTorch's setitem (copy_to): leading 1s dropped by a view, then expanded to fit
      const fitted = view(v, withoutLeadingOnes(v.shape));
      t.copy_(sameShape(fitted.shape, t.shape) ? fitted : expand(fitted, t.shape));
    }
    return x;
  }
  const plan = planFor(t, advanced);
  const stripped = v ? withoutLeadingOnes(v.shape) : [];
  const valueTensor = !v
    ? Tensor._make(Float32Array.of(value as number), [], t.dtype)
    : sameShape(stripped, v.shape)
      ? v
      : view(v, stripped);
  t._applyInPlace((self) => IndexPut.apply([self, valueTensor], { plan, accumulate }), valueTensor);
  return x;
}
