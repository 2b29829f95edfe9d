/** How numbers, shapes and gradients read on the page: short, and the same everywhere. */
import type { GraphNodeDto, TensorSummary } from "./protocol";

/** `[2, 3]`; a 0-d tensor is `scalar`. */
export function formatShape(shape: readonly number[] | undefined): string {
  if (!shape) return "";
  return shape.length === 0 ? "scalar" : `[${shape.join(", ")}]`;
}

/** Four significant digits; exponent form for the very large and the very small. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e5 || a < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

/** The gradient line drawn under a node: its 2-norm (mean for one-element tensors reads better). */
export function gradientLine(grad: TensorSummary): string {
  return grad.numel === 1 ? `∇ ${formatNumber(grad.mean)}` : `∇ ‖${formatNumber(grad.norm)}‖`;
}

/** The value a one-element tensor holds, e.g. the loss: ` = 4.5`; nothing otherwise. */
export function scalarValue(node: GraphNodeDto): string {
  const v = node.value;
  if (!v?.values || v.numel !== 1 || v.values.length !== 1) return "";
  const text = formatNumber(v.values[0]);
  return text === node.label ? "" : ` = ${text}`; // a constant is often labelled by its value
}

/** `model.ts:4:11` from a path of either slash. */
export function formatLocation(loc: { file: string; line: number; column: number }): string {
  const name = loc.file.split(/[\\/]/).pop() ?? loc.file;
  return `${name}:${loc.line}:${loc.column}`;
}
