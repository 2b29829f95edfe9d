/**
 * Plain explanations for the tutorial layers' common mistakes, from real runs in the sandbox:
 * a BatchNorm or LayerNorm built for another feature count than its input has, and an
 * Embedding index past the table. Each keeps PyTorch's message and lands on the failing line.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { at, runSource } from "./fixtures";

const HEADER = `import * as torch from "gradlens";
import { nn } from "gradlens";
`;

test("explain: a BatchNorm2d built for other channels than the conv before it makes", async () => {
  const r = await runSource(`${HEADER}
class Block extends nn.Module {
  conv = new nn.Conv2d(3, 16, 3);
  bn = new nn.BatchNorm2d(32);
  forward(x: torch.Tensor) { return this.bn.forward(this.conv.forward(x)); }
}
const y = new Block().forward(torch.randn(2, 3, 8, 8));
`);
  assert.equal(r.error!.message, "running_mean should contain 16 elements not 32");
  assert.equal(at(r.error!.location), "7:45");
  assert.equal(
    r.error!.explanation,
    "BatchNorm2d(32) in `bn` expects 32 channels; this.conv.forward(x) has shape [2, 16, 6, 6], with 16 channels in dim 1 (BatchNorm2d(16) would fit)",
  );
});

test("explain: a LayerNorm whose normalized shape is not the input's last dims", async () => {
  const r = await runSource(`${HEADER}
const norm = new nn.LayerNorm(64);
const h = torch.randn(4, 10, 32);
const y = norm.forward(h);
`);
  assert.equal(
    r.error!.message,
    "Given normalized_shape=[64], expected input with shape [*, 64], but got input of size[4, 10, 32]",
  );
  assert.equal(
    r.error!.explanation,
    "LayerNorm([64]) in `norm` normalizes over the last dims, which must be [64]; h has shape [4, 10, 32], whose last dims are [32] (LayerNorm(32) would fit)",
  );
});

test("explain: an Embedding index past the table names the largest index and the table size", async () => {
  const r = await runSource(`${HEADER}
const emb = new nn.Embedding(10, 4);
const tokens = torch.tensor([[1, 9, 12], [3, 10, 0]]);
const e = emb.forward(tokens);
`);
  assert.equal(r.error!.message, "IndexError: index out of range in self");
  assert.equal(at(r.error!.location), "6:15");
  assert.equal(
    r.error!.explanation,
    "Embedding(10, 4) in `emb` has rows 0 … 9, but tokens holds 12 (largest) and 10: every index must be below num_embeddings = 10",
  );
});
