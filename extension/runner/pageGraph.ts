/**
 * The graph as it is posted to the page: tensor values are left out of every summary that has
 * many of them (the page asks for a node's when it shows them), so that a LeNet graph with
 * gradients is a few kilobytes, not a megabyte of JSON through VS Code's webview channel.
 */
import type { GraphDto, GraphNodeDto, TensorSummary } from "../../webview/protocol";

/** Summaries with at most this many values keep them: too few to be worth a round trip. */
export const INLINE_VALUES = 256;

function lean<T extends TensorSummary | null | undefined>(t: T): T {
  if (!t?.values || t.values.length <= INLINE_VALUES) return t;
  const { values: _values, ...rest } = t;
  return rest as T;
}

export function graphForPage(graph: GraphDto): GraphDto {
  const nodes = graph.nodes.map((n): GraphNodeDto => {
    const [value, grad] = [lean(n.value), lean(n.grad)];
    if (value === n.value && grad === n.grad) return n;
    const leaned = { ...n };
    if (value !== n.value) leaned.value = value;
    if (grad !== n.grad) leaned.grad = grad;
    return leaned;
  });
  return { ...graph, nodes };
}
