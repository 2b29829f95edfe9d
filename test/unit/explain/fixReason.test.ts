/**
 * Failure reasons read from the run (the failing op's input, the layer's settings, the backward
 * passes) and the layer construction where the fix goes, from real runs in the sandbox.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import type { RunResult } from "../../../extension/runProtocol/types";
import { at, MODELS, runHere, runInSandbox, runSource } from "../runner/fixtures";

const HEADER = `import * as torch from "gradlens";
import { nn } from "gradlens";
`;

/** A model file of the VS Code suite's workspace (test/fixtures/workspace). */
function workspaceModel(name: string): Promise<RunResult> {
  const file = path.resolve(MODELS, "../workspace", name);
  return runInSandbox({ file, source: fs.readFileSync(file, "utf8") });
}

test("fix reason: a Linear attribute fed too many features, at the call and at its construction", async () => {
  const r = await runHere("linearMismatch");
  assert.deepEqual(r.error!.fix, {
    kind: "linearFeatures",
    expected: 600,
    got: 1000,
    inputShape: [1, 1000],
  });
  const layer = r.error!.layer!;
  assert.deepEqual(
    [layer.name, layer.description, at(layer.location)],
    ["fc1", "Linear(600 → 60)", "6:9"],
  );
  assert.equal(layer.viaContainer, undefined);
  assert.equal(at(r.error!.location), "10:24"); // this.fc1.forward(x)
});

test("fix reason: an unnamed Sequential member is named by its index, at its own construction line", async () => {
  const r = await workspaceModel("err_lenet.ts"); // Linear(16 * 4 * 4, 120) fed [4, 400]
  assert.deepEqual(r.error!.fix, {
    kind: "linearFeatures",
    expected: 256,
    got: 400,
    inputShape: [4, 400],
  });
  const layer = r.error!.layer!;
  assert.deepEqual(
    [layer.name, layer.description, at(layer.location), layer.viaContainer],
    ["net[7]", "Linear(256 → 120)", "15:3", true],
  );
  assert.equal(r.error!.location?.line, 23); // net.forward(images)
  assert.match(
    r.error!.explanation!,
    /^Linear\(256 → 120\) in `net\[7\]` expects 256 input features/,
  );
});

test("fix reason: a Linear fed 4-D input reports the input's shape (the fix is a flatten)", async () => {
  const r = await runSource(`${HEADER}
const conv = new nn.Conv2d(1, 16, 5);
const fc = new nn.Linear(16 * 12 * 12, 10);
const y = fc.forward(conv.forward(torch.randn(2, 1, 16, 16)));
`);
  assert.deepEqual(r.error!.fix, {
    kind: "linearFeatures",
    expected: 2304,
    got: 12,
    inputShape: [2, 16, 12, 12],
  });
  assert.equal(r.error!.layer?.name, "fc");
});

test("fix reason: a conv fed another channel count than it was built for", async () => {
  const r = await runHere("convMismatch");
  assert.deepEqual(r.error!.fix, {
    kind: "convChannels",
    expected: 3,
    got: 1,
    inputShape: [1, 1, 32, 32],
  });
  assert.deepEqual([r.error!.layer!.name, at(r.error!.layer!.location)], ["conv1", "5:15"]);
});

test("fix reason: a second backward through a freed graph points at the first backward call", async () => {
  const r = await runSource(`${HEADER}
const w = torch.ones(3, { requiresGrad: true });
const loss = w.mul(w).sum();
loss.backward();
loss.backward();
`);
  assert.equal(r.error!.fix?.kind, "backwardTwice");
  assert.equal(r.error!.fix?.kind === "backwardTwice" && at(r.error!.fix.first), "6:6");
  assert.equal(r.error!.location?.line, 7);
  assert.equal(r.error!.layer, undefined);
});

test("fix reason: a view to a shape that cannot hold the tensor's elements, with the input's shape", async () => {
  const r = await runHere("viewMismatch"); // [1, 16, 12, 12].view(-1, 400)
  assert.deepEqual(r.error!.fix, {
    kind: "viewSize",
    shape: [-1, 400],
    inputShape: [1, 16, 12, 12],
  });
  assert.equal(r.error!.layer, undefined);
});

test("fix reason: none for a second backward after retainGraph, or a mistake no fix knows", async () => {
  const retained = await runSource(`${HEADER}
const w = torch.ones(3, { requiresGrad: true });
const loss = w.mul(w).sum();
loss.backward(undefined, { retainGraph: true });
loss.backward();
const bad = w.add(torch.ones(4));
`);
  assert.equal(retained.error!.fix, undefined);
  assert.match(retained.error!.message, /must match the size of tensor b/);
});
