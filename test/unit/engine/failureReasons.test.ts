/**
 * Every engine error keeps PyTorch's message and carries its reason as data
 * (engine/failureReasons.ts): one case per kind, each with the numbers a tool needs.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn } from "../../../engine";
import type { FailureReason } from "../../../engine";

const F = nn.functional;

/** The error `body` throws: its message and its reason. */
function failure(body: () => unknown): { message: string; reason: FailureReason } {
  try {
    body();
  } catch (e) {
    assert.ok(e instanceof torch.EngineError, `an engine error, got ${String(e)}`);
    return { message: e.message, reason: e.reason };
  }
  assert.fail("it did not throw");
}

test("reasons: matrix products name both operands' shapes", () => {
  const mm = failure(() => torch.randn(1, 1176).matmul(torch.randn(1014, 84)));
  assert.equal(mm.message, "mat1 and mat2 shapes cannot be multiplied (1x1176 and 1014x84)");
  assert.deepEqual(mm.reason, { kind: "matmulShapes", a: [1, 1176], b: [1014, 84] });
  const linear = failure(() => new nn.Linear(600, 60).forward(torch.randn(1, 1000)));
  assert.deepEqual(linear.reason, { kind: "matmulShapes", a: [1, 1000], b: [600, 60] });
  const dot = failure(() => torch.randn(3).dot(torch.randn(4)));
  assert.deepEqual(dot.reason, { kind: "matmulShapes", a: [3], b: [4] });
  const dims = failure(() => torch.mm(torch.randn(3), torch.randn(3, 2)));
  assert.deepEqual(dims.reason, { kind: "inputDims", input: [3], min: 2, max: 2 });
});

test("reasons: broadcasting and expanding name the shapes and the dim", () => {
  const add = failure(() => torch.randn(2, 3).add(torch.randn(4)));
  assert.equal(
    add.message,
    "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
  );
  assert.deepEqual(add.reason, { kind: "broadcast", a: [2, 3], b: [4], dim: 1, sizeA: 3, sizeB: 4 });
  const expand = failure(() => torch.randn(2, 3).expand(4, 4));
  assert.deepEqual(expand.reason, { kind: "expandSize", shape: [2, 3], target: [4, 4], dim: 0 });
});

test("reasons: views name the requested shape and the element count", () => {
  const v = failure(() => torch.randn(1, 16, 12, 12).view(-1, 400));
  assert.equal(v.message, "shape '[-1, 400]' is invalid for input of size 2304");
  assert.deepEqual(v.reason, { kind: "viewSize", shape: [-1, 400], numel: 2304 });
  const r = failure(() => torch.randn(2, 3).reshape(4, 2));
  assert.deepEqual(r.reason, { kind: "viewSize", shape: [4, 2], numel: 6 });
  const strided = failure(() => torch.randn(2, 3).t().view(6));
  assert.deepEqual(strided.reason, { kind: "viewStrides", shape: [3, 2], target: [6] });
});

test("reasons: dims and indices out of range", () => {
  const dim = failure(() => torch.randn(2, 3).sum(2));
  assert.deepEqual(dim.reason, { kind: "dimOutOfRange", dim: 2, ndim: 2 });
  const select = failure(() => torch.randn(2, 3).select(1, 5));
  assert.deepEqual(select.reason, { kind: "indexOutOfRange", index: 5, size: 3, dim: 1 });
});

test("reasons: a conv's channels, kernel and output size against its input", () => {
  const conv = new nn.Conv2d(3, 16, 3);
  const channels = failure(() => conv.forward(torch.randn(1, 1, 32, 32)));
  assert.equal(
    channels.message,
    "Given groups=1, weight of size [16, 3, 3, 3], expected input[1, 1, 32, 32] to have 3 channels, but got 1 channels instead",
  );
  const fields = ({ reason: r }: { reason: FailureReason }) =>
    r.kind === "convChannels" ? [r.expected, r.got, r.weight, r.input, r.groups, r.transposed] : r;
  assert.deepEqual(fields(channels), [3, 1, [16, 3, 3, 3], [1, 1, 32, 32], 1, false]);
  const transposed = failure(() => new nn.ConvTranspose2d(4, 2, 3).forward(torch.randn(1, 3, 8, 8)));
  assert.deepEqual(fields(transposed), [4, 3, [4, 2, 3, 3], [1, 3, 8, 8], 1, true]);
  const kernel = failure(() => new nn.Conv2d(1, 1, 5).forward(torch.randn(1, 1, 3, 8)));
  assert.deepEqual(kernel.reason, {
    kind: "kernelTooLarge",
    paddedInput: [3, 8],
    kernel: [5, 5],
    input: [1, 1, 3, 8],
  });
  const dims = failure(() => conv.forward(torch.randn(3, 32)));
  assert.deepEqual(dims.reason, { kind: "inputDims", input: [3, 32], min: 3, max: 4 });
  const pool = failure(() => F.maxPool2d(torch.randn(1, 2, 1, 1), 2));
  assert.equal(
    pool.message,
    "Given input size: (2x1x1). Calculated output size: (2x0x0). Output size is too small",
  );
  assert.deepEqual(pool.reason, { kind: "outputTooSmall", input: [1, 1], output: [0, 0] });
});

