/**
 * Prints tensors as PyTorch does (`torch/_tensor_str.py`, default print options): one width
 * for all elements, `1.` style when every value is whole, 4 decimals otherwise, scientific
 * notation for wide ranges, 80-column lines, `...` past 1000 elements. The only change is
 * that suffixes use this API's names: `gradFn=<MulBackward0>`, `requiresGrad=True`.
 */
import type { Tensor } from "./tensor";
import { pyTuple } from "./shape";

const LINE_WIDTH = 80;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const PRECISION = 4;

/** Python's `"{:.Nf}".format(x)`: correct rounding, ties to even. */
function fixed(x: number, digits: number): string {
  const scaled = x * 10 ** digits;
  // float32 values times 10^4 are exact in double, so a tie is seen exactly here
  if (Number.isFinite(scaled) && Math.abs(scaled - Math.trunc(scaled)) === 0.5) {
    const lower = Math.trunc(scaled);
    const even = lower % 2 === 0 ? lower : lower + Math.sign(scaled);
    return (even / 10 ** digits).toFixed(digits);
  }
  // JS drops the sign of -0; Python keeps it
  return Object.is(x, -0) ? "-" + x.toFixed(digits) : x.toFixed(digits);
}

/** Python's `"{:.Ne}".format(x)`: a two-digit exponent at least. */
function scientific(x: number, digits: number): string {
  return x.toExponential(digits).replace(/e([+-])(\d)$/, "e$10$2");
}

function special(x: number): string | null {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return null;
}

/** PyTorch's `_Formatter`: picks one notation and width from the values shown. */
class Formatter {
  private intMode = true;
  private sciMode = false;
  private maxWidth = 1;

  constructor(
    private readonly floating: boolean,
    private readonly isBool: boolean,
    values: number[],
  ) {
    if (!floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, this.plain(v).length);
      return;
    }
    const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (finite.length === 0) return;
    const abs = finite.map(Math.abs);
    const min = Math.min(...abs);
    const max = Math.max(...abs);
    this.intMode = finite.every((v) => v === Math.ceil(v));
    if (this.intMode) {
      if (max / min > 1000 || max > 1e8) {
        this.sciMode = true;
        for (const v of finite) this.maxWidth = Math.max(this.maxWidth, scientific(v, PRECISION).length);
      } else {
        for (const v of finite) this.maxWidth = Math.max(this.maxWidth, fixed(v, 0).length + 1);
      }
    } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
      this.sciMode = true;
      for (const v of finite) this.maxWidth = Math.max(this.maxWidth, scientific(v, PRECISION).length);
    } else {
      for (const v of finite) this.maxWidth = Math.max(this.maxWidth, fixed(v, PRECISION).length);
    }
  }

  private plain(v: number): string {
    return this.isBool ? (v !== 0 ? "True" : "False") : String(v);
  }

  width(): number {
    return this.maxWidth;
  }

  format(v: number): string {
    let s: string;
    if (!this.floating) s = this.plain(v);
    else if (special(v) !== null) s = special(v)!;
    else if (this.sciMode) s = scientific(v, PRECISION);
    else if (this.intMode) s = fixed(v, 0) + ".";
    else s = fixed(v, PRECISION);
    return s.padStart(this.maxWidth, " ");
  }
}

/** A nested view of contiguous values: shape and offset into the storage. */
interface Block {
  shape: readonly number[];
  offset: number;
}

function sub(block: Block, i: number): Block {
  const stride = block.shape.slice(1).reduce((a, b) => a * b, 1);
  return { shape: block.shape.slice(1), offset: block.offset + i * stride };
}

/** The values PyTorch's formatter looks at: all, or only the edges when summarizing. */
function shownValues(values: Float32Array, block: Block, summarize: boolean): number[] {
  if (block.shape.length === 0) return [values[block.offset]];
  const n = block.shape[0];
  const idx =
    summarize && n > 2 * EDGE_ITEMS
      ? [0, 1, 2, n - 3, n - 2, n - 1]
      : Array.from({ length: n }, (_, i) => i);
  return idx.flatMap((i) => shownValues(values, sub(block, i), summarize));
}

