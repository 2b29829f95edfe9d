/**
 * Finite-difference gradchecks (test/unit/gradcheck.ts) of every op the tutorial layers and
 * losses added: the activations away from their kinks, batch norm in training and eval mode,
 * layer and group norm (input, weight and bias), embedding, adaptive and 1-D pooling,
 * nearest and bilinear upsampling, and each loss in input and target.
 */
import { test } from "node:test";
import * as torch from "../../../engine";
import { Tensor, nn } from "../../../engine";
import { gradcheck, GradcheckCase, spaced } from "../gradcheck";

const F = nn.functional;
torch.manualSeed(1717);
const r = (...shape: number[]): Tensor => torch.randn(shape);
/** Values in (0.1, 0.9): probabilities for the binary cross entropy. */
const p = (...shape: number[]): Tensor => torch.rand(shape).mul(0.8).add(0.1);
/** At least 0.1 away from 0, where the activations have kinks. */
const offZero = (...shape: number[]): Tensor => {
  const x = r(...shape);
  return x.add(x.gt(0).float().mul(0.2).sub(0.1));
};

const runningMean = torch.randn(3);
const runningVar = torch.rand(3).add(0.5);
const indices = torch.tensor([
  [1, 0, 3],
  [3, 3, 2],
]);
const targets = torch.tensor([1, 0, 4, 2]);
const classWeight = torch.rand(5).add(0.5);
const bceWeight = torch.rand(4).add(0.5);
const posWeight = torch.rand(4).add(0.5);

type Case = GradcheckCase;

const cases: Case[] = [
  ["leakyRelu", (x) => F.leakyRelu(x, 0.2), [offZero(3, 4)]],
  ["elu", (x) => F.elu(x, 0.7), [offZero(3, 4)]],
  ["gelu", (x) => F.gelu(x), [r(3, 4)]],
  ["gelu tanh", (x) => F.gelu(x, "tanh"), [r(3, 4)]],
  ["silu", (x) => F.silu(x), [r(3, 4)]],
  ["softplus", (x) => F.softplus(x, 2, 3), [offZero(3, 4)]],
  ["hardtanh", (x) => F.hardtanh(x, -0.5, 0.5), [r(3, 4).mul(0.4)]],
  [
    "batchNorm training",
    (x, w, b) => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }),
    [r(4, 3, 2, 2), r(3), r(3)],
  ],
  [
    "batchNorm eval (running statistics)",
    (x, w, b) => F.batchNorm(x, runningMean, runningVar, { weight: w, bias: b }),
    [r(2, 3, 2), r(3), r(3)],
  ],
  ["layerNorm", (x, w, b) => F.layerNorm(x, [3, 4], w, b), [r(2, 3, 4), r(3, 4), r(3, 4)]],
  ["layerNorm without affine", (x) => F.layerNorm(x, 5), [r(3, 5)]],
  ["groupNorm", (x, w, b) => F.groupNorm(x, 2, w, b), [r(2, 4, 3), r(4), r(4)]],
  // (the padding row's zero gradient is PyTorch's rule, not the derivative: see the fixtures)
  ["embedding", (w) => F.embedding(indices, w), [r(5, 4)]],
  [
    "adaptiveAvgPool2d [3, 2] (overlapping windows)",
    (x) => F.adaptiveAvgPool2d(x, [3, 2]),
    [r(1, 2, 5, 5)],
  ],
  ["adaptiveAvgPool2d 1 (a mean)", (x) => F.adaptiveAvgPool2d(x, 1), [r(2, 2, 3, 3)]],
  ["adaptiveMaxPool2d", (x) => F.adaptiveMaxPool2d(x, [2, 3]), [spaced(1, 2, 5, 7)]],
  ["avgPool1d", (x) => F.avgPool1d(x, 3, { stride: 2, padding: 1 }), [r(2, 2, 7)]],
  ["maxPool1d", (x) => F.maxPool1d(x, 2, { dilation: 2 }), [spaced(2, 2, 7)]],
  ["interpolate nearest ×1.5", (x) => F.interpolate(x, { scaleFactor: 1.5 }), [r(1, 2, 3, 4)]],
  [
    "interpolate bilinear",
    (x) => F.interpolate(x, { size: [5, 3], mode: "bilinear" }),
    [r(1, 2, 3, 4)],
  ],
  [
    "interpolate bilinear alignCorners",
    (x) => F.interpolate(x, { scaleFactor: 2, mode: "bilinear", alignCorners: true }),
    [r(2, 1, 3, 3)],
  ],
  [
    "binaryCrossEntropy",
    (x, t) => F.binaryCrossEntropy(x, t, { weight: bceWeight }),
    [p(3, 4), p(3, 4)],
    { eps: 1e-3 },
  ],
  [
    "binaryCrossEntropyWithLogits posWeight",
    (x, t) => F.binaryCrossEntropyWithLogits(x, t, { posWeight, reduction: "sum" }),
    [r(3, 4), p(3, 4)],
  ],
  ["l1Loss", (x, t) => F.l1Loss(x, t), [r(3, 4), r(3, 4)]],
  [
    "smoothL1Loss beta 0.5",
    (x, t) => F.smoothL1Loss(x, t, { beta: 0.5, reduction: "none" }),
    [r(3, 4), r(3, 4)],
  ],
  ["huberLoss delta 0.7", (x, t) => F.huberLoss(x, t, { delta: 0.7 }), [r(3, 4), r(3, 4)]],
  [
    "klDiv batchmean",
    (x, t) => F.klDiv(x, t, { reduction: "batchmean" }),
    [r(3, 5).logSoftmax(1), p(3, 5)],
  ],
  [
    "klDiv logTarget",
    (x, t) => F.klDiv(x, t, { reduction: "sum", logTarget: true }),
    [r(3, 5), r(3, 5)],
  ],
  [
    "crossEntropy labelSmoothing, weight, ignoreIndex",
    (x) => F.crossEntropy(x, targets, { labelSmoothing: 0.2, weight: classWeight, ignoreIndex: 2 }),
    [r(4, 5)],
  ],
  [
    "crossEntropy labelSmoothing mean",
    (x) => F.crossEntropy(x, targets, { labelSmoothing: 0.3 }),
    [r(4, 5)],
  ],
];

for (const [name, f, inputs, options] of cases) {
  test(`gradcheck: ${name}`, () => gradcheck(f, inputs, options));
}
