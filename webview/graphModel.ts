/**
 * What is drawn, given the graph and the user's collapse/fold choices. Pure (no DOM, no
 * Cytoscape) so that the rules can be tested on their own.
 *
 * Every graph node is drawn as its "owner": itself, or the outermost collapsed module or folded
 * group that holds it. Edges are re-pointed at owners; edges inside one owner vanish and the
 * parallel ones that remain are merged (the label keeps the first shape and counts the rest).
 */
import type { GraphDto, GraphEdgeDto, GraphNodeDto, NodeId } from "./protocol";
import { scopeOf, type Scope, type ScopeChoices } from "./graphScope";

/** Above this many nodes, every module starts collapsed and repeated blocks folded. */
export const LARGE_GRAPH = 300;
/** Above this many nodes, the graph opens at layer level: each layer (a module holding no
 * other module) one node, as Netron draws a network; containers stay open around them. */
export const LAYER_LEVEL = 30;

export interface ViewChoices extends ScopeChoices {
  /** Explicit user choices per module id: true = expanded. Others follow the default. */
  moduleOpen: Readonly<Record<NodeId, boolean>>;
  /** Explicit choices per fold group id: true = unfolded. */
  foldOpen: Readonly<Record<string, boolean>>;
}

export type DrawnKind = GraphNodeDto["kind"] | "fold";

export interface DrawnNode {
  id: string;
  kind: DrawnKind;
  /** The compound node it sits in (an expanded module). */
  parent?: string;
  /** The graph node drawn here (for a fold group: its first member). */
  dto: GraphNodeDto;
  /** A module drawn as one box (collapsed), and how many graph nodes it hides. */
  collapsed?: boolean;
  hidden?: number;
  /** A fold group: how many repeated blocks it stands for. */
  repeats?: number;
  /** Something inside a collapsed module or fold failed. */
  failedInside?: boolean;
}

export interface DrawnEdge {
  id: string;
  source: string;
  target: string;
  label: string;
  /** How many graph edges this one stands for. */
  count: number;
}

export interface DrawnGraph {
  nodes: DrawnNode[];
  edges: DrawnEdge[];
  /** The drawn node that shows a graph node: itself, or the layer, fold or parameter holding it. */
  ownerOf(id: NodeId): string;
}

/** A set of sibling nodes with the same foldKey: repeats of one block. */
export interface FoldGroup {
  id: string;
  parent?: NodeId;
  members: NodeId[];
}

/** Fold groups of the shown graph: two or more siblings sharing a foldKey. */
export function foldGroups(graph: GraphDto, choices: ScopeChoices = {}): FoldGroup[] {
  const byKey = new Map<string, FoldGroup>();
  const { shown } = scopeOf(graph, choices);
  for (const n of graph.nodes) {
    if (n.foldKey === undefined || !shown.has(n.id)) continue;
    const id = `fold:${n.parent ?? ""}:${n.foldKey}`;
    let g = byKey.get(id);
    if (!g) byKey.set(id, (g = { id, parent: n.parent, members: [] }));
    g.members.push(n.id);
  }
  return [...byKey.values()].filter((g) => g.members.length > 1);
}

/** Whether a module is drawn collapsed under these choices. */
export function isCollapsed(graph: GraphDto, choices: ViewChoices, moduleId: NodeId): boolean {
  const open = choices.moduleOpen[moduleId];
  if (open !== undefined) return !open;
  const scope = scopeOf(graph, choices);
  if (scope.nodes > LARGE_GRAPH) return true;
  return scope.nodes > LAYER_LEVEL && !scope.containers.has(moduleId);
}

/** Whether a fold group is drawn folded under these choices. */
export function isFolded(graph: GraphDto, choices: ViewChoices, groupId: string): boolean {
  const open = choices.foldOpen[groupId];
  return open === undefined ? scopeOf(graph, choices).nodes > LARGE_GRAPH : !open;
}