test("reasons: norms and embeddings against their settings", () => {
  const bn = failure(() => new nn.BatchNorm2d(32).forward(torch.randn(2, 16, 4, 4)));
  assert.equal(bn.message, "running_mean should contain 16 elements not 32");
  assert.deepEqual(bn.reason, { kind: "normFeatures", expected: 32, got: 16, input: [2, 16, 4, 4] });
  const ln = failure(() => new nn.LayerNorm(64).forward(torch.randn(4, 10, 32)));
  assert.deepEqual(ln.reason, { kind: "normalizedShape", normalizedShape: [64], input: [4, 10, 32] });
  const gn = failure(() => new nn.GroupNorm(3, 3).forward(torch.randn(2, 4, 5)));
  assert.deepEqual(gn.reason, { kind: "groupNormGroups", numGroups: 3, channels: 4, input: [2, 4, 5] });
  const emb = failure(() => new nn.Embedding(10, 3).forward(torch.tensor([1, 10, -12, 10])));
  assert.equal(emb.message, "index out of range in self");
  assert.deepEqual(emb.reason, { kind: "embeddingIndex", numEmbeddings: 10, bad: [10, -12] });
});

test("reasons: losses name batch sizes, target shapes, classes and dtypes", () => {
  const batch = failure(() => F.crossEntropy(torch.randn(4, 10), torch.tensor([1, 2, 3])));
  assert.equal(batch.message, "Expected input batch_size (4) to match target batch_size (3).");
  assert.deepEqual(batch.reason, { kind: "batchSize", input: 4, target: 3 });
  const bounds = failure(() => F.crossEntropy(torch.randn(2, 3), torch.tensor([0, 7])));
  assert.deepEqual(bounds.reason, { kind: "targetOutOfBounds", target: 7, classes: 3 });
  const dtype = failure(() => F.nllLoss(torch.randn(2, 3), torch.tensor([0.0, 1.5])));
  assert.deepEqual(dtype.reason, { kind: "dtype", expected: "Long", got: "Float" });
  const size = failure(() => F.binaryCrossEntropy(torch.rand(2, 3), torch.rand(3, 2)));
  assert.deepEqual(size.reason, { kind: "targetSize", input: [2, 3], target: [3, 2] });
});

test("reasons: autograd's own failures", () => {
  const noGrad = failure(() => torch.ones(3).sum().backward());
  assert.equal(noGrad.message, "element 0 of tensors does not require grad and does not have a grad_fn");
  assert.deepEqual(noGrad.reason, { kind: "noGrad", index: 0 });
  const w = torch.ones(3, { requiresGrad: true });
  assert.deepEqual(failure(() => w.mul(2).backward()).reason, {
    kind: "nonScalarBackward",
    shape: [3],
  });
  const loss = w.mul(w).sum();
  loss.backward();
  assert.deepEqual(failure(() => loss.backward()).reason, { kind: "retainGraph" });
  assert.deepEqual(failure(() => w.add_(1)).reason, { kind: "inPlaceLeaf", view: false });
  assert.deepEqual(failure(() => w.narrow(0, 0, 2).add_(1)).reason, { kind: "inPlaceLeaf", view: true });
  const y = w.mul(2).sigmoid();
  const z = y.mul(3).sum();
  y.mul_(2);
  const version = failure(() => z.backward());
  assert.deepEqual(version.reason, {
    kind: "versionMismatch",
    shape: [3],
    version: 1,
    expected: 0,
    producer: "SigmoidBackward0",
  });
});

test("reasons: joined tensors of other sizes, and a user's backward of the wrong shape", () => {
  const cat = failure(() => torch.cat([torch.randn(2, 3), torch.randn(2, 4)]));
  assert.deepEqual(cat.reason, { kind: "joinSizes", dim: 0, entry: 1, expected: [2, 3], got: [2, 4] });
  class Wrong extends torch.autograd.Function {
    static override forward(_ctx: torch.autograd.Context, a: torch.Tensor) {
      return a.mul(2);
    }
    static override backward(_ctx: torch.autograd.Context, g: torch.Tensor) {
      return torch.ones(g.shape[0] - 1, 5);
    }
  }
  const x = torch.ones(2, 3, { requiresGrad: true });
  const shape = failure(() => Wrong.apply(x).sum().backward());
  assert.deepEqual(shape.reason, {
    kind: "gradientShape",
    op: "WrongBackward",
    index: 0,
    got: [1, 5],
    expected: [2, 3],
  });
});

test("reasons: an error with no kind of its own says so", () => {
  const e = new torch.RuntimeError("something PyTorch says");
  assert.deepEqual(e.reason, { kind: "unclassified" });
  assert.equal(e.name, "RuntimeError");
  assert.ok(e instanceof Error);
});
