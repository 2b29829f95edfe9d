/**
 * Finite-difference gradchecks of the recurrent steps with respect to everything they read
 * (input, state, both weights, both biases), and of whole layers (RNN, LSTM, GRU: stacked,
 * bidirectional, batch first, unbatched) with respect to their input and initial state, and
 * of multi-head attention with respect to query, key and value (with masks).
 */
import { test } from "node:test";
import * as torch from "../../../engine";
import { Tensor, nn } from "../../../engine";
import { gradcheck } from "../gradcheck";
import { gruStep, lstmStep, simpleStep } from "../../../engine/nn/rnnCells";

torch.manualSeed(2468);
const r = (...shape: number[]): Tensor => torch.randn(shape);
const weights = (wIh: Tensor, wHh: Tensor, bIh: Tensor, bHh: Tensor) => ({ wIh, wHh, bIh, bHh });

// built once: f must be the same function at every finite-difference evaluation
const rnn = new nn.RNN(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true });
const lstm = new nn.LSTM(3, 4, { numLayers: 2 });
const lstmBi = new nn.LSTM(2, 3, { bidirectional: true, batchFirst: true });
const gru = new nn.GRU(3, 2, { bidirectional: true, batchFirst: true, numLayers: 2 });
const gruUnbatched = new nn.GRU(2, 3);
const lstmCell = new nn.LSTMCell(3, 2);
const mha = new nn.MultiheadAttention(4, 2, { batchFirst: true });
const mhaCross = new nn.MultiheadAttention(4, 2);
const padding = torch.tensor([
  [false, false, true],
  [false, false, false],
]);
const causal = torch.tensor([
  [false, true, true],
  [false, false, true],
  [false, false, false],
]);

type Case = [name: string, f: (...xs: Tensor[]) => Tensor | Tensor[], inputs: Tensor[]];

const cases: Case[] = [
  [
    "tanh step: x, h, W_ih, W_hh, b_ih, b_hh",
    (x, h, a, b, c, d) => simpleStep("tanh", { x, projected: false }, h, weights(a, b, c, d)),
    [r(2, 3), r(2, 4), r(4, 3), r(4, 4), r(4), r(4)],
  ],
  [
    "relu step (inputs away from the kink)",
    (x, h, a, b, c, d) => simpleStep("relu", { x, projected: false }, h, weights(a, b, c, d)),
    [
      r(2, 3).mul(0.1),
      r(2, 2).mul(0.1),
      r(2, 3).mul(0.1),
      r(2, 2).mul(0.1),
      torch.tensor([1.0, -1.0], { dtype: "float32" }),
      torch.tensor([0.5, -0.5], { dtype: "float32" }),
    ],
  ],
  [
    "LSTM step: x, h, c, weights",
    (x, h, c, a, b, d, e) => lstmStep({ x, projected: false }, [h, c], weights(a, b, d, e)),
    [r(2, 3), r(2, 2), r(2, 2), r(8, 3), r(8, 2), r(8), r(8)],
  ],
  [
    "GRU step: x, h, weights",
    (x, h, a, b, c, d) => gruStep({ x, projected: false }, h, weights(a, b, c, d)),
    [r(2, 3), r(2, 2), r(6, 3), r(6, 2), r(6), r(6)],
  ],
  [
    "RNN: 2 layers, bidirectional, batch first",
    (x, h) => rnn.forward(x, h),
    [r(2, 3, 3), r(4, 2, 4)],
  ],
  ["LSTM: 2 layers", (x, h, c) => { const [o, [hn, cn]] = lstm.forward(x, [h, c]); return [o, hn, cn]; }, [r(3, 2, 3), r(2, 2, 4), r(2, 2, 4)]], // prettier-ignore
  ["LSTM: bidirectional, batch first", (x) => { const [o, [hn, cn]] = lstmBi.forward(x); return [o, hn, cn]; }, [r(2, 3, 2)]], // prettier-ignore
  [
    "GRU: 2 layers, bidirectional, batch first",
    (x, h) => gru.forward(x, h),
    [r(2, 3, 3), r(4, 2, 2)],
  ],
  ["GRU: unbatched", (x, h) => gruUnbatched.forward(x, h), [r(4, 2), r(1, 3)]],
  ["LSTMCell: unbatched", (x, h, c) => lstmCell.forward(x, [h, c]), [r(3), r(2), r(2)]],
  ["MultiheadAttention: self, key padding", (x) => [...mha.forward(x, x, x, { keyPaddingMask: padding })].filter((t) => t !== null), [r(2, 3, 4)]], // prettier-ignore
  ["MultiheadAttention: query, key, value, causal mask", (q, k, v) => mhaCross.forward(q, k, v, { attnMask: causal, averageAttnWeights: false }) as Tensor[], [r(3, 2, 4), r(3, 2, 4), r(3, 2, 4)]], // prettier-ignore
  [
    "baddbmm: a float mask that requires grad",
    (m, q, k) => torch.baddbmm(m, q, k).softmax(-1),
    [r(3, 3), r(2, 3, 4), r(2, 4, 3)],
  ],
];

for (const [name, f, inputs] of cases) {
  test(`gradcheck: ${name}`, () => gradcheck((...xs) => [f(...xs)].flat(), inputs));
}
