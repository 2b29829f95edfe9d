/**
 * The size formula of a conv / transposed conv / pool / resizing layer in terms of its input
 * size, for the hint after `new nn.Conv2d(...)`: PyTorch's documented formula with this layer's
 * numbers put in and simplified, e.g. `H×W → (H − 4)×(W − 4)`, `H×W → ⌊H/2⌋×⌊W/2⌋`,
 * `H×W → 1×1` (adaptive pooling) or `H×W → 2·H×2·W` (upsampling).
 */
import { convOutTerm, convTransposeOutTerm, poolOutTerm } from "../../../engine/nn/shapes";

type Kind = "conv" | "convTranspose" | "pool";

const LAYERS: Record<string, { kind: Kind; dims: number }> = {
  Conv1d: { kind: "conv", dims: 1 },
  Conv2d: { kind: "conv", dims: 2 },
  ConvTranspose1d: { kind: "convTranspose", dims: 1 },
  ConvTranspose2d: { kind: "convTranspose", dims: 2 },
  MaxPool1d: { kind: "pool", dims: 1 },
  MaxPool2d: { kind: "pool", dims: 2 },
  AvgPool1d: { kind: "pool", dims: 1 },
  AvgPool2d: { kind: "pool", dims: 2 },
};

/** Layers whose output size is set, not slid: adaptive pooling and resizing. */
const RESIZERS = new Set(["AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "Upsample"]);

/** The engine layer class a module is (or extends), by name, among `names`. */
export function layerClass(
  module: object,
  names: { has(name: string): boolean },
): string | undefined {
  for (
    let p = Object.getPrototypeOf(module);
    p && p !== Object.prototype;
    p = Object.getPrototypeOf(p)
  ) {
    const name = (p.constructor as { name?: string } | undefined)?.name;
    if (name && names.has(name)) return name;
  }
  return undefined;
}

/** `AdaptiveAvgPool2d(1)` and `H×W → 1×1`; `Upsample(×2, bilinear)` and `H×W → 2·H×2·W`. */
function describeResizer(
  cls: string,
  m: Record<string, unknown>,
): { description: string; formula: string } {
  const names = ["H", "W"];
  if (cls !== "Upsample") {
    const size = m.outputSize as number | (number | null)[];
    const outs = names.map((x, i) => (Array.isArray(size) ? (size[i] ?? x) : size));
    const shown = Array.isArray(size)
      ? `[${size.map((v) => v ?? "None").join(", ")}]`
      : String(size);
    return { description: `${cls}(${shown})`, formula: `H×W → ${outs.join("×")}` };
  }
  const o = (m.options ?? {}) as {
    size?: number | number[] | null;
    scaleFactor?: number | number[] | null;
    mode?: string;
  };
  const mode = o.mode ?? "nearest";
  if (o.size !== undefined && o.size !== null) {
    const size = Array.isArray(o.size) ? o.size : [o.size, o.size];
    return {
      description: `Upsample(size=[${size.join(", ")}], ${mode})`,
      formula: `H×W → ${size.join("×")}`,
    };
  }
  const f = o.scaleFactor ?? 1;
  const factors = Array.isArray(f) ? f : [f, f];
  const outs = names.map((x, i) =>
    Number.isInteger(factors[i]) ? `${factors[i]}·${x}` : `⌊${factors[i]}·${x}⌋`,
  );
  return {
    description: `Upsample(×${compact(factors)}, ${mode})`,
    formula: `H×W → ${outs.join("×")}`,
  };
}

/** A setting read as one number per dim (`3` or `[3, 5]`); `fallback` when absent. */
function perDim(v: unknown, dims: number, fallback: number): number[] {
  if (Array.isArray(v))
    return dims === v.length
      ? v.map(Number)
      : new Array<number>(dims).fill(Number(v[0] ?? fallback));
  return new Array<number>(dims).fill(typeof v === "number" ? v : fallback);
}

/** One dim's output size in terms of its input size `x`, by engine/nn/shapes.ts's formulas. */
function dimFormula(
  kind: Kind,
  x: string,
  k: number,
  s: number,
  p: number | "same",
  d: number,
  op: number,
  ceil: boolean,
): string {
  if (kind === "convTranspose")
    return convTransposeOutTerm(x, k, {
      stride: s,
      padding: p === "same" ? 0 : p,
      dilation: d,
      outputPadding: op,
    });
  if (kind === "conv") return convOutTerm(x, k, { stride: s, padding: p, dilation: d });
  return poolOutTerm(x, k, {
    stride: s,
    padding: p === "same" ? 0 : p,
    dilation: d,
    ceilMode: ceil,
  });
}

/** `3` when every dim has it, else `[3, 5]`. */
function compact(v: number[]): string {
  return v.every((x) => x === v[0]) ? String(v[0]) : `[${v.join(", ")}]`;
}

/** `Conv2d(20→16, k=[3, 5])` and `H×W → (H − 2)×(W − 4)`, or undefined for other modules. */
export function describeLayer(
  module: object,
): { description: string; formula: string } | undefined {
  const resizer = layerClass(module, RESIZERS);
  if (resizer) return describeResizer(resizer, module as Record<string, unknown>);
  const cls = layerClass(module, new Set(Object.keys(LAYERS)));
  if (!cls) return undefined;
  const { kind, dims } = LAYERS[cls];
  const m = module as Record<string, unknown>;
  const weight = m.weight as { shape?: number[] } | undefined;
  const k = perDim(m.kernelSize ?? weight?.shape?.slice(2), dims, 1);
  const s = perDim(m.stride, dims, kind === "pool" ? Number.NaN : 1).map((v, i) =>
    Number.isNaN(v) ? k[i] : v,
  );
  const samePadding = m.padding === "same";
  const p = perDim(m.padding === "valid" || samePadding ? 0 : m.padding, dims, 0);
  const d = perDim(m.dilation, dims, 1);
  const op = perDim(m.outputPadding, dims, 0);
  const ceil = m.ceilMode === true;
  const names = dims === 1 ? ["L"] : ["H", "W"];
  const outs = names.map((x, i) =>
    dimFormula(kind, x, k[i], s[i], samePadding ? "same" : p[i], d[i], op[i], ceil),
  );
  const wrap = (f: string, x: string): string =>
    dims > 1 && f !== x && !/^[⌊⌈].*[⌋⌉]$/.test(f) ? `(${f})` : f;
  const formula = `${names.join("×")} → ${outs.map((f, i) => wrap(f, names[i])).join("×")}`;

  const parts: string[] = [];
  if (kind !== "pool") parts.push(`${m.inChannels ?? "?"}→${m.outChannels ?? "?"}`);
  parts.push(`k=${compact(k)}`);
  if (kind === "pool" ? s.some((v, i) => v !== k[i]) : s.some((v) => v !== 1))
    parts.push(`s=${compact(s)}`);
  if (samePadding) parts.push("p=same");
  else if (p.some((v) => v !== 0)) parts.push(`p=${compact(p)}`);
  if (d.some((v) => v !== 1)) parts.push(`d=${compact(d)}`);
  if (op.some((v) => v !== 0)) parts.push(`op=${compact(op)}`);
  if (typeof m.groups === "number" && m.groups !== 1) parts.push(`g=${m.groups}`);
  return { description: `${cls}(${parts.join(", ")})`, formula };
}
