/**
 * withStaleWarnings: a run without backward keeps the last backward's gradient warnings, marked
 * stale and pointed at the same nodes of the new graph; a run with gradients replaces them.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { keepWarnings, withStaleWarnings } from "../../../extension/session/staleWarnings";
import { runHere, warningModel } from "../runner/fixtures";
import type { GraphDto, NodeId } from "../../../webview/protocol";

async function graphs(): Promise<{ backward: GraphDto; forward: GraphDto }> {
  const withBackward = await warningModel("gradExploding");
  const forwardOnly = await runHere("gradExploding");
  assert.equal(withBackward.ok && forwardOnly.ok, true);
  assert.equal(forwardOnly.graph.hasGradients, false);
  assert.ok(withBackward.graph.warnings?.length, "the backward run warns");
  return { backward: withBackward.graph, forward: forwardOnly.graph };
}

const labelOf = (g: GraphDto, id: NodeId): string => {
  const n = g.nodes.find((m) => m.id === id);
  return n ? `${n.kind}:${n.label}` : "(none)";
};

test("stale warnings: a forward-only run keeps the last backward's warnings, stale, on the same nodes", async () => {
  const { backward, forward } = await graphs();
  const shown = withStaleWarnings(forward, keepWarnings(backward));
  const before = backward.warnings!;
  const after = shown.warnings!;
  assert.deepEqual(
    after.map((w) => [w.kind, w.message, w.location, w.stale]),
    before.map((w) => [w.kind, w.message, w.location, true]),
  );
  after.forEach((w, i) => {
    assert.equal(labelOf(forward, w.nodeId), labelOf(backward, before[i].nodeId));
    assert.deepEqual(
      w.marked.map((id) => labelOf(forward, id)),
      before[i].marked.map((id) => labelOf(backward, id)),
    );
  });
  assert.equal(shown.nodes, forward.nodes, "the new graph itself is unchanged");
});

test("stale warnings: a run with gradients replaces them; nothing to keep keeps nothing", async () => {
  const { backward, forward } = await graphs();
  const fresh = { ...backward, warnings: [] };
  assert.equal(withStaleWarnings(fresh, keepWarnings(backward)), fresh);
  assert.equal(withStaleWarnings(forward, undefined), forward);
  assert.equal(withStaleWarnings(forward, keepWarnings({ ...backward, warnings: [] })), forward);
});

test("stale warnings: a node the edit removed is no longer marked", async () => {
  const { backward, forward } = await graphs();
  const w = backward.warnings![0];
  const gone = forward.nodes.find(
    (n) => labelOf(forward, n.id) === labelOf(backward, w.marked[0]),
  )!;
  const edited = {
    ...forward,
    nodes: forward.nodes.map((n) => (n === gone ? { ...n, label: "renamed" } : n)),
  };
  const kept = withStaleWarnings(edited, keepWarnings(backward)).warnings![0];
  assert.ok(!kept.marked.includes(gone.id));
  assert.equal(kept.marked.length, w.marked.length - 1);
});
