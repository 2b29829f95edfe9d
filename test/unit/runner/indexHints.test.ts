/** Inlay hints for indexing calls: one hint per `x.index(...)` call, with the result's shape. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { at, runSource } from "./fixtures";

/** Runs `lines` after the engine's import: its indexing hints as `line:col [in] → [out]`. */
async function indexHints(lines: string[]): Promise<string[]> {
  const r = await runSource(['import * as torch from "gradlens";', ...lines].join("\n"));
  assert.equal(r.ok, true, r.error?.message);
  return r.shapeHints
    .filter((h) => h.op === "index")
    .map((h) => `${at(h.location)} [${h.inputShape}] → [${h.outputShape}]`);
}

test("hints: x.index(...) shows its result's shape at the call, through the whole chain of views", async () => {
  const shown = await indexHints([
    "const x = torch.zeros(2, 3, 4);",
    'const a = x.index(":", "1:3");',
    "const b = x.index(0, torch.tensor([2, 0]));",
    "const c = x.narrow(2, 1, 2);",
    "const y = torch.ones(3, 3).matmul(torch.ones(3));",
    "for (let i = 0; i < 3; i++) x.index(0, `${i}:${i + 1}`).add_(1);",
  ]);
  assert.deepEqual(shown, [
    "3:13 [2,3,4] → [2,2,4]",
    "4:13 [2,3,4] → [2,4]",
    "5:13 [2,3,4] → [2,3,2]",
    "7:31 [2,3,4] → [1,4]",
  ]);
});

test("graph: a named view says which tensor it views", async () => {
  const r = await runSource(
    [
      'import * as torch from "gradlens";',
      "const Y = torch.zeros(3, 4, { requiresGrad: true });",
      'const top = Y.index("0:2");',
      "const row = Y.select(0, 1);",
      "const copy = Y.index(torch.tensor([0, 2]));",
      "export const loss = top.sum().add(row.sum()).add(copy.sum());",
    ].join("\n"),
    { backward: {} },
  );
  assert.equal(r.ok, true, r.error?.message);
  const viewOf = (label: string) => r.graph.nodes.find((n) => n.label === label)?.viewOf;
  assert.equal(viewOf("top"), "Y");
  assert.equal(viewOf("row"), "Y");
  assert.equal(viewOf("copy"), undefined, "advanced indexing copies");
});

test("hints: an indexing call in a loop shows each size it gave, each run its own chain", async () => {
  // The first run's chain used to stand for every run. (A run that indexes the previous run's
  // output with nothing between, `y = y.narrow(...)`, still reads as one chain going on.)
  const shown = await indexHints([
    "let y = torch.zeros(1, 10);",
    "for (let i = 0; i < 3; i++) y = y.mul(2).narrow(1, 0, 8 - 2 * i);",
    "const x = torch.zeros(4, 6);",
    'for (let i = 0; i < 4; i++) x.index(":", `0:${i % 2 + 1}`).add_(1);',
  ]);
  assert.deepEqual(shown, [
    "3:42 [1,10] → [1,8]",
    "3:42 [1,8] → [1,6]",
    "3:42 [1,6] → [1,4]",
    "5:31 [4,6] → [4,1]",
    "5:31 [4,6] → [4,2]",
  ]);
});
