// The gradient warnings of the last backward, kept in view while later runs do not run backward
// (an edit re-runs the file forward only, until Run Backward): they are carried over marked
// `stale`, as the graph of the last good run is while an edit does not parse, until a run with
// gradients replaces them. Their nodes are found again in the new graph by kind and label (node
// ids are positions and can name other nodes after an edit); a node not found is not marked.
// Pure (no vscode).
import type { GradientWarning, GraphDto, GraphNodeDto, NodeId } from "../../webview/protocol";

/** `result`'s graph with the warnings of `lastBackward` (a graph with gradients) carried over. */
export function withStaleWarnings(graph: GraphDto, lastBackward: GraphDto | undefined): GraphDto {
  if (graph.hasGradients || !lastBackward?.warnings?.length) return graph;
  const find = sameNodeIn(lastBackward, graph);
  const warnings = lastBackward.warnings.map((w): GradientWarning => {
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

/** The id in `next` of a node of `previous`: the one node of the same kind and label. */
function sameNodeIn(previous: GraphDto, next: GraphDto): (id: NodeId) => NodeId | undefined {
  const key = (n: GraphNodeDto): string => `${n.kind}\0${n.label}`;
  const byKey = new Map<string, NodeId | null>();
  for (const n of next.nodes) byKey.set(key(n), byKey.has(key(n)) ? null : n.id);
  const old = new Map(previous.nodes.map((n) => [n.id, n]));
  return (id) => {
    const n = old.get(id);
    return (n && byKey.get(key(n))) ?? undefined;
  };
}
