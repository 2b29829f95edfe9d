// The gradient warnings of the last backward, kept in view while later runs do not run backward
// (an edit re-runs the file forward only, until Run Backward): they are carried over marked
// `stale`, as the graph of the last good run is while an edit does not parse, until a run with
// gradients replaces them. Their nodes are found again in the new graph by kind and label (node
// ids are positions and can name other nodes after an edit); a node not found is not marked.
// Pure (no vscode).
import type { GradientWarning, GraphDto, GraphNodeDto, NodeId } from "../../webview/protocol";

/** The last backward's warnings, and the kind and label of each node they name. */
export interface KeptWarnings {
  warnings: readonly GradientWarning[];
  /** Node id in the graph they came from → `kind\0label`. */
  nodeKeys: ReadonlyMap<NodeId, string>;
}

const keyOf = (n: GraphNodeDto): string => `${n.kind}\0${n.label}`;

/** What a graph with gradients leaves for later runs: its warnings (none: nothing to keep). */
export function keepWarnings(graph: GraphDto): KeptWarnings | undefined {
  const warnings = graph.warnings ?? [];
  if (!warnings.length) return undefined;
  const named = new Set(
    warnings.flatMap((w) => [w.nodeId, ...w.marked, ...(w.relativeTo ? [w.relativeTo] : [])]),
  );
  const nodeKeys = new Map(graph.nodes.filter((n) => named.has(n.id)).map((n) => [n.id, keyOf(n)]));
  return { warnings, nodeKeys };
}

/** `graph` with the kept warnings of the last backward carried over, marked stale. */
export function withStaleWarnings(graph: GraphDto, kept: KeptWarnings | undefined): GraphDto {
  if (graph.hasGradients || !kept) return graph;
  const find = sameNodeIn(kept, graph);
  const warnings = kept.warnings.map((w): GradientWarning => {
    const { relativeTo, ...rest } = w;
    const [nodeId, relative] = [find(w.nodeId), relativeTo && find(relativeTo)];
    return {
      ...rest,
      nodeId: nodeId ?? w.nodeId,
      marked: w.marked.flatMap((id) => find(id) ?? []),
      ...(relative ? { relativeTo: relative } : {}),
      stale: true,
    };
  });
  return { ...graph, warnings };
}

/** The id in `next` of a kept node: the one node of the same kind and label. */
function sameNodeIn(kept: KeptWarnings, next: GraphDto): (id: NodeId) => NodeId | undefined {
  const byKey = new Map<string, NodeId | null>();
  for (const n of next.nodes) byKey.set(keyOf(n), byKey.has(keyOf(n)) ? null : n.id);
  return (id) => {
    const key = kept.nodeKeys.get(id);
    return (key !== undefined && byKey.get(key)) || undefined;
  };
}
