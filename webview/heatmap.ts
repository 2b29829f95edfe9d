/**
 * A 2-D slice of a tensor drawn as a heatmap on a canvas, one pixel per element, scaled up with
 * crisp edges. The colour scale diverges around zero (zero is the background colour), with the
 * same symmetric range for every slice of a tensor, so slices can be compared by eye. Elements
 * the host did not send (TensorSummary.values stops at 4096) are drawn hatched.
 */
import type { TensorSummary } from "./protocol";
import { mix, parseHex, type Theme } from "./theme";

/** A rows × cols window of a tensor's values: the last two dims, the leading ones fixed. */
export interface Slice {
  rows: number;
  cols: number;
  /** Offset of element [0, 0] in the row-major values. */
  offset: number;
}

/** The slice at `fixed` (one index per leading dim); rank 1 is one row, rank 0 one cell. */
export function sliceOf(shape: readonly number[], fixed: readonly number[]): Slice {
  const r = shape.length;
  if (r === 0) return { rows: 1, cols: 1, offset: 0 };
  if (r === 1) return { rows: 1, cols: shape[0], offset: 0 };
  const rows = shape[r - 2];
  const cols = shape[r - 1];
  let offset = 0;
  let stride = rows * cols;
  for (let d = r - 3; d >= 0; d--) {
    offset += (fixed[d] ?? 0) * stride;
    stride *= shape[d];
  }
  return { rows, cols, offset };
}

/** The largest on-screen side of a heatmap, in CSS pixels. */
const MAX_SIDE = 148;

/** Draws `t`'s slice on `canvas` and sizes it; returns CSS pixels per element. */
export function drawHeatmap(
  canvas: HTMLCanvasElement,
  t: TensorSummary,
  s: Slice,
  theme: Theme,
): number {
  canvas.width = Math.max(1, s.cols);
  canvas.height = Math.max(1, s.rows);
  const scale = Math.min(40, MAX_SIDE / Math.max(s.rows, s.cols, 1));
  canvas.style.width = `${Math.max(1, Math.round(s.cols * scale))}px`;
  canvas.style.height = `${Math.max(1, Math.round(s.rows * scale))}px`;
  const ctx = canvas.getContext("2d");
  if (!ctx) return scale;
  const img = ctx.createImageData(canvas.width, canvas.height);
  const maxAbs = Math.max(Math.abs(t.min), Math.abs(t.max)) || 1;
  const bg = parseHex(theme.bg);
  const pos = parseHex(theme.positive);
  const neg = parseHex(theme.negative);
  const hatch = parseHex(mix(theme.bg, theme.muted, 0.35));
  const values = t.values ?? [];
  for (let i = 0; i < s.rows; i++) {
    for (let j = 0; j < s.cols; j++) {
      const k = s.offset + i * s.cols + j;
      const p = (i * s.cols + j) * 4;
      let rgb: number[];
      if (k >= values.length)
        rgb = (i + j) % 2 ? bg : hatch; // not sent by the host
      else {
        const v = values[k] / maxAbs;
        const end = v >= 0 ? pos : neg;
        const a = Math.min(1, Math.abs(v)) || 0;
        rgb = bg.map((c, n) => c + (end[n] - c) * a);
      }
      img.data[p] = rgb[0];
      img.data[p + 1] = rgb[1];
      img.data[p + 2] = rgb[2];
      img.data[p + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return scale;
}

/** The element under a mouse position on a heatmap, or null. */
export function cellAt(e: MouseEvent, s: Slice, scale: number): { i: number; j: number } | null {
  const i = Math.floor(e.offsetY / scale);
  const j = Math.floor(e.offsetX / scale);
  return i >= 0 && j >= 0 && i < s.rows && j < s.cols ? { i, j } : null;
}
