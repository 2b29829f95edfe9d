/**
 * Drawn nodes and edges as Cytoscape element definitions: the text each node shows (name,
 * shape, gradient summary), the classes the stylesheet keys on, and a size that fits the text
 * (measured once here, so Cytoscape need not size nodes by label, which is slow).
 */
import type cytoscape from "cytoscape";
import type { DrawnGraph, DrawnNode } from "./graphModel";
import { formatShape, gradientLine, scalarValue } from "./format";
import type { GraphDto, GraphNodeDto } from "./protocol";
import { NODE_FONT_PX } from "./boxMetrics";
import type { Magnitudes } from "./drawnMagnitudes";
import type { MagnitudeScale } from "./magnitudeScale";

/** The magnitudes to colour by and the scale that turns them into colours. */
export interface Colouring {
  magnitudes: Magnitudes;
  scale: MagnitudeScale;
}

export interface Elements {
  nodes: cytoscape.ElementDefinition[];
  edges: cytoscape.ElementDefinition[];
  /** The name of every drawn node, for the `rendered` message. */
  labels: string[];
  /** How many drawn nodes show a gradient. */
  gradients: number;
  /** How many drawn nodes are open layers' frames (boxes around nodes, no nodes themselves). */
  frames: number;
}

/** Whether backward ran and no gradient reached this node, where one was expected. */
export function lacksGradient(graph: GraphDto, n: DrawnNode): boolean {
  const kind = n.dto.kind;
  return (
    graph.hasGradients &&
    n.dto.grad === null &&
    kind !== "constant" &&
    kind !== "module" &&
    !n.collapsed &&
    n.kind !== "fold"
  );
}

/** `net.0` of `net.0 (Conv2d)`: a module's name without its type. */
function moduleName(dto: GraphNodeDto): string {
  const type = dto.layer?.split(" ")[0];
  return type && dto.label.endsWith(` (${type})`)
    ? dto.label.slice(0, -type.length - 3)
    : dto.label;
}

/** The name line of a drawn node: a module reads as its layer (`▸ Conv2d 1→6 k5 p2`). */
export function drawnName(n: DrawnNode): string {
  const name = n.dto.label;
  if (n.kind === "fold") return `${name} ×${n.repeats}`;
  if (n.kind === "module" && n.dto.layer) {
    return n.collapsed ? `▸ ${n.dto.layer}` : `▾ ${n.dto.layer} · ${moduleName(n.dto)}`;
  }
  if (n.kind === "module") return `${n.collapsed ? "▸" : "▾"} ${name}`;
  return n.dto.failed ? `✖ ${name}` : name;
}

function textLines(graph: GraphDto, n: DrawnNode, holdsModules: boolean): string[] {
  const lines = [drawnName(n)];
  if (n.kind === "module" && !n.collapsed) return lines;
  const inside = `${n.hidden ?? 0} nodes inside${n.failedInside ? " · failed" : ""}`;
  if (n.collapsed && n.dto.layer) {
    // A layer, as Netron labels it: its settings above, its name and output shape below.
    const shape = n.dto.shape ? ` → ${formatShape(n.dto.shape)}` : "";
    lines.push(`${moduleName(n.dto)}${shape}`);
    if (holdsModules || n.failedInside) lines.push(inside);
    return lines;
  }
  if (n.collapsed || n.kind === "fold") {
    lines.push(inside);
    return lines;
  }
  const shape = formatShape(n.dto.shape) + scalarValue(n.dto);
  if (shape) lines.push(shape);
  if (n.dto.grad) lines.push(gradientLine(n.dto.grad));
  else if (lacksGradient(graph, n)) lines.push("no gradient");
  return lines;
}

function classesOf(graph: GraphDto, n: DrawnNode): string {
  const c: string[] = [n.kind];
  if (n.collapsed) c.push("collapsed");
  if (n.dto.failed || n.failedInside) c.push("failed");
  if (lacksGradient(graph, n)) c.push("nograd");
  if (graph.root === n.id) c.push("root");
  return c.join(" ");
}

let ctx: CanvasRenderingContext2D | null = null;
const widths = new Map<string, number>();

function textWidth(text: string, font: string): number {
  const key = font + "\u0000" + text;
  let w = widths.get(key);
  if (w === undefined) {
    ctx ??= document.createElement("canvas").getContext("2d");
    if (ctx) ctx.font = font;
    w = ctx ? ctx.measureText(text).width : text.length * NODE_FONT_PX * 0.6;
    if (widths.size > 20000) widths.clear();
    widths.set(key, w);
  }
  return w;
}

/** Colour data and class of an element of magnitude `m` (none when it has no magnitude). */
function colourOf(m: number | undefined, colouring: Colouring | undefined) {
  if (m === undefined || !colouring) return { data: {}, cls: "" };
  const p = colouring.scale.place(m);
  if (p.kind === "zero") return { data: {}, cls: " magzero" };
  if (p.kind === "nonFinite") return { data: {}, cls: " magnan" };
  return { data: { fill: p.fill, ink: p.ink, mag: p.t }, cls: " mag" };
}

/** Cytoscape elements for a drawn graph; `font` is the label font family. */
export function toElements(
  graph: GraphDto,
  drawn: DrawnGraph,
  font: string,
  containers: ReadonlySet<string> = new Set(),
  colouring?: Colouring,
): Elements {
  const nodes: cytoscape.ElementDefinition[] = [];
  const labels: string[] = [];
  let [gradients, frames] = [0, 0];
  const framing = new Set(drawn.nodes.map((n) => n.parent));
  for (const n of drawn.nodes) {
    if (framing.has(n.id)) frames++;
    const lines = textLines(graph, n, containers.has(n.id));
    const bold = n.kind === "op" || n.collapsed || n.kind === "fold" ? "bold " : "";
    const width = Math.max(...lines.map((l) => textWidth(l, `${bold}${NODE_FONT_PX}px ${font}`)));
    const showsGrad = !!n.dto.grad && !n.collapsed && n.kind !== "fold" && n.kind !== "module";
    if (showsGrad) gradients++;
    labels.push(n.kind === "fold" ? drawnName(n) : n.dto.label);
    const colour = colourOf(colouring?.magnitudes.nodes.get(n.id), colouring);
    nodes.push({
      group: "nodes",
      data: {
        id: n.id,
        parent: n.parent,
        label: lines.join("\n"),
        w: Math.ceil(width + 22),
        h: Math.ceil(lines.length * NODE_FONT_PX * 1.3 + 12),
        ...colour.data,
      },
      classes: classesOf(graph, n) + colour.cls,
    });
  }
  const edges: cytoscape.ElementDefinition[] = drawn.edges.map((e) => {
    const colour = colourOf(colouring?.magnitudes.edges.get(e.id), colouring);
    return {
      group: "edges",
      data: {
        id: e.id,
        source: e.source,
        target: e.target,
        label: e.count > 1 ? `${e.label} ×${e.count}` : e.label,
        ...colour.data,
      },
      classes: (e.count > 1 ? "merged" : "") + colour.cls,
    };
  });
  return { nodes, edges, labels, gradients, frames };
}
