/**
 * The magnitude each drawn node and edge is coloured by, in the chosen mode. A node reads its own
 * tensor (an op: its output; a parameter: itself); a closed layer or folded group reads the
 * tensor it hands on (the gradient at its output, as it flows out of the box); an edge reads the
 * gradient its consumer passed back along it. Pure: no DOM.
 */
import { drawnEdgeKey, type DrawnGraph } from "./graphModel";
import { magnitudeOf, type ColourMode } from "./magnitudeScale";
import type { GraphDto, GraphEdgeDto, GraphNodeDto } from "./protocol";

export interface Magnitudes {
  nodes: Map<string, number>;
  edges: Map<string, number>;
}

/** What flows along a graph edge: the source's value, and the gradient passed back along it. */
function edgeMagnitude(
  mode: ColourMode,
  e: GraphEdgeDto,
  source: GraphNodeDto | undefined,
): number | undefined {
  return magnitudeOf(mode, source?.value, e.grad !== undefined ? e.grad : source?.grad);
}

/** The larger of two, either possibly absent (NaN wins: it must show). */
function larger(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || Number.isNaN(b)) return b;
  if (b === undefined || Number.isNaN(a)) return a;
  return Math.max(a, b);
}

export function drawnMagnitudes(graph: GraphDto, drawn: DrawnGraph, mode: ColourMode): Magnitudes {
  const nodes = new Map<string, number>();
  const edges = new Map<string, number>();
  if (mode === "kinds") return { nodes, edges };
  const byId = new Map(graph.nodes.map((n) => [n.id, n] as const));
  const drawnIds = new Map(drawn.nodes.map((n) => [n.id, n] as const));
  for (const n of drawn.nodes) {
    if (n.kind === "module" && !n.collapsed) continue; // an open box: its contents are coloured
    if (n.collapsed || n.kind === "fold") continue; // below: from the edges leaving it
    const m = magnitudeOf(mode, n.dto.value, n.dto.grad);
    if (m !== undefined) nodes.set(n.id, m);
  }
  for (const e of graph.edges) {
    const source = byId.get(e.source);
    const m = edgeMagnitude(mode, e, source);
    if (m === undefined) continue;
    const key = drawnEdgeKey(e, drawn.ownerOf, drawnIds);
    if (key !== null) edges.set(key, larger(edges.get(key), m)!);
    const box = drawnIds.get(drawn.ownerOf(e.source));
    const leaves = box && (box.collapsed || box.kind === "fold") && key !== null;
    if (leaves) {
      const own = magnitudeOf(mode, source?.value, source?.grad) ?? m;
      nodes.set(box.id, larger(nodes.get(box.id), own)!);
    }
  }
  return { nodes, edges };
}
