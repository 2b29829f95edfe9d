/**
 * The parameter table beside the graph: every parameter's name, shape, ‖w‖, ‖grad‖, their
 * ratio (how far one SGD step moves it, per unit of learning rate) and a small histogram of its
 * gradient; sorted by any column with a click on its header. Clicking a row selects the
 * parameter's node and goes to its layer's line. When the run trained (optimizer steps), each
 * row has a sparkline of its ‖grad‖ per step, and the chart under the table shows the selected
 * parameter's (the loss's before a selection). Built with textContent and DOM calls only.
 */
import { h } from "./dom";
import { formatNumber, formatShape } from "./format";
import type { GraphDto, GraphNodeDto, NodeId, TensorSummary, TrainingSteps } from "./protocol";
import { sparkline, stepChart } from "./stepCharts";
import type { Theme } from "./theme";

export interface ParameterRow {
  id: NodeId;
  name: string;
  shape: number[];
  weightNorm: number;
  gradNorm: number | null;
  ratio: number | null;
  grad: TensorSummary | null;
}

export type SortKey = "name" | "shape" | "weightNorm" | "gradNorm" | "ratio";

const COLUMNS: [SortKey | null, string][] = [
  ["name", "name"],
  ["shape", "shape"],
  ["weightNorm", "‖w‖"],
  ["gradNorm", "‖grad‖"],
  ["ratio", "‖grad‖/‖w‖"],
  [null, "gradient histogram"],
];

/** The rows of a graph's parameters, in graph order. */
export function parameterRows(graph: GraphDto): ParameterRow[] {
  return graph.nodes
    .filter((n): n is GraphNodeDto & { kind: "param" } => n.kind === "param")
    .map((n) => {
      const weightNorm = n.value?.norm ?? NaN;
      const gradNorm = n.grad ? n.grad.norm : null;
      return {
        id: n.id,
        name: n.label,
        shape: n.shape ?? n.value?.shape ?? [],
        weightNorm,
        gradNorm,
        ratio: gradNorm !== null && weightNorm > 0 ? gradNorm / weightNorm : null,
        grad: n.grad ?? null,
      };
    });
}

/** Rows sorted by `key`; rows with no value for it go last either way. */
export function sortRows(rows: ParameterRow[], key: SortKey, ascending: boolean): ParameterRow[] {
  const value = (r: ParameterRow): string | number | null =>
    key === "name" ? r.name : key === "shape" ? r.shape.reduce((a, b) => a * b, 1) : r[key];
  const sign = ascending ? 1 : -1;
  return [...rows].sort((a, b) => {
    const [va, vb] = [value(a), value(b)];
    if (va === null || Number.isNaN(va)) return vb === null || Number.isNaN(vb) ? 0 : 1;
    if (vb === null || Number.isNaN(vb)) return -1;
    return sign * (typeof va === "string" ? va.localeCompare(vb as string) : va - (vb as number));
  });
}

/** Equal-width bin counts of a gradient: the host's, else from the values the page has. */
export function histogramOf(t: TensorSummary, bins = 16): number[] | null {
  if (t.histogram) return t.histogram;
  const values = t.values;
  if (!values || values.length === 0) return null;
  const counts = new Array<number>(bins).fill(0);
  const span = t.max - t.min;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const i = span > 0 ? Math.min(bins - 1, Math.floor(((v - t.min) / span) * bins)) : bins >> 1;
    counts[i]++;
  }
  return counts;
}

function histogram(t: TensorSummary | null, theme: Theme): HTMLElement {
  const counts = t && histogramOf(t);
  if (!t || !counts) return h("span", { class: "gl-note", text: t ? "—" : "no gradient" });
  const canvas = h("canvas", {
    class: "gl-hist",
    attrs: {
      width: String(counts.length * 4),
      height: "18",
      role: "img",
      "aria-label": `gradient from ${formatNumber(t.min)} to ${formatNumber(t.max)}`,
    },
    title: `from ${formatNumber(t.min)} to ${formatNumber(t.max)}`,
  });
  const ctx = canvas.getContext("2d");
  const most = Math.max(...counts, 1);
  if (ctx) {
    ctx.fillStyle = theme.op;
    counts.forEach((c, i) => {
      const bar = c > 0 ? Math.max(1, Math.round((c / most) * 18)) : 0;
      ctx.fillRect(i * 4, 18 - bar, 3, bar);
    });
  }
  return canvas;
}

