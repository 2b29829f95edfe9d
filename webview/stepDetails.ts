/**
 * The details of one step of backward: the node the engine ran, the gradient that arrived at its
 * output, its local rule in words and formula with the tensors' names put in, and the gradient
 * it passed back to each input. Built as DOM with text only (names come from the user's code).
 */
import { backwardRule, fillNames } from "./backwardRules";
import { h } from "./dom";
import { formatLocation, formatNumber, formatShape } from "./format";
import { drawHeatmap, sliceOf } from "./heatmap";
import type { GraphDto, GraphEdgeDto, GraphNodeDto, TensorSummary } from "./protocol";
import type { Theme } from "./theme";

/** Up to this many values are written out as numbers; more are drawn as a heatmap. */
const WRITTEN = 16;

/** `[[-1.5, 0], [1.5, 3]]`: a small tensor written out, nested by its shape. */
export function writeValues(t: TensorSummary): string | null {
  if (!t.values || t.numel > WRITTEN || t.values.length < t.numel) return null;
  const values = t.values;
  let k = 0;
  const nest = (d: number): string => {
    if (d === t.shape.length) return formatNumber(values[k++]);
    const parts: string[] = [];
    for (let i = 0; i < t.shape[d]; i++) parts.push(nest(d + 1));
    return `[${parts.join(", ")}]`;
  };
  return nest(0);
}

/** A gradient shown: its shape and norm, then its values (written out or as a heatmap). */
export function tensorBlock(t: TensorSummary | null | undefined, theme: Theme): HTMLElement {
  if (!t) return h("div", { class: "gl-note", text: "none (nothing was passed)" });
  const box = h(
    "div",
    { class: "gl-tensor" },
    h("span", {
      class: "gl-tensor-stats",
      text: `${formatShape(t.shape)} · ‖·‖ ${formatNumber(t.norm)} · min ${formatNumber(t.min)} · max ${formatNumber(t.max)}`,
    }),
  );
  const written = writeValues(t);
  if (written !== null) box.append(h("code", { class: "gl-values", text: written }));
  else if (t.values && t.values.length > 0) {
    const canvas = h("canvas", {
      class: "gl-heatmap",
      attrs: { role: "img", "aria-label": "gradient heatmap" },
    });
    drawHeatmap(canvas, t, sliceOf(t.shape, []), theme);
    box.append(canvas);
  } else if (!t.values && t.numel > 0) {
    box.append(h("div", { class: "gl-note gl-loading", text: "Loading values…" }));
  }
  return box;
}

/** How a tensor is named in a formula: `y`, or `(y.mul(y))` when the name is an expression. */
function inFormula(name: string): string {
  return /^[\w.]+$/.test(name) ? name : `(${name})`;
}

/** The edges feeding `node`, in its input order. */
export function inputEdges(graph: GraphDto, nodeId: string): GraphEdgeDto[] {
  return graph.edges
    .filter((e) => e.target === nodeId)
    .sort((a, b) => (a.input ?? 0) - (b.input ?? 0));
}

/** What an op's output is called: the tensor it feeds that the source named, else "out". */
function outputName(graph: GraphDto, byId: Map<string, GraphNodeDto>, node: GraphNodeDto): string {
  if (node.label === "AccumulateGrad") return leafName(graph, byId, node);
  const named = graph.edges
    .filter((e) => e.source === node.id)
    .map((e) => byId.get(e.target))
    .find((n) => n && n.kind === "tensor");
  return named ? inFormula(named.label) : `(${node.label} output)`;
}

/** The leaf an AccumulateGrad node accumulates into (the node that feeds it). */
function leafName(graph: GraphDto, byId: Map<string, GraphNodeDto>, acc: GraphNodeDto): string {
  const into = graph.edges.find((e) => e.target === acc.id);
  const leaf = into && byId.get(into.source);
  return leaf ? inFormula(leaf.label) : "x";
}

/**
 * An input's name: the tensor node's label (a leaf's, for the AccumulateGrad that stands for it),
 * or `(MulBackward0 output)` for an op's unnamed output.
 */
function inputName(graph: GraphDto, byId: Map<string, GraphNodeDto>, e: GraphEdgeDto): string {
  const source = byId.get(e.source);
  if (!source) return "?";
  if (source.label === "AccumulateGrad") return leafName(graph, byId, source);
  return source.kind === "op" ? `(${source.label} output)` : inFormula(source.label);
}

export function stepDetails(
  graph: GraphDto,
  nodeId: string,
  position: { step: number; of: number },
  theme: Theme,
): HTMLElement {
  const byId = new Map(graph.nodes.map((n) => [n.id, n] as const));
  const node = byId.get(nodeId);
  if (!node) return h("div", { class: "gl-note", text: "This node is not in the graph." });
  const edges = inputEdges(graph, nodeId);
  const leafEdge = node.label === "AccumulateGrad" ? edges[0] : undefined;
  // AccumulateGrad's input is its leaf: the formula names the leaf; nothing is passed on
  const names = leafEdge ? [inputName(graph, byId, leafEdge)] : [];
  for (const e of edges) names[e.input ?? names.length] ??= inputName(graph, byId, e);
  for (const [i, v] of Object.entries(node.scalarInputs ?? {}))
    names[Number(i)] ??= formatNumber(v);
  const out = outputName(graph, byId, node);
  const rule = backwardRule(node.label);
  // inputs that take no gradient (a plain number, a constant) get no formula
  const takes = (i: number): boolean =>
    !!leafEdge ||
    rule.formulas.length === 1 ||
    edges.every((e) => e.input === undefined) ||
    edges.some((e) => e.input === i);
  const texts = rule.eachInput
    ? (leafEdge ? [names[0]] : edges.map((e, k) => names[e.input ?? k])).map((name) =>
        fillNames(rule.formulas[0], [name ?? "?"], out),
      )
    : rule.formulas.filter((_, i) => takes(i)).map((f) => fillNames(f, names, out));
  const formulas = texts.map((text) => h("code", { class: "gl-formula", text }));
  const leaving = leafEdge
    ? [h("div", { class: "gl-note", text: "Nothing is passed on: a leaf ends the walk." })]
    : edges.map((e) =>
        h(
          "div",
          { class: "gl-leaving" },
          h("div", { class: "gl-leaving-name", text: `→ ${names[e.input ?? 0] ?? "?"}` }),
          tensorBlock(e.grad, theme),
        ),
      );
  return h(
    "div",
    { class: "gl-step" },
    h("div", { class: "gl-head" }, h("h2", { text: node.label })),
    h(
      "div",
      { class: "gl-chips" },
      h("span", { class: "gl-chip", text: `step ${position.step} of ${position.of}` }),
      node.location ? h("span", { class: "gl-chip", text: formatLocation(node.location) }) : null,
    ),
    h("h3", { text: `Gradient arriving: ∂L/∂${out}` }),
    tensorBlock(node.grad, theme),
    h("h3", { text: "Local rule" }),
    h("p", { class: "gl-rule", text: fillNames(rule.words, names, out) }),
    ...formulas,
    h("h3", { text: "Gradients leaving" }),
    ...leaving,
  );
}
