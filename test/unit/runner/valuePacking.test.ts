/** Packing a result's tensor values for the trip from the worker to the host, and back. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { packValues, unpackValues } from "../../../extension/runProtocol/valuePacking";
import { runHere } from "./fixtures";
import { graphFromJson, graphToJson } from "../../../webview/graphJson";
import type { GraphDto } from "../../../webview/protocol";

test("values: packed into one Float32Array and back, exactly, summaries and nulls kept", async () => {
  const r = await runHere("lenet", { backward: {} });
  assert.equal(r.ok, true, r.error?.message);
  const original = structuredClone(r.graph);
  const withValues = [
    ...original.nodes.flatMap((n) => [n.value, n.grad]),
    ...original.edges.map((e) => e.grad), // what each edge passed back in backward
  ].filter((s) => s?.values);
  assert.ok(withValues.length > 10, `only ${withValues.length} summaries with values`);
  assert.ok(original.edges.some((e) => e.grad?.values), "edges carry gradients");
  const packed = packValues(r.graph);
  assert.ok(
    r.graph.nodes.every((n) => !n.value?.values && !n.grad?.values) &&
      r.graph.edges.every((e) => !e.grad?.values),
    "values left behind",
  );
  assert.equal(
    packed.data.length,
    withValues.reduce((k, s) => k + s!.values!.length, 0),
  );
  const sent = structuredClone(r.graph); // as postMessage would copy it
  unpackValues(sent, structuredClone(packed));
  assert.deepEqual(sent, original);
});

test("values: each summary gets a Float32Array of its own buffer, so posting one node copies only its values", async () => {
  const r = await runHere("lenet", { backward: {} });
  const packed = packValues(r.graph);
  unpackValues(r.graph, packed);
  const all = r.graph.nodes.flatMap((n) => [n.value, n.grad]).filter((s) => s?.values);
  assert.ok(all.length > 10);
  for (const s of all) {
    assert.ok(s!.values instanceof Float32Array, "a Float32Array, not a list of numbers");
    assert.equal(s!.values!.buffer.byteLength, s!.values!.length * 4, "a buffer of its own");
  }
});

test("values: JSON text lists them, and reading it gives Float32Arrays back, NaN and ±Infinity kept", () => {
  const summary = { shape: [3], dtype: "float32" as const, numel: 3, min: -Infinity, max: 1, mean: NaN, norm: NaN, truncated: false };
  const graph: GraphDto = {
    file: "/m.ts",
    nodes: [{ id: "y", kind: "tensor", label: "y", value: { ...summary, values: Float32Array.of(NaN, -Infinity, 1) } }],
    edges: [{ id: "e0", source: "y", target: "y", label: "[3]", grad: { ...summary, values: Float32Array.of(2, NaN, 3) } }],
    hasGradients: false,
    runMs: 1,
  };
  const text = graphToJson(graph);
  assert.match(text, /"values":\["NaN","-Infinity",1\]/);
  const read = graphFromJson(text);
  const back = read.nodes[0].value!.values!;
  assert.ok(back instanceof Float32Array);
  assert.deepEqual(Array.from(back), [NaN, -Infinity, 1]);
  const edge = read.edges[0].grad!.values!; // what an edge passed back in backward, too
  assert.ok(edge instanceof Float32Array);
  assert.deepEqual(Array.from(edge), [2, NaN, 3]);
}); // prettier-ignore