function stepsCell(name: string, t: TrainingSteps): Node {
  const series = t.gradNorms[name];
  return series ? sparkline(name, series) : h("span", { class: "gl-note", text: "—" });
}

export interface TableActions {
  /** A row was clicked: select the parameter's node and go to its line. */
  choose(id: NodeId): void;
}

export class ParameterTable {
  private sort: { key: SortKey; ascending: boolean } = { key: "name", ascending: true };
  private rows: ParameterRow[] = [];
  private selected: NodeId | null = null;
  private training: TrainingSteps | null = null;
  /** Where the selected parameter's chart over the steps goes. */
  private readonly chartBox = h("div", { class: "gl-step-detail" });

  constructor(
    private readonly panel: HTMLElement,
    private readonly actions: TableActions,
    private readonly theme: () => Theme,
  ) {}

  setGraph(graph: GraphDto | null): void {
    this.rows = graph ? parameterRows(graph) : [];
    this.training = graph?.trainingSteps ?? null;
    this.draw();
  }

  /** Marks the row of the selected node (when it is a parameter). */
  select(id: NodeId | null): void {
    this.selected = id;
    for (const tr of Array.from(this.panel.querySelectorAll("tr[data-id]")))
      tr.classList.toggle("selected", tr.getAttribute("data-id") === id);
    this.drawChart();
  }

  get count(): number {
    return this.rows.length;
  }

  draw(): void {
    const { key, ascending } = this.sort;
    const training = this.training;
    this.panel.classList.toggle("gl-with-steps", training !== null);
    const columns: [SortKey | null, string][] = training
      ? [...COLUMNS, [null, "‖grad‖ per step"]]
      : COLUMNS;
    const head = h(
      "tr",
      {},
      ...columns.map(([k, title]) => {
        if (!k) return h("th", { text: title });
        const arrow = k === key ? (ascending ? " ▲" : " ▼") : "";
        const sortState = k === key ? (ascending ? "ascending" : "descending") : "none";
        return h(
          "th",
          { attrs: { "aria-sort": sortState } },
          h("button", {
            class: `gl-sort gl-sort-${k}`,
            text: title + arrow,
            title: `Sort by ${title}`,
            on: { click: () => this.sortBy(k) },
          }),
        );
      }),
    );
    const body = sortRows(this.rows, key, ascending).map((r) => {
      const tr = h(
        "tr",
        {
          attrs: { "data-id": r.id, tabindex: "0" },
          title: "Select it in the graph and go to its layer",
        },
        h("td", { class: "gl-pname", text: r.name }),
        h("td", { text: formatShape(r.shape) }),
        h("td", { text: formatNumber(r.weightNorm) }),
        h("td", { text: r.gradNorm === null ? "—" : formatNumber(r.gradNorm) }),
        h("td", { text: r.ratio === null ? "—" : formatNumber(r.ratio) }),
        h("td", {}, histogram(r.grad, this.theme())),
        training && h("td", {}, stepsCell(r.name, training)),
      );
      if (r.id === this.selected) tr.classList.add("selected");
      tr.addEventListener("click", () => this.actions.choose(r.id));
      tr.addEventListener("keydown", (e) => {
        if (e.key === "Enter") this.actions.choose(r.id);
      });
      return tr;
    });
    this.panel.replaceChildren(
      h("h3", { text: `Parameters (${this.rows.length})` }),
      h("table", { class: "gl-ptable" }, h("thead", {}, head), h("tbody", {}, ...body)),
      this.chartBox,
    );
    this.drawChart();
  }

  /** The chart over the steps: the selected parameter's ‖grad‖, else the loss. */
  private drawChart(): void {
    const t = this.training;
    this.chartBox.hidden = !t;
    if (!t) return this.chartBox.replaceChildren();
    const row = this.rows.find((r) => r.id === this.selected);
    const [title, series] = row ? [`${row.name} ‖grad‖`, t.gradNorms[row.name]] : ["loss", t.loss];
    const note = (text: string): HTMLElement => h("p", { class: "gl-note", text });
    this.chartBox.replaceChildren(
      h("h4", { text: `${title} per step` }),
      series ? stepChart(title, series, t) : note(row ? "no steps recorded" : "no scalar loss"),
    );
    if (!row) this.chartBox.append(note("Click a row for its gradient norm per step."));
  }

  private sortBy(key: SortKey): void {
    const same = this.sort.key === key;
    // numbers open largest first (the one to look at), names A to Z
    this.sort = { key, ascending: same ? !this.sort.ascending : key === "name" || key === "shape" };
    this.draw();
  }
}
