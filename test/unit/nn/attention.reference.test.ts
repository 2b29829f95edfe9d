/**
 * nn.MultiheadAttention against PyTorch 1.13 (the "attention" cases of nn_sequence.json):
 * initial parameters after the seed (bit for bit), outputs and averaged or per-head weights,
 * the backward graph, and the gradients of query, key, value and every parameter; with
 * self-attention, encoder-decoder attention (key is value), separate key and value, batch
 * first, unbatched, bool and float masks, key padding, no bias, and attention dropout.
 */
import { test } from "node:test";
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

interface AttentionCase extends MultiOutputCase {
  name: string;
  kwargs: Record<string, unknown>;
  seed: number;
  train: boolean;
  params: [string, TensorJson][];
  query: TensorJson;
  key: TensorJson | null;
  value: TensorJson | null;
  value_is_key: boolean;
  options: Record<string, TensorJson | boolean>;
}

const fixture = loadFixture<{ depths: [number]; attention: AttentionCase[] }>("nn_sequence.json");
const [depth] = fixture.depths;

for (const c of fixture.attention) {
  test(`PyTorch reference: ${c.name}`, () => {
    torch.manualSeed(c.seed);
    const m = new nn.MultiheadAttention(8, 2, camelKeys(c.kwargs));
    m.train(c.train);
    checkInitialParameters(m, c.params);

    const query = leaf(c.query)!;
    const key = c.key ? leaf(c.key)! : query;
    const value = c.value ? leaf(c.value)! : c.value_is_key ? key : query;
    const options = camelKeys(
      Object.fromEntries(
        Object.entries(c.options).map(([k, v]) => [k, typeof v === "boolean" ? v : tensorFrom(v)]),
      ),
    );
    const [out, weights] = m.forward(query, key, value, options);
    const outputs = weights ? [out, weights] : [out];
    const params = Object.fromEntries(m.namedParameters());
    checkOutputsAndGradients(outputs, c, depth, { query, key, value, ...params });
  });
}
