/**
 * Error messages against PyTorch (nn_errors.json): each mistake is made here under the id the
 * generator used, and must throw PyTorch's exception type with PyTorch's first line, word for word.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn, optim } from "../../../engine";
import { loadFixture } from "./nnFixtures";

const F = nn.functional;
const r = (...shape: number[]): torch.Tensor => torch.randn(shape);
const long = (v: number[] | number[][]): torch.Tensor => torch.tensor(v);
const fill = (shape: number[], v: number): torch.Tensor => torch.full(shape, v);
const leaf = (): torch.Tensor => torch.zeros(1, { requiresGrad: true });

const MISTAKES: Record<string, () => unknown> = {
  "conv1d channels": () => new nn.Conv1d(2, 16, 3).forward(r(1, 3, 64)),
  "conv1d channels unbatched": () => new nn.Conv1d(2, 16, 3).forward(r(3, 64)),
  "conv1d groups channels": () => new nn.Conv1d(4, 16, 3, { groups: 2 }).forward(r(1, 6, 64)),
  "conv2d channels": () => new nn.Conv2d(2, 16, 3).forward(r(1, 3, 8, 8)),
  "conv1d kernel too big": () => new nn.Conv1d(2, 16, 3).forward(r(1, 2, 2)),
  "conv2d kernel too big": () => new nn.Conv2d(2, 16, 5, { padding: 1 }).forward(r(1, 2, 2, 8)),
  "conv1d dilated kernel too big": () =>
    new nn.Conv1d(2, 16, 3, { dilation: 3 }).forward(r(1, 2, 5)),
  "conv1d rank 4": () => new nn.Conv1d(2, 16, 3).forward(r(1, 1, 2, 64)),
  "conv1d rank 1": () => new nn.Conv1d(2, 16, 3).forward(r(64)),
  "conv2d rank 2": () => new nn.Conv2d(2, 16, 3).forward(r(2, 64)),
  "convTranspose1d rank 4": () => new nn.ConvTranspose1d(2, 16, 3).forward(r(1, 1, 2, 64)),
  "convTranspose2d rank 2": () => new nn.ConvTranspose2d(2, 16, 3).forward(r(2, 64)),
  "conv1d weight 2-D": () => F.conv1d(r(1, 2, 64), r(16, 2)),
  "conv1d weight 4-D": () => F.conv1d(r(1, 4, 5), r(4, 4, 3, 3)),
  "conv2d weight 3-D": () => F.conv2d(r(1, 2, 6, 64), r(16, 2, 3)),
  "conv2d bias size": () => F.conv2d(r(1, 4, 5, 5), r(4, 4, 3, 3), r(3)),
  "conv2d weight not divisible by groups": () =>
    F.conv2d(r(1, 4, 5, 5), r(3, 2, 3, 3), null, { groups: 2 }),
  "conv2d negative padding": () => F.conv2d(r(1, 4, 5, 5), r(4, 4, 3, 3), null, { padding: -1 }),
  "conv2d zero stride": () => F.conv2d(r(1, 4, 5, 5), r(4, 4, 3, 3), null, { stride: 0 }),
  "conv2d zero dilation": () => F.conv2d(r(1, 4, 5, 5), r(4, 4, 3, 3), null, { dilation: 0 }),
  "conv1d zero dilation": () => F.conv1d(r(1, 4, 5), r(4, 4, 3), null, { dilation: 0 }),
  "conv1d zero kernel": () => F.conv1d(r(1, 2, 3), r(2, 2, 0)),
  "conv2d same strided": () =>
    F.conv2d(r(1, 4, 5, 5), r(4, 4, 3, 3), null, { padding: "same", stride: 2 }),
  "conv2d bad padding string": () =>
    F.conv2d(r(1, 4, 5, 5), r(4, 4, 3, 3), null, { padding: "foo" as "same" }),
  "convTranspose2d output padding": () =>
    F.convTranspose2d(r(1, 2, 3, 3), r(2, 3, 2, 2), null, { stride: 2, outputPadding: 2 }),
  "convTranspose1d output padding": () =>
    F.convTranspose1d(r(1, 2, 3), r(2, 3, 2), null, { stride: 2, outputPadding: 2 }),
  "convTranspose2d channels": () => F.convTranspose2d(r(1, 3, 3, 3), r(2, 3, 2, 2)),
  "convTranspose1d bias size": () => F.convTranspose1d(r(1, 2, 3), r(2, 3, 2), r(2)),
  "convTranspose2d output too small": () =>
    F.convTranspose2d(r(1, 2, 1, 1), r(2, 3, 2, 2), null, { padding: 2 }),
  "convTranspose1d output too small": () =>
    F.convTranspose1d(r(1, 2, 1), r(2, 3, 2), null, { padding: 2 }),
  "Conv2d groups 0": () => new nn.Conv2d(4, 4, 3, { groups: 0 }),
  "Conv2d in_channels groups": () => new nn.Conv2d(3, 4, 3, { groups: 2 }),
  "Conv2d out_channels groups": () => new nn.Conv2d(4, 3, 3, { groups: 2 }),
  "Conv2d same strided": () => new nn.Conv2d(4, 4, 3, { padding: "same", stride: 2 }),
  "Conv1d circular unbatched": () =>
    new nn.Conv1d(2, 4, 3, { padding: 1, paddingMode: "circular" }).forward(r(2, 8)),
  "Conv1d circular wraps twice": () =>
    new nn.Conv1d(2, 2, 3, { padding: 4, paddingMode: "circular" }).forward(r(1, 2, 3)),
  "Conv1d reflect padding too big": () =>
    new nn.Conv1d(2, 2, 3, { padding: 3, paddingMode: "reflect" }).forward(r(1, 2, 3)),
  "Conv2d reflect padding too big": () =>
    new nn.Conv2d(2, 2, 3, { padding: 3, paddingMode: "reflect" }).forward(r(1, 2, 3, 3)),
  "ConvTranspose2d output_size": () =>
    new nn.ConvTranspose2d(2, 3, 3, { stride: 2 }).forward(r(1, 2, 4, 4), [12, 9]),
  "linear feature size": () => new nn.Linear(600, 60).forward(r(1, 1000)),
  "linear feature size 1-D": () => new nn.Linear(600, 60).forward(r(1000)),
  "linear feature size 3-D": () => new nn.Linear(600, 60).forward(r(2, 3, 1000)),
  "linear feature size 4-D": () => new nn.Linear(600, 60).forward(r(2, 2, 3, 1000)),
  "cross_entropy target out of range": () => F.crossEntropy(r(3, 5), long([1, 0, 5])),
  "cross_entropy negative target": () => F.crossEntropy(r(3, 5), long([1, 0, -3])),
  "cross_entropy batch size": () => F.crossEntropy(r(3, 5), long([1, 0])),
  "cross_entropy float target": () =>
    F.crossEntropy(r(3, 5), torch.tensor([1, 0, 2], { dtype: "float32" })),
  "cross_entropy 4-D target out of range": () => F.crossEntropy(r(2, 5, 3, 3), fill([2, 3, 3], 6)),
  "cross_entropy 4-D target shape": () => F.crossEntropy(r(2, 5, 3, 3), fill([2, 3, 4], 1)),
  "cross_entropy 3-D target shape": () => F.crossEntropy(r(2, 5, 3), fill([2, 4], 1)),
  "cross_entropy weight size": () =>
    F.crossEntropy(r(3, 5), long([1, 0, 2]), { weight: torch.ones(4) }),
  "nll_loss 2-D target": () => F.nllLoss(r(3, 5), torch.zeros(3, 2, { dtype: "int64" })),
  "nll_loss 0-D input": () => F.nllLoss(torch.tensor(1.5), long([0]).squeeze()),
  "nll_loss 1-D target size": () => F.nllLoss(r(5), torch.zeros(2, { dtype: "int64" })),
  "mse_loss shapes": () => F.mseLoss(r(3, 5), r(3, 4)),
  "mse_loss reduction": () => F.mseLoss(r(3, 5), r(3, 5), "foo" as "mean"),
  "max_pool2d padding": () => F.maxPool2d(r(1, 1, 8, 8), 3, { padding: 2 }),
  "avg_pool2d padding": () => F.avgPool2d(r(1, 1, 8, 8), 3, { padding: 2 }),
  "max_pool2d output too small": () => F.maxPool2d(r(1, 1, 2, 2), 3),
  "avg_pool2d output too small": () => F.avgPool2d(r(1, 1, 2, 2), 3),
  "max_pool2d rank 2": () => F.maxPool2d(r(2, 2), 2),
  "max_pool2d rank 5": () => F.maxPool2d(r(1, 1, 1, 8, 8), 2),
  "avg_pool2d rank 2": () => F.avgPool2d(r(2, 2), 2),
  "avg_pool2d rank 5": () => F.avgPool2d(r(1, 1, 1, 8, 8), 2),
  "max_pool2d zero stride": () => F.maxPool2d(r(1, 1, 4, 4), 2, { stride: 0 }),
  "max_pool2d zero dilation": () => F.maxPool2d(r(1, 1, 8, 8), 3, { dilation: 0 }),
  "SGD negative lr": () => new optim.SGD([leaf()], { lr: -1 }),
  "SGD no lr": () => new optim.SGD([leaf()], {} as optim.SGDOptions),
  "SGD negative momentum": () => new optim.SGD([leaf()], { lr: 1, momentum: -1 }),
  "SGD negative weight decay": () => new optim.SGD([leaf()], { lr: 1, weightDecay: -1 }),
  "SGD nesterov without momentum": () => new optim.SGD([leaf()], { lr: 1, nesterov: true }),
  "SGD empty": () => new optim.SGD([], { lr: 1 }),
  "SGD non-leaf": () => new optim.SGD([leaf().mul(2)], { lr: 1 }),
  "SGD parameter in two groups": () => {
    const p = leaf();
    return new optim.SGD([{ params: [p] }, { params: [p] }], { lr: 1 });
  },
  "Adam negative lr": () => new optim.Adam([leaf()], { lr: -1 }),
  "Adam negative eps": () => new optim.Adam([leaf()], { eps: -1 }),
  "Adam beta 0": () => new optim.Adam([leaf()], { betas: [1.0, 0.9] }),
  "Adam beta 1": () => new optim.Adam([leaf()], { betas: [0.9, 1.0] }),
  "Adam negative weight decay": () => new optim.Adam([leaf()], { weightDecay: -1 }),
  "Sequential index": () => new nn.Sequential(new nn.ReLU()).at(3),
};

const { cases } = loadFixture<{ cases: { id: string; type: string; message: string }[] }>(
  "nn_errors.json",
);

for (const c of cases) {
  test(`error as PyTorch: ${c.id}: ${c.message}`, () => {
    const mistake = MISTAKES[c.id];
    assert.ok(mistake, `no mistake written for ${c.id}`);
    const warn = console.warn;
    console.warn = () => {}; // mse_loss warns about the broadcast before it fails
    try {
      assert.throws(mistake, (e: Error) => {
        assert.equal(e.message, c.message);
        assert.equal(e.name, c.type);
        return true;
      });
    } finally {
      console.warn = warn;
    }
  });
}

test("error as PyTorch: every mistake written here is in the fixture", () => {
  assert.deepEqual(Object.keys(MISTAKES).sort(), cases.map((c) => c.id).sort());
});
