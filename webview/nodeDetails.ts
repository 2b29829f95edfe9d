/**
 * The details panel of the selected node: what it is, where it came from, statistics of its
 * value and gradient, and both as heatmaps side by side (one 2-D slice at a time; selectors pick
 * the slice of higher-rank tensors). Every string from the user's program goes in as text.
 */
import { h } from "./dom";
import { formatLocation, formatNumber, formatShape } from "./format";
import { cellAt, drawHeatmap, sliceOf, type Slice } from "./heatmap";
import type { GraphDto, GraphNodeDto, TensorSummary } from "./protocol";
import type { Theme } from "./theme";

export interface DetailsActions {
  /** Go to source; absent when there is no editor to go to (the standalone page). */
  reveal?(id: string): void;
  toggle(id: string): void;
  close(): void;
}

const KIND_NAMES: Record<GraphNodeDto["kind"], string> = {
  op: "op (grad_fn)",
  leaf: "leaf tensor",
  param: "parameter",
  tensor: "tensor",
  constant: "constant",
  module: "module",
};

export class NodeDetails {
  private node: GraphNodeDto | null = null;
  private graph: GraphDto | null = null;
  private collapsed = false;
  private fixed: number[] = [];

  constructor(
    private readonly panel: HTMLElement,
    private readonly actions: DetailsActions,
    private readonly theme: () => Theme,
  ) {
    panel.hidden = true;
  }

  get shownId(): string | null {
    return this.node?.id ?? null;
  }

  /** Shows a node (null hides the panel); `graph` says whether backward has run. */
  show(node: GraphNodeDto | null, graph: GraphDto | null, moduleCollapsed = false): void {
    if (node?.id !== this.node?.id) this.fixed = [];
    this.node = node;
    this.graph = graph;
    this.collapsed = moduleCollapsed;
    this.panel.hidden = !node;
    if (!node) return void this.panel.replaceChildren();
    const t = node.value ?? node.grad ?? undefined;
    const chips = h(
      "div",
      { class: "gl-chips" },
      h("span", { class: "gl-chip", text: KIND_NAMES[node.kind] }),
    );
    const chip = (text: string, cls = ""): void =>
      void chips.append(h("span", { class: `gl-chip ${cls}`, text }));
    if (node.layer && node.layer !== node.label) chip(node.layer);
    if (t) chip(t.dtype);
    if (node.shape) chip(formatShape(node.shape));
    if (node.viewOf) chip(`view of ${node.viewOf}`);
    if (node.failed) chip("failed here", "failed");
    if (graph?.hasGradients && node.grad === null && node.kind !== "constant")
      chip("no gradient", "nograd");

    this.panel.replaceChildren(
      h(
        "div",
        { class: "gl-head" },
        h("h2", { text: node.label }),
        h("button", {
          class: "gl-close",
          text: "✕",
          title: "Close",
          attrs: { "aria-label": "Close details" },
          on: { click: () => this.actions.close() },
        }),
      ),
      chips,
      this.location(node) ?? "",
      node.kind === "module"
        ? h(
            "div",
            { class: "gl-actions" },
            h("button", {
              text: moduleCollapsed ? "Expand module" : "Collapse module",
              on: { click: () => this.actions.toggle(node.id) },
            }),
          )
        : "",
      this.stats(node) ?? "",
      this.maps(node) ?? "",
    );
  }

  /** Redraws the heatmaps in the new theme's colours. */
  refresh(): void {
    if (this.node) this.show(this.node, this.graph, this.collapsed);
  }

  private location(node: GraphNodeDto): HTMLElement | null {
    if (!node.location) return null;
    const reveal = this.actions.reveal;
    return h(
      "div",
      { class: "gl-loc" },
      h("span", { text: formatLocation(node.location), title: node.location.file }),
      reveal
        ? h("button", {
            text: "Go to source",
            class: "gl-reveal",
            on: { click: () => reveal(node.id) },
          })
        : null,
    );
  }