function vectorStr(values: Float32Array, block: Block, indent: number, summarize: boolean, f: Formatter): string {
  const n = block.shape[0];
  const elementLength = f.width() + 2;
  const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / elementLength));
  const at = (i: number) => f.format(values[block.offset + i]);
  const data =
    summarize && n > 2 * EDGE_ITEMS
      ? [at(0), at(1), at(2), " ...", at(n - 3), at(n - 2), at(n - 1)]
      : Array.from({ length: n }, (_, i) => at(i));
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(", "));
  return "[" + lines.join(",\n" + " ".repeat(indent + 1)) + "]";
}

function tensorStr(values: Float32Array, block: Block, indent: number, summarize: boolean, f: Formatter): string {
  const dim = block.shape.length;
  if (dim === 0) return f.format(values[block.offset]);
  if (dim === 1) return vectorStr(values, block, indent, summarize, f);
  const n = block.shape[0];
  const part = (i: number) => tensorStr(values, sub(block, i), indent + 1, summarize, f);
  const slices =
    summarize && n > 2 * EDGE_ITEMS
      ? [part(0), part(1), part(2), "...", part(n - 3), part(n - 2), part(n - 1)]
      : Array.from({ length: n }, (_, i) => part(i));
  return "[" + slices.join("," + "\n".repeat(dim - 1) + " ".repeat(indent + 1)) + "]";
}

/**
 * PyTorch's `_add_suffixes`: each suffix goes on the last line, or on a new one past 80 columns.
 * NOTE: a suffix is measured as PyTorch spells it (`grad_fn=`, `requires_grad=`, one character
 * longer than ours), so lines break exactly where PyTorch breaks them.
 */
function addSuffixes(text: string, suffixes: string[], indent: number): string {
  const parts = [text];
  let lastLineLength = text.length - text.lastIndexOf("\n") + 1;
  for (const suffix of suffixes) {
    const length = suffix.length + (/^(gradFn|requiresGrad)=/.test(suffix) ? 1 : 0);
    if (lastLineLength + length + 2 > LINE_WIDTH) {
      parts.push(",\n" + " ".repeat(indent) + suffix);
      lastLineLength = indent + length;
    } else {
      parts.push(", " + suffix);
      lastLineLength += length + 2;
    }
  }
  parts.push(")");
  return parts.join("");
}

/**
 * `tensor([[-1.5000,  0.0000], ...], gradFn=<SubBackward0>)`; with `names: "python"` the
 * suffixes are PyTorch's own (`grad_fn=<SubBackward0>`, `requires_grad=True`), for the
 * Python front end's `print`.
 */
export function formatTensor(t: Tensor, names: "api" | "python" = "api"): string {
  const prefix = "tensor(";
  const indent = prefix.length;
  const suffixes: string[] = [];
  let body: string;
  if (t.numel() === 0) {
    body = "[]";
    if (t.shape.length !== 1) suffixes.push(`size=${pyTuple(t.shape)}`);
  } else {
    const summarize = t.numel() > THRESHOLD;
    const block = { shape: t.shape, offset: 0 };
    const f = new Formatter(t.dtype === "float32", t.dtype === "bool", shownValues(t._values, block, summarize));
    body = tensorStr(t._values, block, indent, summarize, f);
  }
  if (t.gradFn) suffixes.push(`gradFn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffixes.push("requiresGrad=True");
  const text = addSuffixes(prefix + body, suffixes, indent);
  return names === "python" ? text.replace(/gradFn=<([^>]*)>\)$/, "grad_fn=<$1>)").replace(/requiresGrad=True\)$/, "requires_grad=True)") : text;
}
