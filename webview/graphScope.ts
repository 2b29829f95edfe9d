/**
 * Which part of a graph the page shows, before any collapsing. Pure (no DOM, no Cytoscape).
 *
 * - The graph of what was asked: a file that runs two forward passes builds two graphs; by
 *   default only the nodes the root (the exported `loss`, or the file's last scalar) depends on
 *   are drawn, with the rest one click away. A failed op and what fed it are always drawn.
 * - A parameter and its AccumulateGrad are one node, as torchviz draws them (the AccumulateGrad
 *   belongs to the tensor it accumulates into), unless the user asks to see them apart.
 */
import type { GraphDto, GraphNodeDto, NodeId } from "./protocol";

export interface ScopeChoices {
  /** Draw every graph the file built, not only the root's. */
  allGraphs?: boolean;
  /** Draw AccumulateGrad nodes apart from their parameters and leaves. */
  separateAccumulate?: boolean;
}

export interface Scope {
  byId: ReadonlyMap<NodeId, GraphNodeDto>;
  /** The nodes drawn (modules included); every node when there is nothing to leave out. */
  shown: ReadonlySet<NodeId>;
  /** How many graph nodes the file built that are not shown. */
  left: number;
  /** AccumulateGrad node → the parameter or leaf it is drawn as (when merged). */
  mergedInto: ReadonlyMap<NodeId, NodeId>;
  /** Modules that hold other modules (containers such as Sequential). */
  containers: ReadonlySet<NodeId>;
  /** Graph nodes shown, a merged pair counted once: the count every label agrees on. */
  size: number;
  /** Graph nodes shown, each AccumulateGrad counted: how big the graph is (for defaults). */
  nodes: number;
}

const cache = new WeakMap<GraphDto, Map<string, Scope>>();

/** The scope of a graph under these choices (graphs are immutable: cached per graph). */
export function scopeOf(graph: GraphDto, choices: ScopeChoices): Scope {
  const key = `${!!choices.allGraphs}:${!!choices.separateAccumulate}`;
  let perGraph = cache.get(graph);
  if (!perGraph) cache.set(graph, (perGraph = new Map()));
  let scope = perGraph.get(key);
  if (!scope) perGraph.set(key, (scope = computeScope(graph, choices)));
  return scope;
}

function computeScope(graph: GraphDto, choices: ScopeChoices): Scope {
  const byId = new Map(graph.nodes.map((n) => [n.id, n] as const));
  const shown = choices.allGraphs ? new Set(byId.keys()) : rootGraph(graph, byId);
  const mergedInto = new Map<NodeId, NodeId>();
  if (!choices.separateAccumulate) {
    for (const e of graph.edges) {
      const [s, t] = [byId.get(e.source), byId.get(e.target)];
      if (s && t && t.label === "AccumulateGrad" && (s.kind === "param" || s.kind === "leaf"))
        mergedInto.set(t.id, s.id);
    }
  }
  const containers = new Set<NodeId>();
  let [size, nodes, left] = [0, 0, 0];
  for (const n of graph.nodes) {
    if (n.kind === "module") {
      if (n.parent !== undefined) containers.add(n.parent);
    } else if (!shown.has(n.id)) left++;
    else [nodes, size] = [nodes + 1, mergedInto.has(n.id) ? size : size + 1];
  }
  return { byId, shown, left, mergedInto, containers, size, nodes };
}

/** The root, what it depends on, the failed op and its inputs, and the modules around them. */
function rootGraph(graph: GraphDto, byId: ReadonlyMap<NodeId, GraphNodeDto>): Set<NodeId> {
  const seeds = graph.nodes.filter((n) => n.id === graph.root || n.failed).map((n) => n.id);
  if (graph.root === undefined || !byId.has(graph.root)) return new Set(byId.keys());
  const inputs = new Map<NodeId, NodeId[]>();
  for (const e of graph.edges) {
    if (!inputs.has(e.target)) inputs.set(e.target, []);
    inputs.get(e.target)!.push(e.source);
  }
  const shown = new Set<NodeId>(seeds);
  const stack = [...seeds];
  while (stack.length > 0) {
    for (const s of inputs.get(stack.pop()!) ?? []) {
      if (!shown.has(s)) {
        shown.add(s);
        stack.push(s);
      }
    }
  }
  for (const id of [...shown]) {
    for (let p = byId.get(id)?.parent; p !== undefined && !shown.has(p); p = byId.get(p)?.parent)
      shown.add(p);
  }
  return shown;
}