/** The nodes and edges to draw. */
export function drawnGraph(graph: GraphDto, choices: ViewChoices): DrawnGraph {
  const scope = scopeOf(graph, choices);
  const { byId, shown, mergedInto } = scope;
  const collapsed = new Set(
    graph.nodes
      .filter((n) => n.kind === "module" && shown.has(n.id) && isCollapsed(graph, choices, n.id))
      .map((n) => n.id),
  );
  const groupOf = new Map<NodeId, FoldGroup>();
  for (const g of foldGroups(graph, choices)) {
    if (isFolded(graph, choices, g.id)) for (const m of g.members) groupOf.set(m, g);
  }
  const parentOf = (n: GraphNodeDto): NodeId | undefined =>
    n.parent !== undefined && byId.has(n.parent) ? n.parent : undefined;
  const owners = new Map<NodeId, string>();
  const ownerOf = (id: NodeId): string => {
    let owner = owners.get(id);
    if (owner !== undefined) return owner;
    const into = mergedInto.get(id);
    if (into !== undefined) {
      owner = ownerOf(into); // an AccumulateGrad is drawn as its parameter
      owners.set(id, owner);
      return owner;
    }
    owner = id;
    const n = byId.get(id);
    const p = n && parentOf(n);
    if (p !== undefined) {
      const parentOwner = ownerOf(p);
      if (parentOwner !== p)
        owner = parentOwner; // the parent is itself hidden
      else if (collapsed.has(p)) owner = p;
    }
    if (owner === id && groupOf.has(id)) owner = groupOf.get(id)!.id;
    owners.set(id, owner);
    return owner;
  };

  // First the drawn nodes, then what each of them hides.
  const nodes = new Map<string, DrawnNode>();
  const inScope = graph.nodes.filter((n) => shown.has(n.id));
  for (const n of inScope) {
    const owner = ownerOf(n.id);
    if (owner === n.id) {
      const isBox = collapsed.has(n.id);
      nodes.set(n.id, {
        id: n.id,
        kind: n.kind,
        parent: parentOf(n),
        dto: n,
        ...(isBox ? { collapsed: true, hidden: 0 } : {}),
      });
    } else if (!nodes.has(owner) && groupOf.get(n.id)?.id === owner) {
      const g = groupOf.get(n.id)!;
      nodes.set(owner, {
        id: owner,
        kind: "fold",
        parent: g.parent,
        dto: n,
        repeats: g.members.length,
        hidden: 0,
      });
    }
  }
  for (const n of inScope) {
    const d = nodes.get(ownerOf(n.id));
    if (!d || d.id === n.id) continue;
    if (countable(n, scope)) d.hidden = (d.hidden ?? 0) + 1;
    if (n.failed) d.failedInside = true;
  }
  return { nodes: [...nodes.values()], edges: drawnEdges(graph.edges, ownerOf, nodes), ownerOf };
}

/** Whether a node counts in "N nodes": modules and merged AccumulateGrads do not (Scope.size). */
function countable(n: GraphNodeDto, scope: Scope): boolean {
  return n.kind !== "module" && !scope.mergedInto.has(n.id);
}

function drawnEdges(
  edges: readonly GraphEdgeDto[],
  ownerOf: (id: NodeId) => string,
  nodes: ReadonlyMap<string, DrawnNode>,
): DrawnEdge[] {
  const merged = new Map<string, DrawnEdge>();
  for (const e of edges) {
    const key = drawnEdgeKey(e, ownerOf, nodes);
    if (key === null) continue;
    const [s, t] = [ownerOf(e.source), ownerOf(e.target)];
    const m = merged.get(key);
    if (m) m.count++;
    else merged.set(key, { id: key, source: s, target: t, label: e.label, count: 1 });
  }
  return [...merged.values()];
}

/** The id of the drawn edge a graph edge is part of; null when it is not drawn (inside one box). */
export function drawnEdgeKey(
  e: GraphEdgeDto,
  ownerOf: (id: NodeId) => string,
  nodes: { has(id: string): boolean },
): string | null {
  const s = ownerOf(e.source);
  const t = ownerOf(e.target);
  if (s === t || !nodes.has(s) || !nodes.has(t)) return null;
  return s !== e.source || t !== e.target ? `merged:${s}->${t}` : e.id;
}

/** How many graph nodes sit inside (at any depth) the given modules. */
export function nodesInside(graph: GraphDto, modules: readonly NodeId[]): number {
  const byId = new Map(graph.nodes.map((n) => [n.id, n] as const));
  const within = new Set(modules);
  let count = 0;
  for (const n of graph.nodes) {
    for (let p = n.parent, d = 0; p !== undefined && d < 64; p = byId.get(p)?.parent, d++) {
      if (within.has(p)) {
        count++;
        break;
      }
    }
  }
  return count;
}

/** The deepest chain of parents among drawn nodes. */
export function nestingDepth(nodes: readonly { id: string; parent?: string }[]): number {
  const parentOf = new Map(nodes.map((n) => [n.id, n.parent]));
  let max = 0;
  for (const n of nodes) {
    let d = 0;
    for (let p = n.parent; p !== undefined && d < 64; p = parentOf.get(p)) d++;
    max = Math.max(max, d);
  }
  return max;
}
