/**
 * The editor's theme as plain colours. The page CSS (pageCss.ts) maps every `--vscode-*`
 * variable to a `--gl-*` one with a fallback; the canvas-drawn parts (Cytoscape, heatmaps)
 * cannot use CSS variables, so they read the computed values here and re-read them when VS Code
 * switches theme (it changes body's class and the variables on <html>).
 */

export interface Theme {
  bg: string;
  fg: string;
  muted: string;
  border: string;
  focus: string;
  error: string;
  warning: string;
  widgetBg: string;
  op: string;
  leaf: string;
  param: string;
  tensor: string;
  constant: string;
  module: string;
  /** The two ends of the diverging heatmap scale (negative, positive). */
  negative: string;
  positive: string;
  font: string;
  highContrast: boolean;
}

const KEYS = [
  "bg",
  "fg",
  "muted",
  "border",
  "focus",
  "error",
  "warning",
  "widgetBg",
  "op",
  "leaf",
  "param",
  "tensor",
  "constant",
  "module",
  "negative",
  "positive",
] as const;

/** The current theme, every colour normalised to `#rrggbb` (what canvas code can mix). */
export function readTheme(): Theme {
  const css = getComputedStyle(document.body);
  const get = (key: string): string =>
    css.getPropertyValue(`--gl-${key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}`).trim();
  const colours = {} as Record<(typeof KEYS)[number], string>;
  for (const k of KEYS) colours[k] = normaliseColour(get(k), k === "bg" ? "#1e1e1e" : "#888888");
  const cls = document.body.classList;
  return {
    ...colours,
    font: cytoscapeFont(get("font")),
    highContrast:
      cls.contains("vscode-high-contrast") || cls.contains("vscode-high-contrast-light"),
  };
}

/** Calls `onChange` (once per frame at most) whenever the theme may have changed. */
export function watchTheme(onChange: () => void): () => void {
  let pending = 0;
  const schedule = (): void => {
    if (!pending) pending = requestAnimationFrame(() => ((pending = 0), onChange()));
  };
  const observer = new MutationObserver(schedule);
  observer.observe(document.body, { attributes: true, attributeFilter: ["class"] });
  observer.observe(document.documentElement, {
    attributes: true,
    attributeFilter: ["style", "class"],
  });
  const media = matchMedia("(prefers-color-scheme: light)"); // the CLI's page outside VS Code
  media.addEventListener("change", schedule);
  return () => {
    observer.disconnect();
    media.removeEventListener("change", schedule);
  };
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour (`#fff8`, `rgb(…)`, names) as `#rrggbb` over the theme, alpha dropped. */
export function normaliseColour(value: string, fallback: string): string {
  if (!value) return fallback;
  probe ??= document.createElement("canvas").getContext("2d");
  if (!probe) return fallback;
  probe.fillStyle = fallback;
  probe.fillStyle = value; // an invalid colour leaves the fallback in place
  const out = probe.fillStyle;
  const m = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(out);
  return m ? toHex([+m[1], +m[2], +m[3]]) : out;
}

/** `a` moved toward `b` by `t` (0..1), both `#rrggbb`. */
export function mix(a: string, b: string, t: number): string {
  const pa = parseHex(a);
  const pb = parseHex(b);
  return toHex(pa.map((v, i) => v + (pb[i] - v) * t) as [number, number, number]);
}

export function parseHex(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1, 7), 16) || 0;
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex(rgb: readonly number[]): string {
  return "#" + rgb.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
}

/** Cytoscape accepts only word characters, spaces, hyphens and double quotes in a font list. */
function cytoscapeFont(family: string): string {
  const clean = family.replace(/'/g, '"').replace(/[^\w\- ",]/g, "");
  return clean.trim() || "sans-serif";
}
