/**
 * The explanations the other explain tests do not reach, from real runs: a kernel larger than
 * its input, an output too small (conv and pool), a loss's batch mismatch, a matrix product
 * outside any Linear, and an embedding index called through the functional API. Each is built
 * from the failure's data, so PyTorch's message is only shown, never read.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { runSource } from "./fixtures";

const HEADER = `import * as torch from "gradlens";
import { nn } from "gradlens";
const F = nn.functional;
`;

async function explanation(body: string): Promise<string | undefined> {
  const r = await runSource(HEADER + body);
  assert.equal(r.ok, false);
  return r.error!.explanation;
}

test("explain: a kernel larger than the padded input names the layer, both sizes and the input", async () => {
  assert.equal(
    await explanation(`const conv = new nn.Conv2d(1, 4, 5);
const small = torch.randn(1, 1, 3, 8);
const y = conv.forward(small);
`),
    "Conv2d(1→4, k=5) in `conv` has a 5×5 kernel, larger than small (shape [1, 1, 3, 8]): 3×8 per channel after padding",
  );
});

test("explain: a pool whose output would be empty gives the sizes per channel", async () => {
  assert.equal(
    await explanation(`const pool = new nn.MaxPool2d(2);
const tiny = torch.randn(1, 3, 1, 1);
const y = pool.forward(tiny);
`),
    "MaxPool2d(k=2) in `pool` would make an output of size 0×0 from tiny of size 1×1: the input is too small for the kernel, stride and padding",
  );
});

test("explain: a transposed conv whose output would be empty", async () => {
  assert.equal(
    await explanation(`const up = new nn.ConvTranspose2d(2, 2, 1, { padding: 1 });
const y = up.forward(torch.randn(1, 2, 1, 1));
`),
    "ConvTranspose2d(2→2, k=1, p=1) in `up` would make an output of size -1×-1 from torch.randn(1, 2, 1, 1) of size 1×1: the input is too small for the kernel, stride and padding",
  );
});

test("explain: a loss whose target has another batch size names the functional op", async () => {
  assert.equal(
    await explanation(`const logits = torch.randn(4, 10);
const loss = F.crossEntropy(logits, torch.tensor([1, 2, 3]));
`),
    "crossEntropy: the input is a batch of 4 but the target has 3 entries; there must be one target per input row",
  );
});

test("explain: a matrix product outside any layer says which sizes must agree", async () => {
  assert.equal(
    await explanation(`const a = torch.randn(2, 3);
const b = torch.randn(4, 5);
const c = a.matmul(b);
`),
    "matrix product of 2×3 and 4×5: the first has 3 columns but the second has 4 rows (they must be equal)",
  );
});

test("explain: an embedding index past the table, through F.embedding", async () => {
  assert.equal(
    await explanation(`const table = torch.randn(5, 2);
const ids = torch.tensor([0, 7, 5]);
const e = F.embedding(ids, table);
`),
    "This embedding of 5 rows has rows 0 … 4, but ids holds 7 (largest) and 5: every index must be below num_embeddings = 5",
  );
});
