/** graphForPage: what of a graph is posted to the page (many values stay with the host). */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { graphForPage, INLINE_VALUES } from "../../../extension/runner/pageGraph";
import type { GraphDto, TensorSummary } from "../../../webview/protocol";

function summary(n: number): TensorSummary {
  const values = Array.from({ length: n }, (_, i) => i);
  return {
    shape: [n],
    dtype: "float32",
    numel: n,
    min: 0,
    max: n - 1,
    mean: 0,
    norm: 1,
    values,
    truncated: false,
  };
}

test("page graph: summaries with many values lose them, small ones and everything else stay", () => {
  const big = summary(INLINE_VALUES + 1);
  const small = summary(INLINE_VALUES);
  const graph: GraphDto = {
    file: "/m.ts",
    nodes: [
      { id: "a", kind: "param", label: "fc.weight", value: big, grad: big },
      { id: "b", kind: "leaf", label: "x", value: small, grad: null },
      { id: "c", kind: "op", label: "SumBackward0" },
    ],
    edges: [{ id: "e", source: "b", target: "c", label: "[1]" }],
    hasGradients: true,
    runMs: 3,
  };
  const page = graphForPage(graph);
  const [a, b, c] = page.nodes;
  assert.equal(a.value!.values, undefined);
  assert.equal(a.grad!.values, undefined);
  assert.deepEqual({ ...a.value, values: big.values }, big); // statistics and shape kept
  assert.equal(b, graph.nodes[1]); // nothing to leave out: the same object
  assert.equal(b.grad, null);
  assert.equal(c, graph.nodes[2]);
  assert.deepEqual(page.edges, graph.edges);
  assert.equal(
    graph.nodes[0].value!.values!.length,
    INLINE_VALUES + 1,
    "the host's graph is untouched",
  );
});
