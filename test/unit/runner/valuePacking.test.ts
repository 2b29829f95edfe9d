/** Packing a result's tensor values for the trip from the worker to the host, and back. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { packValues, unpackValues } from "../../../extension/runProtocol/valuePacking";
import { runHere } from "./fixtures";

test("values: packed into one Float32Array and back, exactly, summaries and nulls kept", async () => {
  const r = await runHere("lenet", { backward: {} });
  assert.equal(r.ok, true, r.error?.message);
  const original = structuredClone(r.graph);
  const withValues = original.nodes.flatMap((n) => [n.value, n.grad]).filter((s) => s?.values);
  assert.ok(withValues.length > 10, `only ${withValues.length} summaries with values`);
  const packed = packValues(r.graph);
  assert.ok(
    r.graph.nodes.every((n) => !n.value?.values && !n.grad?.values),
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
