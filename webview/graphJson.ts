/**
 * A GraphDto as JSON text and back, keeping NaN, Infinity and -Infinity: JSON has no such
 * numbers (JSON.stringify writes null), and a gradient that blew up must not read as "no
 * value". In the text they are the strings "NaN", "Infinity" and "-Infinity"; reading turns
 * them back into numbers only where the graph has numbers (a tensor summary's statistics and
 * values, the run time), so a node labelled "NaN" stays a label. A summary's values are a
 * Float32Array in the graph and a list of numbers in the text. Used by the CLI's --json and
 * --html, the panel's JSON export and the page reading an embedded graph.
 */
import type { GraphDto, TensorSummary } from "./protocol";

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

export function graphToJson(graph: GraphDto, space?: number): string {
  return JSON.stringify(
    graph,
    (_key, v: unknown) =>
      v instanceof Float32Array
        ? Array.from(v) // a list of numbers in the text, not {"0": …}
        : typeof v === "number" && !Number.isFinite(v)
          ? String(v)
          : v,
    space,
  );
}

const num = (v: unknown): unknown => (typeof v === "string" && v in NON_FINITE ? NON_FINITE[v] : v);

function summaryNumbers(s: TensorSummary | null | undefined): void {
  if (!s) return;
  const r = s as unknown as Record<string, unknown>;
  for (const k of ["min", "max", "mean", "norm"]) r[k] = num(r[k]);
  const values: unknown = s.values;
  if (Array.isArray(values)) s.values = Float32Array.from(values, (v) => num(v) as number);
}

export function graphFromJson(text: string): GraphDto {
  const graph = JSON.parse(text) as GraphDto;
  graph.runMs = num(graph.runMs) as number;
  for (const n of graph.nodes ?? []) {
    summaryNumbers(n.value);
    summaryNumbers(n.grad);
  }
  for (const e of graph.edges ?? []) summaryNumbers(e.grad);
  return graph;
}
