/**
 * The one colour scale of the page: a tensor's magnitude (its gradient's 2-norm, that over its
 * value's, or its value's) on a log10 axis, drawn in viridis' colours (perceptually even, its
 * lightness rising from dark purple to yellow, readable by the colour-blind and in greyscale).
 * The colours are computed from viridis' published stops, not read from an image.
 *
 * Theme-aware: the end of the scale that would melt into the background is left out (the dark
 * purple on a dark theme, the yellow on a light one), so every coloured edge stands out; high
 * contrast asks for more separation. Pure: no DOM.
 */
import type { TensorSummary } from "./protocol";

/** What the colour means: node kinds (no magnitude), or one of the three magnitudes. */
export type ColourMode = "kinds" | "gradient" | "ratio" | "value";

export const COLOUR_MODES: readonly ColourMode[] = ["kinds", "gradient", "ratio", "value"];

type Rgb = [number, number, number];

/** matplotlib's viridis at 0, 0.1, …, 1. */
const VIRIDIS: readonly string[] = [
  "#440154",
  "#482475",
  "#414487",
  "#355f8d",
  "#2a788e",
  "#21918c",
  "#22a884",
  "#44bf70",
  "#7ad151",
  "#bddf26",
  "#fde725",
];

function hexRgb(hex: string): Rgb {
  const n = parseInt(hex.slice(1, 7), 16) || 0;
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function rgbHex(rgb: readonly number[]): string {
  return "#" + rgb.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
}

const STOPS = VIRIDIS.map(hexRgb);

/** Viridis at `t` in [0, 1], as `#rrggbb` (linear between the stops). */
export function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  return rgbHex(STOPS[i].map((c, k) => c + (STOPS[i + 1][k] - c) * f));
}

/** WCAG relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = hexRgb(hex);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Black or white, whichever reads better on `fill`. */
export function inkOn(fill: string): string {
  return contrast(fill, "#000000") >= contrast(fill, "#ffffff") ? "#000000" : "#ffffff";
}

/**
 * The part [lo, hi] of viridis used on this background: each end goes only as far as colours
 * keep `min` contrast with the background (viridis' lightness is monotonic, so it is one range).
 */
export function usableRange(bg: string, highContrast: boolean): { lo: number; hi: number } {
  const min = highContrast ? 2.5 : 1.6;
  const steps = 100;
  let lo = 0;
  let hi = 1;
  while (lo < 0.5 && contrast(viridis(lo), bg) < min) lo += 1 / steps;
  while (hi > 0.5 && contrast(viridis(hi), bg) < min) hi -= 1 / steps;
  return { lo, hi };
}

/** The magnitude a mode reads from a node's value and gradient; undefined when it has none. */
export function magnitudeOf(
  mode: ColourMode,
  value: TensorSummary | undefined,
  grad: TensorSummary | null | undefined,
): number | undefined {
  if (mode === "kinds") return undefined;
  if (mode === "value") return value?.norm;
  if (!grad) return undefined;
  if (mode === "gradient") return grad.norm;
  return value && value.norm > 0 ? grad.norm / value.norm : undefined;
}

/** Where a magnitude lands: a colour, or one of the two cases the scale cannot place. */
export type Placed =
  | { kind: "colour"; t: number; fill: string; ink: string }
  | { kind: "zero" }
  | { kind: "nonFinite" };

/**
 * A scale over the magnitudes of one graph: log10 from the smallest positive one (dark end) to
 * the largest (light end). Zero and NaN/±Infinity are placed apart (drawn as warnings).
 */
export class MagnitudeScale {
  /** log10 of the smallest and largest finite positive magnitude (equal when there is one). */
  readonly low: number;
  readonly high: number;
  readonly empty: boolean;

  constructor(
    magnitudes: Iterable<number>,
    private readonly range: { lo: number; hi: number } = { lo: 0, hi: 1 },
  ) {
    let low = Infinity;
    let high = -Infinity;
    for (const m of magnitudes) {
      if (!(m > 0) || !Number.isFinite(m)) continue;
      const e = Math.log10(m);
      if (e < low) low = e;
      if (e > high) high = e;
    }
    this.empty = low > high;
    this.low = this.empty ? 0 : low;
    this.high = this.empty ? 0 : high;
  }

  /** The position (0..1 of the colours used) of a positive finite magnitude. */
  position(m: number): number {
    const span = this.high - this.low;
    return span > 0 ? (Math.log10(m) - this.low) / span : 0.5;
  }

  /** The colour at position `p` (0..1) of this scale. */
  colourAt(p: number): string {
    return viridis(this.range.lo + (this.range.hi - this.range.lo) * p);
  }

  place(m: number): Placed {
    if (!Number.isFinite(m)) return { kind: "nonFinite" };
    if (m <= 0) return { kind: "zero" };
    const t = this.position(m);
    const fill = this.colourAt(t);
    return { kind: "colour", t, fill, ink: inkOn(fill) };
  }
}
