/**
 * nn.TransformerEncoderLayer and nn.TransformerEncoder against PyTorch 1.13
 * (nn_transformer.json, written by make_transformer_reference.py): parameter names and initial
 * values after the seed (bit for bit), the output, its backward graph, and the gradients of
 * the input and every parameter; post- and pre-norm, relu and gelu, masks, PyTorch's defaults,
 * dropout masks in training, and encoders of copied layers with and without a final norm.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn } from "../../../engine";
import {
  MultiOutputCase,
  TensorJson,
  camelKeys,
  checkInitialParameters,
  checkOutputsAndGradients,
  leaf,
  loadFixture,
  tensorFrom,
} from "./nnFixtures";

interface TransformerCase extends MultiOutputCase {
  name: string;
  kwargs: Record<string, unknown>;
  seed: number;
  train: boolean;
  encoder: [number, boolean] | null;
  params: [string, TensorJson][];
  input: TensorJson;
  options: Record<string, TensorJson>;
}

const fixture = loadFixture<{ depths: [number]; cases: TransformerCase[] }>("nn_transformer.json");
const [depth] = fixture.depths;

for (const c of fixture.cases) {
  test(`PyTorch reference: ${c.name}`, () => {
    torch.manualSeed(c.seed);
    const x = leaf(c.input)!;
    const dModel = x.shape[x.dim() - 1];
    const layer = new nn.TransformerEncoderLayer(dModel, 2, camelKeys(c.kwargs));
    const m = c.encoder
      ? new nn.TransformerEncoder(
          layer,
          c.encoder[0],
          c.encoder[1] ? new nn.LayerNorm(dModel) : null,
        )
      : layer;
    m.train(c.train);
    checkInitialParameters(m, c.params);
    const masks = camelKeys(
      Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, tensorFrom(v)])),
    );
    const out = m.forward(x, masks);
    checkOutputsAndGradients([out], c, depth, {
      input: x,
      ...Object.fromEntries(m.namedParameters()),
    });
  });
}

test("TransformerEncoder: its layers are copies, each with its own parameters", () => {
  torch.manualSeed(0);
  const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
  const encoder = new nn.TransformerEncoder(layer, 2);
  const [a, b] = [...encoder.layers] as nn.TransformerEncoderLayer[];
  assert.notEqual(a.linear1.weight, b.linear1.weight);
  assert.notEqual(a.linear1.weight, layer.linear1.weight);
  assert.deepEqual(a.linear1.weight.tolist(), layer.linear1.weight.tolist());
  torch.noGrad(() => a.linear1.weight.add_(1));
  assert.notDeepEqual(a.linear1.weight.tolist(), b.linear1.weight.tolist());
  assert.equal(encoder.parameters().length, 2 * layer.parameters().length);
});

test("TransformerEncoderLayer: PyTorch's positional arguments and its errors", () => {
  torch.manualSeed(0);
  const byPosition = new nn.TransformerEncoderLayer(8, 2, 16, 0.0, new nn.GELU(), 1e-3, true);
  assert.equal(byPosition.linear1.outFeatures, 16);
  assert.equal(byPosition.norm1.eps, 1e-3);
  assert.ok(byPosition.self_attn.batchFirst);
  assert.deepEqual(
    byPosition
      .namedModules()
      .map(([n]) => n)
      .filter((n) => n === "activation"),
    ["activation"],
  );
  assert.throws(
    () => new nn.TransformerEncoderLayer(8, 2, { activation: "tanh" as "relu" }),
    /activation should be relu\/gelu, not tanh/,
  );
  assert.throws(
    () => byPosition.forward(torch.zeros(2, 3, 8), null, torch.zeros([2, 3], { dtype: "int64" })),
    /only bool and floating types of key_padding_mask are supported/,
  );
});
