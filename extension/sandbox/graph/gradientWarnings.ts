/**
 * What looks wrong with the gradients of a graph after backward, found from the graph alone (a
 * pure function of the GraphDto, so that it is tested without running anything):
 *
 * - vanishing / exploding: the gradient reaching a layer (at its output: what backward hands
 *   it) is more than VANISHING_FACTOR times smaller (larger) than the one reaching the layer
 *   nearest the loss; the likely cause is named when sigmoids or tanhs run between the two (they
 *   scale the gradient by at most 0.25 and 1, and by ~0 where they saturate). Only layers with
 *   parameters are compared (the ones a learner names: conv1, fc3);
 * - zero: a parameter's gradient is exactly zero everywhere: a dead ReLU after its layer, or
 *   nothing it affects reaches the loss;
 * - none: backward ran but no gradient reached a parameter that is in the graph (a detached
 *   branch: `.detach()`, `noGrad`, `.data`);
 * - nonFinite: NaN or ±Infinity in a gradient, named at the node whose backward made it.
 *
 * The page marks the nodes and shows the messages; the editor puts each on its line.
 */
import type {
  GradientWarning,
  GraphDto,
  GraphNodeDto,
  NodeId,
  TensorSummary,
} from "../../../webview/protocol";

/** How many times smaller (or larger) than the last layer's a gradient must be to be told. */
export const VANISHING_FACTOR = 1e3;

/** `10⁴`: the nearest power of ten, with a superscript exponent. */
export function powerOfTen(x: number): string {
  const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  const e = Math.round(Math.log10(x));
  const sup = String(Math.abs(e)).replace(/\d/g, (d) => digits[Number(d)]);
  return `10${e < 0 ? "⁻" : ""}${sup}`;
}

function finite(t: TensorSummary): boolean {
  return Number.isFinite(t.norm) && Number.isFinite(t.min) && Number.isFinite(t.max);
}

/** `fc1` of `fc1 (Linear)`, `net.0` of `net.0 (Conv2d)`. */
function layerName(m: GraphNodeDto): string {
  return m.label.replace(/ \([\w$]+\)$/, "");
}

interface Layer {
  node: GraphNodeDto;
  /** The 2-norm of the gradient at its output. */
  norm: number;
}

class GraphIndex {
  readonly byId: Map<NodeId, GraphNodeDto>;
  readonly position: Map<NodeId, number>;
  constructor(readonly graph: GraphDto) {
    this.byId = new Map(graph.nodes.map((n) => [n.id, n] as const));
    this.position = new Map(graph.nodes.map((n, i) => [n.id, i] as const));
  }

  /** Whether `id` sits in module `m` (at any depth). */
  inside(id: NodeId, m: NodeId): boolean {
    for (let p = this.byId.get(id)?.parent, d = 0; p !== undefined && d < 64; d++) {
      if (p === m) return true;
      p = this.byId.get(p)?.parent;
    }
    return false;
  }

  /** The ops run inside a module, in the order they were made. */
  opsIn(m: NodeId): GraphNodeDto[] {
    return this.graph.nodes.filter((n) => n.kind === "op" && this.inside(n.id, m));
  }

  /**
   * The nodes outside module `m` that its output feeds (`after`) or that feed it (before), one
   * named tensor node passed through.
   */
  neighbours(m: NodeId, after: boolean): GraphNodeDto[] {
    const out: GraphNodeDto[] = [];
    const step = (from: (id: NodeId) => boolean, depth: number): void => {
      for (const e of this.graph.edges) {
        const [near, far] = after ? [e.source, e.target] : [e.target, e.source];
        if (!from(near) || this.inside(far, m)) continue;
        const t = this.byId.get(far);
        if (!t) continue;
        if (t.kind === "tensor" && depth === 0) step((id) => id === t.id, 1);
        else out.push(t);
      }
    };
    step((id) => this.inside(id, m), 0);
    return out;
  }
}

/** The gradient at a module's output: at the nodes inside it whose edges leave it. */
function outputGradNorm(ix: GraphIndex, m: NodeId): number | undefined {
  let norm: number | undefined;
  for (const e of ix.graph.edges) {
    if (!ix.inside(e.source, m) || ix.inside(e.target, m)) continue;
    const g = ix.byId.get(e.source)?.grad;
    if (g && finite(g)) norm = Math.max(norm ?? 0, g.norm);
  }
  return norm;
}

/** Layers holding parameters, in forward order, with the gradient that reached their output. */
function layersOf(ix: GraphIndex): Layer[] {
  const layers: Layer[] = [];
  const holders = new Set(
    ix.graph.nodes.flatMap((n) => (n.kind === "param" && n.parent ? [n.parent] : [])),
  );
  for (const m of ix.graph.nodes) {
    if (m.kind !== "module" || !holders.has(m.id)) continue;
    const norm = outputGradNorm(ix, m.id);
    if (norm !== undefined) layers.push({ node: m, norm });
  }
  return layers;
}

/** The saturating activations that run between two layers (after `from`'s ops, before `to`'s). */
function activationsBetween(
  ix: GraphIndex,
  from: Layer,
  to: Layer,
): { sigmoid: number; tanh: number } {
  const first = (l: Layer) => ix.position.get(ix.opsIn(l.node.id)[0]?.id ?? "") ?? -1;
  const [a, b] = [first(from), first(to)];
  const count = { sigmoid: 0, tanh: 0 };
  ix.graph.nodes.forEach((n, i) => {
    if (n.kind !== "op" || (a < b ? i <= a || i >= b : i <= b || i >= a)) return;
    if (n.label === "SigmoidBackward0") count.sigmoid++;
    if (n.label === "TanhBackward0") count.tanh++;
  });
  return count;
}

