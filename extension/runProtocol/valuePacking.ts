/**
 * A run's result crosses from the worker to the host with its tensor values packed into one
 * Float32Array: structured clone copies a typed array as raw bytes but an array of numbers
 * element by element (examples/lenet.ts: 1.65 MB, 30-45 ms to serialize and deserialize, on
 * the host's thread too; packed 0.6 MB, ~2 ms). The values were float32 to begin with, so the
 * round trip is exact. Unpacked, each summary has a Float32Array with a buffer of its own, so
 * that posting one node's values to the page copies only those.
 */
import type { GraphDto, TensorSummary } from "../../webview/protocol";

export interface PackedValues {
  data: Float32Array;
  /** Per summary, in `summaries` order: how many values; -1 for none. */
  lengths: Int32Array;
}

/** Every summary of the graph, in a fixed order: nodes (value, then gradient), then edges. */
export function summaries(graph: GraphDto): TensorSummary[] {
  const out: TensorSummary[] = [];
  for (const n of graph.nodes) {
    if (n.value) out.push(n.value);
    if (n.grad) out.push(n.grad);
  }
  // the gradient each edge passed back (backward's step-through shows them)
  for (const e of graph.edges) if (e.grad) out.push(e.grad);
  return out;
}

/** Moves the values out of the graph's summaries (the graph is changed) into one array. */
export function packValues(graph: GraphDto): PackedValues {
  const all = summaries(graph);
  const lengths = Int32Array.from(all, (s) => s.values?.length ?? -1);
  const data = new Float32Array(lengths.reduce((n, l) => n + Math.max(l, 0), 0));
  let at = 0;
  for (const s of all) {
    if (!s.values) continue;
    data.set(s.values, at);
    at += s.values.length;
    delete s.values;
  }
  return { data, lengths };
}

/** Puts packed values back into the same graph's summaries. */
export function unpackValues(graph: GraphDto, packed: PackedValues): void {
  let at = 0;
  summaries(graph).forEach((s, i) => {
    const n = packed.lengths[i];
    if (n < 0) return;
    s.values = packed.data.slice(at, at + n);
    at += n;
  });
}
