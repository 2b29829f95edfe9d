/**
 * Gradient norms over a training loop's steps, drawn as SVG built with DOM calls (no markup
 * strings): a sparkline per parameter-table row, and a larger chart of one series with the step
 * on x and a log scale on y, so that a stall (flat at 10⁻⁸) and a blow-up (a straight climb)
 * read at a glance. Colours come from the page's theme variables through CSS classes.
 */
import { formatNumber } from "./format";
import type { StepSeries, TrainingSteps } from "./protocol";

const SVG = "http://www.w3.org/2000/svg";

/** A point of a chart: its step and value, and where it is drawn. */
export interface ChartPoint {
  step: number;
  value: number;
  x: number;
  y: number;
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** log10 of the drawable values (positive and finite), with the range they span. */
function logRange(series: StepSeries): { lo: number; hi: number } | null {
  const logs = series.values.flatMap((v) =>
    v !== null && v > 0 && Number.isFinite(v) ? [Math.log10(v)] : [],
  );
  if (logs.length === 0) return null;
  const [lo, hi] = [Math.min(...logs), Math.max(...logs)];
  return lo === hi ? { lo: lo - 0.5, hi: hi + 0.5 } : { lo, hi };
}

/**
 * Where each drawable value of `series` goes in `box`: x by step (the first at the left edge,
 * the last at the right), y by log10 of the value (the largest at the top). Zero, negative,
 * missing and non-finite values have no place on a log scale and are left out (gaps).
 */
export function chartPoints(series: StepSeries, box: Box): ChartPoint[] {
  const range = logRange(series);
  if (!range) return [];
  const first = series.steps[0];
  const span = Math.max(series.steps[series.steps.length - 1] - first, 1);
  const points: ChartPoint[] = [];
  series.steps.forEach((step, i) => {
    const value = series.values[i];
    if (value === null || !(value > 0) || !Number.isFinite(value)) return;
    const x = box.left + ((step - first) / span) * box.width;
    const y = box.top + ((range.hi - Math.log10(value)) / (range.hi - range.lo)) * box.height;
    points.push({ step, value, x: round(x), y: round(y) });
  });
  return points;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  ...children: SVGElement[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

function text(content: string, attrs: Record<string, string | number>): SVGTextElement {
  const t = svg("text", attrs);
  t.textContent = content;
  return t;
}

/** The line through the points, broken where a step had nothing to draw. */
function linePath(series: StepSeries, points: ChartPoint[]): string {
  const index = new Map(series.steps.map((s, i) => [s, i]));
  let previous = -2;
  return points
    .map((p) => {
      const i = index.get(p.step)!;
      const move = i !== previous + 1 ? "M" : "L";
      previous = i;
      return `${move}${p.x},${p.y}`;
    })
    .join(" ");
}

/** A small line of one parameter's ‖grad‖ per step, for its table row. */
export function sparkline(name: string, series: StepSeries): SVGSVGElement {
  const [width, height] = [72, 18];
  const points = chartPoints(series, { left: 1, top: 2, width: width - 2, height: height - 4 });
  const shown = points.map((p) => formatNumber(p.value));
  const label = points.length
    ? `${name}'s gradient norm over ${series.steps.length} steps: ${shown[0]} to ${shown[shown.length - 1]}`
    : `${name} had no gradient to draw over the steps`;
  const chart = svg("svg", {
    class: "gl-spark",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": label,
  });
  const tooltip = svg("title", {});
  tooltip.textContent = label;
  chart.append(tooltip, svg("path", { class: "gl-chart-line", d: linePath(series, points) }));
  return chart;
}

/** Powers of ten inside [lo, hi] (log10), at most five of them. */
function decades(lo: number, hi: number): number[] {
  const all: number[] = [];
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) all.push(e);
  const every = Math.ceil(all.length / 5);
  return all.filter((_, i) => i % every === 0);
}

/** What the chart says about thinning: "every 4th of 800 steps shown". */
export function strideNote(t: TrainingSteps): string {
  return t.stride > 1
    ? `every ${t.stride}th of ${t.totalSteps} steps shown`
    : `${t.totalSteps} step${t.totalSteps === 1 ? "" : "s"}`;
}

/**
 * The larger chart of one series: log-scale y with a line per power of ten, the step on x, a
 * dot per kept step, and the first and last values written out.
 */
export function stepChart(title: string, series: StepSeries, t: TrainingSteps): SVGSVGElement {
  const [width, height] = [320, 150];
  const box: Box = { left: 44, top: 10, width: width - 54, height: height - 40 };
  const points = chartPoints(series, box);
  const range = logRange(series);
  const chart = svg("svg", {
    class: "gl-step-chart",
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": `${title} per step, log scale (${strideNote(t)})`,
  });
  if (range) {
    for (const e of decades(range.lo, range.hi)) {
      const y = round(box.top + ((range.hi - e) / (range.hi - range.lo)) * box.height);
      chart.append(
        svg("line", {
          class: "gl-chart-grid",
          x1: box.left,
          x2: box.left + box.width,
          y1: y,
          y2: y,
        }),
        text(`1e${e}`, { class: "gl-chart-tick", x: box.left - 4, y: y + 3, "text-anchor": "end" }),
      );
    }
  }
  const bottom = box.top + box.height;
  const [first, last] = [series.steps[0] ?? 1, series.steps[series.steps.length - 1] ?? 1];
  chart.append(
    svg("line", {
      class: "gl-chart-axis",
      x1: box.left,
      x2: box.left + box.width,
      y1: bottom,
      y2: bottom,
    }),
    text(String(first), {
      class: "gl-chart-tick",
      x: box.left,
      y: bottom + 12,
      "text-anchor": "start",
    }),
    text(String(last), {
      class: "gl-chart-tick",
      x: box.left + box.width,
      y: bottom + 12,
      "text-anchor": "end",
    }),
    text(`step (${strideNote(t)})`, {
      class: "gl-chart-tick",
      x: box.left + box.width / 2,
      y: bottom + 26,
      "text-anchor": "middle",
    }),
    svg("path", { class: "gl-chart-line", d: linePath(series, points) }),
    ...points.map((p) =>
      svg("circle", {
        class: "gl-chart-dot",
        cx: p.x,
        cy: p.y,
        r: 2,
        "data-step": p.step,
        "data-value": p.value,
      }),
    ),
  );
  if (points.length === 0)
    chart.append(
      text("nothing to draw (no gradient, or only zeros)", {
        class: "gl-chart-tick",
        x: box.left + 8,
        y: box.top + 20,
      }),
    );
  return chart;
}