function scaleWarnings(ix: GraphIndex): GradientWarning[] {
  const layers = layersOf(ix).filter((l) => l.norm > 0);
  if (layers.length < 2) return [];
  const last = layers[layers.length - 1];
  const earlier = layers.slice(0, -1);
  const warnings: GradientWarning[] = [];
  for (const kind of ["vanishing", "exploding"] as const) {
    const ratio = (l: Layer) => (kind === "vanishing" ? last.norm / l.norm : l.norm / last.norm);
    const flagged = earlier.filter((l) => ratio(l) > VANISHING_FACTOR);
    if (flagged.length === 0) continue;
    const worst = flagged.reduce((a, b) => (ratio(b) > ratio(a) ? b : a));
    const factor = ratio(worst);
    const between = activationsBetween(ix, worst, last);
    const cause =
      kind !== "vanishing"
        ? undefined
        : between.sigmoid > 0
          ? "sigmoid"
          : between.tanh > 0
            ? "tanh"
            : undefined;
    const why =
      cause === "sigmoid"
        ? `: sigmoid saturates (${between.sigmoid} sigmoid${between.sigmoid > 1 ? "s" : ""} between them, each scaling the gradient by at most 0.25)`
        : cause === "tanh"
          ? `: tanh saturates (${between.tanh} between them)`
          : "";
    const [w, l] = [layerName(worst.node), layerName(last.node)];
    warnings.push({
      kind,
      nodeId: worst.node.id,
      marked: flagged.map((f) => f.node.id),
      relativeTo: last.node.id,
      factor,
      ...(cause ? { cause } : {}),
      message: `${w}'s gradient is ${powerOfTen(factor)}× ${kind === "vanishing" ? "smaller" : "larger"} than ${l}'s${why}`,
      ...(worst.node.location ? { location: worst.node.location } : {}),
    });
  }
  return warnings;
}

function parameterWarnings(ix: GraphIndex): GradientWarning[] {
  const warnings: GradientWarning[] = [];
  for (const p of ix.graph.nodes) {
    if (p.kind !== "param") continue;
    const marked = p.parent ? [p.id, p.parent] : [p.id];
    const location = p.location ? { location: p.location } : {};
    if (p.grad === null) {
      warnings.push({
        kind: "none",
        nodeId: p.id,
        marked,
        cause: "detached",
        message:
          `${p.label} got no gradient: backward never reached it (a detached branch: ` +
          `.detach(), noGrad or .data cut it off from the loss)`,
        ...location,
      });
    } else if (p.grad && p.grad.numel > 0 && p.grad.min === 0 && p.grad.max === 0) {
      const layer = p.parent ? ix.byId.get(p.parent) : undefined;
      const relu = (n: GraphNodeDto) =>
        n.label === "ReluBackward0" || /^ReLU\b/.test(n.layer ?? "");
      const after = !!layer && ix.neighbours(layer.id, true).some(relu);
      const before = !!layer && ix.neighbours(layer.id, false).some(relu);
      const name = layer ? layerName(layer) : p.label;
      warnings.push({
        kind: "zero",
        nodeId: p.id,
        marked,
        ...(after || before ? { cause: "deadRelu" as const } : {}),
        message: after
          ? `${p.label}'s gradient is exactly zero: the ReLU after ${name} is dead (no unit was positive for any input), so no gradient gets back through it`
          : before
            ? `${p.label}'s gradient is exactly zero: the ReLU before ${name} is dead, so ${name}'s input is all zeros`
            : `${p.label}'s gradient is exactly zero: nothing it affects changes the loss`,
        ...location,
      });
    }
  }
  return warnings;
}

/** NaN/Inf: named at the first node, in backward order, whose backward passed it on. */
function nonFiniteWarnings(ix: GraphIndex): GradientWarning[] {
  const bad = ix.graph.nodes.filter((n) => n.grad && !finite(n.grad));
  if (bad.length === 0) return [];
  const order = ix.graph.backwardOrder ?? [];
  const passedBad = (id: NodeId) =>
    ix.graph.edges.some((e) => e.target === id && e.grad && !finite(e.grad));
  const origin =
    order
      .map((id) => ix.byId.get(id)!)
      .find((n) => n && (!n.grad || finite(n.grad)) && passedBad(n.id)) ??
    order.map((id) => ix.byId.get(id)!).find((n) => n && n.grad && !finite(n.grad)) ??
    bad[0];
  const line = origin.location ? ` (line ${origin.location.line})` : "";
  const what = (t: TensorSummary | null | undefined) => (t && Number.isNaN(t.norm) ? "NaN" : "Inf");
  const firstBad =
    ix.graph.edges.find((e) => e.target === origin.id && e.grad && !finite(e.grad))?.grad ??
    origin.grad;
  return [
    {
      kind: "nonFinite",
      nodeId: origin.id,
      marked: [origin.id, ...bad.filter((n) => n.kind === "param").map((n) => n.id)],
      message:
        `The gradient becomes ${what(firstBad)} in ${origin.label}'s backward${line}; ` +
        `${bad.length} node${bad.length > 1 ? "s" : ""} carry it on`,
      ...(origin.location ? { location: origin.location } : {}),
    },
  ];
}

/** Every warning about the gradients of `graph` (none before backward). */
export function gradientWarnings(graph: GraphDto): GradientWarning[] {
  if (!graph.hasGradients) return [];
  const ix = new GraphIndex(graph);
  return [...nonFiniteWarnings(ix), ...scaleWarnings(ix), ...parameterWarnings(ix)];
}
