/**
 * Messages in both languages: PyTorch's text stays word for word, and the options it names in
 * Python are also given as a Gradlens file writes them.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { typescriptSpellings } from "../../../extension/sandbox/explain/typescriptSpelling";
import { runSource } from "../runner/fixtures";

test("typescript spelling: each option of the table a message names, in the table's order", () => {
  assert.equal(
    typescriptSpellings("... Specify retain_graph=True if you need to backward ..."),
    "In TypeScript: `retain_graph=True` is `{ retainGraph: true }`.",
  );
  assert.equal(
    typescriptSpellings(
      "set `error_if_nonfinite=False`; also allow_unused=True, retain_graph=True",
    ),
    "In TypeScript: `retain_graph=True` is `{ retainGraph: true }`; " +
      "`allow_unused=True` is `{ allowUnused: true }`; `error_if_nonfinite=False` is `{ errorIfNonfinite: false }`.",
  );
  assert.equal(
    typescriptSpellings("can't retain_grad on Tensor that has requires_grad=False"),
    "In TypeScript: `requires_grad=False` is `{ requiresGrad: false }`.",
  );
});

test("typescript spelling: nothing to add for options the table does not know or no option", () => {
  assert.equal(
    typescriptSpellings("Linear(in_features=600, out_features=60, bias=True)"),
    undefined,
  );
  assert.equal(
    typescriptSpellings("mat1 and mat2 shapes cannot be multiplied (1x2 and 3x4)"),
    undefined,
  );
});

test("typescript spelling: a second backward's error keeps PyTorch's text and adds the spelling", async () => {
  const r = await runSource(`import * as torch from "gradlens";
const w = torch.ones(3, { requiresGrad: true });
const loss = w.mul(w).sum();
loss.backward();
loss.backward();
`);
  assert.equal(
    r.error!.message,
    "Trying to backward through the graph a second time (or directly access saved tensors after " +
      "they have already been freed). Saved intermediate values of the graph are freed when you " +
      "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward " +
      "through the graph a second time or if you need to access saved tensors after calling backward.",
  );
  assert.ok(
    r.error!.explanation?.endsWith(
      "In TypeScript: `retain_graph=True` is `{ retainGraph: true }`.",
    ),
    r.error!.explanation,
  );
});