  private stats(node: GraphNodeDto): HTMLElement | null {
    const v = node.value;
    const g = node.grad ?? undefined;
    if (!v && !g) return null;
    const cell = (t: TensorSummary | undefined, k: "min" | "max" | "mean" | "norm"): HTMLElement =>
      h("td", { text: t ? formatNumber(t[k]) : "—" });
    const rows = (["min", "max", "mean", "norm"] as const).map((k) =>
      h("tr", {}, h("td", { text: k }), cell(v, k), cell(g, k)),
    );
    return h(
      "div",
      {},
      h("h3", { text: "Statistics" }),
      h(
        "table",
        { class: "gl-stats" },
        h(
          "tr",
          {},
          h("th", { text: "" }),
          h("th", { text: "value" }),
          h("th", { text: "gradient" }),
        ),
        ...rows,
      ),
    );
  }

  private maps(node: GraphNodeDto): HTMLElement | null {
    const tensors = [
      ["value", node.value],
      ["gradient", node.grad ?? undefined],
    ].filter((p): p is [string, TensorSummary] => !!p[1]);
    if (tensors.length === 0) return null;
    if (tensors.some(([, t]) => !t.values)) {
      // They were left out of the graph; main.ts has asked the host and shows the node again.
      return h(
        "div",
        {},
        h("h3", { text: "Values" }),
        h("div", { class: "gl-note gl-loading", text: "Loading values…" }),
      );
    }
    const shape = tensors[0][1].shape;
    const readout = h("div", { class: "gl-readout", text: "Hover a cell to read its value." });
    const box = h("div", {}, h("h3", { text: "Values" }));
    if (shape.length > 2) box.append(this.sliceSelectors(shape, node));
    const slice = sliceOf(shape, this.fixed);
    const maps = h("div", { class: "gl-maps" });
    for (const [name, t] of tensors) maps.append(this.map(name, t, slice, readout));
    box.append(maps, readout);
    if (tensors.some(([, t]) => t.truncated)) {
      box.append(
        h("div", {
          class: "gl-note",
          text: `Only the first ${tensors[0][1].values!.length} values were sent; the rest are hatched.`,
        }),
      );
    }
    return box;
  }

  private sliceSelectors(shape: readonly number[], node: GraphNodeDto): HTMLElement {
    const row = h("div", { class: "gl-slices" }, h("span", { class: "gl-label", text: "slice" }));
    for (let d = 0; d < shape.length - 2; d++) {
      const select = h("select", {
        attrs: { "aria-label": `index of dim ${d}` },
        class: "gl-slice",
      });
      for (let i = 0; i < shape[d]; i++)
        select.append(h("option", { text: String(i), attrs: { value: String(i) } }));
      select.value = String(this.fixed[d] ?? 0);
      select.addEventListener("change", () => {
        this.fixed[d] = Number(select.value);
        this.show(node, this.graph, this.collapsed);
      });
      row.append(h("label", {}, `dim ${d} `, select));
    }
    row.append(h("span", { class: "gl-note", text: `× ${formatShape(shape.slice(-2))}` }));
    return row;
  }

  /** The full index of element (i, j) of the current slice, as `0, 2, 1`. */
  private index(rank: number, i: number, j: number): string {
    if (rank === 0) return "";
    if (rank === 1) return String(j);
    const lead = Array.from({ length: rank - 2 }, (_, d) => this.fixed[d] ?? 0);
    return [...lead, i, j].join(", ");
  }

  private map(name: string, t: TensorSummary, slice: Slice, readout: HTMLElement): HTMLElement {
    const canvas = h("canvas", {
      class: `gl-heatmap gl-heatmap-${name}`,
      attrs: { role: "img", "aria-label": `${name} heatmap` },
    });
    const scale = drawHeatmap(canvas, t, slice, this.theme());
    canvas.addEventListener("mousemove", (e) => {
      const c = cellAt(e, slice, scale);
      if (!c) return;
      const k = slice.offset + c.i * slice.cols + c.j;
      const values = t.values ?? [];
      const v = k < values.length ? formatNumber(values[k]) : "not sent";
      readout.textContent = `${name}[${this.index(t.shape.length, c.i, c.j)}] = ${v}`;
    });
    const maxAbs = Math.max(Math.abs(t.min), Math.abs(t.max));
    return h(
      "div",
      { class: "gl-map" },
      h("span", { text: name }),
      canvas,
      h("div", { class: "gl-scalebar", title: "zero is the background colour" }),
      h(
        "div",
        { class: "gl-scale" },
        h("span", { text: formatNumber(-maxAbs) }),
        h("span", { text: formatNumber(maxAbs) }),
      ),
    );
  }
}
