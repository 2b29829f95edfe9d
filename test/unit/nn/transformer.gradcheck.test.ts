/**
 * Finite-difference gradchecks of the transformer encoder layers with respect to their input
 * (post-norm with relu, pre-norm with gelu and a padding mask, a two-layer encoder with a
 * causal mask) and to weights put in as leaves (the packed attention projection, linear1).
 */
import { test } from "node:test";
import * as torch from "../../../engine";
import { Tensor, nn } from "../../../engine";
import { gradcheck } from "../gradcheck";

torch.manualSeed(1357);
const r = (...shape: number[]): Tensor => torch.randn(shape);

// built once, in eval mode (no dropout): f must be the same function at every evaluation
const postNorm = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6 }).eval();
const preNorm = new nn.TransformerEncoderLayer(4, 2, {
  dimFeedforward: 5,
  activation: "gelu",
  batchFirst: true,
  normFirst: true,
}).eval();
const encoder = new nn.TransformerEncoder(postNorm, 2, { norm: new nn.LayerNorm(4) }).eval();
const padding = torch.tensor([
  [false, false, true],
  [false, false, false],
]);
const causal = torch.triu(torch.ones(3, 3), 1).mul(-1e9);

/** Runs `layer` with `weight` (a leaf) in place of one of its parameters. */
function withWeight(set: (w: Tensor) => void, weight: Tensor, run: () => Tensor): Tensor {
  set(weight);
  return run();
}

const cases: [string, (...xs: Tensor[]) => Tensor, Tensor[]][] = [
  ["post-norm relu layer: input", (x) => postNorm.forward(x), [r(3, 2, 4)]],
  [
    "pre-norm gelu layer, key padding: input",
    (x) => preNorm.forward(x, null, padding),
    [r(2, 3, 4)],
  ],
  [
    "two-layer encoder with a final norm, causal mask: input",
    (x) => encoder.forward(x, causal),
    [r(3, 2, 4)],
  ],
  [
    "pre-norm gelu layer: the packed attention projection and linear1's weight",
    (x, wIn, w1) =>
      withWeight(
        (w) => ((preNorm.linear1 as { weight: Tensor }).weight = w),
        w1,
        () =>
          withWeight(
            (w) => ((preNorm.self_attn as { in_proj_weight: Tensor }).in_proj_weight = w),
            wIn,
            () => preNorm.forward(x),
          ),
      ),
    [r(2, 3, 4), r(12, 4).mul(0.5), r(5, 4).mul(0.5)],
  ],
];

for (const [name, f, inputs] of cases) {
  test(`gradcheck: TransformerEncoderLayer ${name}`, () => gradcheck(f, inputs, { eps: 1e-3 }));
}
