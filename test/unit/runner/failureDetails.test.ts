/**
 * A failed run says what failed as data (RunError.failure): the op the trace heard fail, its
 * inputs' shapes and names, the layer it ran in (path, class, where it was made, its settings)
 * and the reason's numbers, from real runs in the sandbox. Quick fixes and "error at the
 * construction line" read these; nothing reads the message.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import type { FailureDetails, RunResult } from "../../../extension/runProtocol/types";
import { at, runHere, runSource } from "./fixtures";

const HEADER = `import * as torch from "gradlens";
import { nn } from "gradlens";
const F = nn.functional;
`;

function failureOf(r: RunResult): FailureDetails {
  assert.equal(r.ok, false);
  assert.ok(r.error?.failure, `failure details for ${r.error?.message}`);
  return r.error.failure;
}

const shapes = (f: FailureDetails): string[] =>
  f.inputs.map((i) => `${i.name ?? "?"}:[${i.shape.join(", ")}]`);

test("failure: a Linear fed the wrong feature count names addmm, the layer and its inFeatures", async () => {
  const r = await runHere("linearMismatch");
  const f = failureOf(r);
  assert.equal(f.errorType, "RuntimeError");
  assert.equal(f.op, "AddmmBackward0");
  assert.deepEqual(shapes(f), ["net.fc1.bias:[60]", "x:[1, 1000]", "?:[600, 60]"]);
  assert.deepEqual(f.reason, { kind: "matmulShapes", a: [1, 1000], b: [600, 60] });
  const m = f.module!;
  assert.equal(m.path, "net.fc1");
  assert.equal(m.name, "fc1");
  assert.equal(m.typeName, "Linear");
  assert.deepEqual(m.layer, { type: "Linear", inFeatures: 600, outFeatures: 60 });
  assert.equal(at(m.createdAt), "6:9", "the construction `new nn.Linear(600, 60)`");
  assert.equal(at(m.calledAt), "10:24", "the call `this.fc1.forward(x)`");
});

test("failure: a conv fed the wrong channels carries the layer's inChannels and the channels received", async () => {
  const f = failureOf(await runHere("convMismatch"));
  assert.equal(f.op, "ConvolutionBackward0");
  assert.deepEqual(shapes(f), ["image:[1, 1, 32, 32]", "conv1.weight:[16, 3, 3, 3]", "conv1.bias:[16]"]);
  assert.equal(f.reason.kind, "convChannels");
  assert.deepEqual(
    f.reason.kind === "convChannels" && [f.reason.expected, f.reason.got],
    [3, 1],
    "the layer's inChannels and the channels the image has",
  );
  assert.equal(f.module!.path, "conv1");
  assert.deepEqual(f.module!.layer, {
    type: "Conv",
    className: "Conv2d",
    transposed: false,
    inChannels: 3,
    outChannels: 16,
    kernelSize: [3, 3],
    stride: [1, 1],
    padding: [0, 0],
    dilation: [1, 1],
    groups: 1,
  });
  assert.equal(at(f.module!.createdAt), "5:15");
});

test("failure: a view that cannot fit names view, its input and the requested shape", async () => {
  const f = failureOf(await runHere("viewMismatch"));
  assert.equal(f.op, "view");
  assert.deepEqual(shapes(f), ["features:[1, 16, 12, 12]"]);
  assert.deepEqual(f.reason, { kind: "viewSize", shape: [-1, 400], numel: 2304 });
});

test("failure: broadcasting, a batch norm and a loss's batch size, each with its op and layer", async () => {
  const add = failureOf(await runHere("broadcast"));
  assert.equal(add.op, "AddBackward0");
  assert.deepEqual(add.reason, { kind: "broadcast", a: [2, 3], b: [4], dim: 1, sizeA: 3, sizeB: 4 });
  assert.equal(add.module, undefined, "no module was running");

  const bn = failureOf(
    await runSource(`${HEADER}
const seq = new nn.Sequential(new nn.Conv2d(3, 16, 3), new nn.BatchNorm2d(32));
const y = seq.forward(torch.randn(2, 3, 8, 8));
`),
  );
  assert.equal(bn.op, "NativeBatchNormBackward0");
  assert.deepEqual(bn.reason, { kind: "normFeatures", expected: 32, got: 16, input: [2, 16, 6, 6] });
  assert.equal(bn.module!.path, "seq.1");
  assert.equal(bn.module!.name, "seq.1");
  assert.deepEqual(bn.module!.layer, { type: "BatchNorm", className: "BatchNorm2d", numFeatures: 32 });

  const ce = failureOf(
    await runSource(`${HEADER}
const logits = torch.randn(4, 10, { requiresGrad: true });
const labels = torch.tensor([1, 2, 3]);
const loss = F.crossEntropy(logits, labels);
`),
  );
  assert.equal(ce.op, "crossEntropy", "the functional name: its checks run before any op");
  assert.deepEqual(shapes(ce), ["logits:[4, 10]", "labels:[3]"]);
  assert.deepEqual(ce.reason, { kind: "batchSize", input: 4, target: 3 });
});

test("failure: a dim out of range in a reduction is heard as that op, on its input", async () => {
  const f = failureOf(
    await runSource(`${HEADER}
const x = torch.randn(2, 3, { requiresGrad: true });
const s = x.sum(2);
`),
  );
  assert.equal(f.errorType, "IndexError");
  assert.equal(f.op, "sum");
  assert.deepEqual(shapes(f), ["x:[2, 3]"]);
  assert.deepEqual(f.reason, { kind: "dimOutOfRange", dim: 2, ndim: 2 });
});

test("failure: backward's own checks have no op, only the reason", async () => {
  const b = await runHere("noGradRoot", { backward: {} });
  const f = failureOf(b);
  assert.equal(f.op, undefined);
  assert.deepEqual(f.inputs, []);
  assert.deepEqual(f.reason, { kind: "noGrad", index: 0 });
  const twice = failureOf(
    await runSource(`${HEADER}
const w = torch.ones(3, { requiresGrad: true });
const loss = w.mul(w).sum();
loss.backward();
loss.backward();
`),
  );
  assert.deepEqual(twice.reason, { kind: "retainGraph" });
});

test("failure: the user's own throw and a missing name carry no engine details", async () => {
  const own = await runHere("throws");
  assert.equal(own.error!.failure, undefined);
  const missing = await runSource(`${HEADER}
const bn = new nn.BatchNorm3d(4);
`);
  assert.equal(missing.error!.failure, undefined);
  assert.match(missing.error!.message, /^AttributeError: nn\.BatchNorm3d is not part of Gradlens/);
});
