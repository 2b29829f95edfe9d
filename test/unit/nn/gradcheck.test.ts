/**
 * A finite-difference gradcheck (test/unit/gradcheck.ts) for every op of nn.functional and
 * the padding modes: each input (x, weight, bias, target where differentiable) of conv1d,
 * conv2d and the transposed convolutions with strides, paddings, dilations, groups and output
 * padding; constant/reflect/replicate/circular padding; max and average pooling; linear of
 * each rank; and the losses. Max-pool inputs are spaced wider than 2ε, so no finite difference
 * crosses a tie.
 */
import { test } from "node:test";
import * as torch from "../../../engine";
import { Tensor, nn } from "../../../engine";
import { gradcheck, GradcheckCase, spaced } from "../gradcheck";

const F = nn.functional;
torch.manualSeed(4321);
const r = (...shape: number[]): Tensor => torch.randn(shape);

// built once: f must be the same function at every finite-difference evaluation
const circularConv = new nn.Conv2d(2, 3, 3, { padding: 1, paddingMode: "circular" });
const classWeight = torch.rand(5).add(0.5);

type Case = GradcheckCase;

const cases: Case[] = [
  ["conv1d", (x, w, b) => F.conv1d(x, w, b), [r(2, 3, 7), r(4, 3, 3), r(4)]],
  [
    "conv1d stride 2, padding 2, dilation 2",
    (x, w, b) => F.conv1d(x, w, b, { stride: 2, padding: 2, dilation: 2 }),
    [r(1, 2, 9), r(3, 2, 3), r(3)],
  ],
  [
    "conv1d groups 2, unbatched",
    (x, w, b) => F.conv1d(x, w, b, { groups: 2 }),
    [r(4, 6), r(4, 2, 2), r(4)],
  ],
  [
    "conv1d padding same, even kernel",
    (x, w) => F.conv1d(x, w, null, { padding: "same" }),
    [r(1, 2, 6), r(2, 2, 4)],
  ],
  ["conv2d", (x, w, b) => F.conv2d(x, w, b), [r(2, 2, 5, 4), r(3, 2, 3, 2), r(3)]],
  [
    "conv2d stride [2, 1], padding [1, 2], dilation [1, 2]",
    (x, w, b) => F.conv2d(x, w, b, { stride: [2, 1], padding: [1, 2], dilation: [1, 2] }),
    [r(1, 2, 5, 5), r(2, 2, 2, 3), r(2)],
  ],
  [
    "conv2d groups 3",
    (x, w) => F.conv2d(x, w, null, { groups: 3, padding: 1 }),
    [r(1, 3, 4, 4), r(6, 1, 3, 3)],
  ],
  [
    "conv2d 1×1 kernel (im2col is the identity)",
    (x, w, b) => F.conv2d(x, w, b),
    [r(2, 3, 3, 3), r(2, 3, 1, 1), r(2)],
  ],
  [
    "convTranspose1d stride 2, output padding 1",
    (x, w, b) => F.convTranspose1d(x, w, b, { stride: 2, outputPadding: 1 }),
    [r(2, 3, 4), r(3, 2, 3), r(2)],
  ],
  [
    "convTranspose1d groups 2, dilation 2, padding 1",
    (x, w) => F.convTranspose1d(x, w, null, { groups: 2, dilation: 2, padding: 1 }),
    [r(1, 4, 5), r(4, 1, 3)],
  ],
  [
    "convTranspose2d",
    (x, w, b) => F.convTranspose2d(x, w, b),
    [r(1, 2, 3, 3), r(2, 3, 2, 2), r(3)],
  ],
  [
    "convTranspose2d stride [2, 3], padding 1, output padding [1, 2]",
    (x, w, b) => F.convTranspose2d(x, w, b, { stride: [2, 3], padding: 1, outputPadding: [1, 2] }),
    [r(1, 2, 3, 2), r(2, 2, 3, 3), r(2)],
  ],
  [
    "convTranspose2d groups 2, unbatched",
    (x, w) => F.convTranspose2d(x, w, null, { groups: 2 }),
    [r(2, 3, 3), r(2, 2, 2, 2)],
  ],
  ["pad constant (with a crop)", (x) => F.pad(x, [1, -1, 2, 0], "constant", 0.5), [r(2, 3, 4)]],
  ["pad reflect 1-D", (x) => F.pad(x, [2, 1], "reflect"), [r(2, 3, 4)]],
  ["pad reflect 2-D", (x) => F.pad(x, [1, 2, 2, 1], "reflect"), [r(1, 2, 4, 4)]],
  ["pad replicate 2-D", (x) => F.pad(x, [2, 0, 1, 3], "replicate"), [r(1, 2, 3, 3)]],
  ["pad circular 2-D", (x) => F.pad(x, [1, 2, 2, 1], "circular"), [r(1, 2, 3, 4)]],
  ["Conv2d paddingMode circular", (x) => circularConv.forward(x), [r(1, 2, 4, 4)]],
  ["maxPool2d", (x) => F.maxPool2d(x, 2), [spaced(1, 2, 4, 4)]],
  [
    "maxPool2d stride 1, padding 1, dilation 2, ceil mode",
    (x) => F.maxPool2d(x, [3, 2], { stride: 1, padding: 1, dilation: 2, ceilMode: true }),
    [spaced(2, 5, 5)],
  ],
  ["avgPool2d", (x) => F.avgPool2d(x, 2), [r(1, 2, 4, 4)]],
  [
    "avgPool2d padding, countIncludePad false, ceil mode",
    (x) => F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false, ceilMode: true }),
    [r(1, 2, 6, 5)],
  ],
  [
    "avgPool2d divisorOverride",
    (x) => F.avgPool2d(x, [2, 3], { stride: 1, divisorOverride: 4 }),
    [r(2, 4, 4)],
  ],
  ["linear 2-D (addmm)", (x, w, b) => F.linear(x, w, b), [r(4, 3), r(2, 3), r(2)]],
  ["linear 1-D", (x, w, b) => F.linear(x, w, b), [r(3), r(2, 3), r(2)]],
  ["linear 3-D", (x, w, b) => F.linear(x, w, b), [r(2, 4, 3), r(2, 3), r(2)]],
  ["mseLoss mean (input and target)", (x, t) => F.mseLoss(x, t), [r(3, 4), r(3, 4)]],
  ["mseLoss none", (x, t) => F.mseLoss(x, t, "none"), [r(3, 4), r(3, 4)]],
  [
    "crossEntropy with weight and ignoreIndex",
    (x) => F.crossEntropy(x, torch.tensor([1, 0, 4, 2]), { weight: classWeight, ignoreIndex: 2 }),
    [r(4, 5)],
  ],
  [
    "crossEntropy 4-D, sum",
    (x) =>
      F.crossEntropy(
        x,
        torch.tensor([
          [
            [0, 2],
            [1, 1],
          ],
        ]),
        { reduction: "sum" },
      ),
    [r(1, 3, 2, 2)],
  ],
  [
    "crossEntropy 3-D, none",
    (x) => F.crossEntropy(x, torch.tensor([[0, 2, 1]]), { reduction: "none" }),
    [r(1, 3, 3)],
  ],
  [
    "crossEntropy probabilities (input and target)",
    (x, t) => F.crossEntropy(x, t),
    [r(3, 4), torch.rand(3, 4)],
  ],
  ["nllLoss unbatched", (x) => F.nllLoss(x, torch.tensor(2)), [r(5)]],
];

for (const [name, f, inputs, options] of cases) {
  test(`gradcheck: ${name}`, () => gradcheck(f, inputs, options));
}
