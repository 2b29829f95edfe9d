/** shownRun: which run the graph and the hints show while the file fails mid-edit. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { shownRun, type SeenRun } from "../../../extension/session/shownRun";
import type { RunResult } from "../../../extension/runProtocol/types";
import type { GraphNodeDto } from "../../../webview/protocol";

function run(ok: boolean, nodes: GraphNodeDto[], source = "text"): SeenRun {
  const result: RunResult = {
    ok,
    graph: { file: "/m.ts", nodes, edges: [], hasGradients: false, runMs: 1 },
    ...(ok ? {} : { error: { kind: "runtime" as const, message: "boom" } }),
    logs: [],
    shapeHints: [],
    layerHints: [],
    roots: [],
    durationMs: 1,
  };
  return { result, source };
}

const good = run(true, [{ id: "a", kind: "op", label: "MulBackward0" }], "good text");

test("shown run: a good latest run is shown as it is", () => {
  const latest = run(true, [{ id: "b", kind: "op", label: "AddBackward0" }]);
  assert.deepEqual(shownRun(latest, good), { ...latest, stale: false });
});

test("shown run: a run that failed before any op of the model keeps the last good one, stale", () => {
  const halfTyped = run(false, []);
  assert.deepEqual(shownRun(halfTyped, good), { ...good, stale: true });
  // an op ran before the user's own code threw (a name typed half-way): still mid-edit
  const partial = run(false, [{ id: "c", kind: "op", label: "MulBackward0" }]);
  assert.equal(shownRun(partial, good)?.stale, true);
});

test("shown run: a failure at an op of the model shows that run (its graph up to the failure)", () => {
  const shapeError = run(false, [{ id: "d", kind: "op", label: "AddmmBackward0", failed: true }]);
  assert.deepEqual(shownRun(shapeError, good), { ...shapeError, stale: false });
});

test("shown run: without a good run the failed one is shown; the good run itself is not stale", () => {
  const halfTyped = run(false, []);
  assert.deepEqual(shownRun(halfTyped, undefined), { ...halfTyped, stale: false });
  assert.deepEqual(shownRun(good, good), { ...good, stale: false });
  assert.equal(shownRun(undefined, good), undefined);
});
