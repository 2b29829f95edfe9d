/** Inlay hints for indexing calls: one hint per `x.index(...)` call, with the result's shape. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { at, runSource } from "./fixtures";

test("hints: x.index(...) shows its result's shape at the call, through the whole chain of views", async () => {
  const r = await runSource(
    [
      'import * as torch from "gradlens";',
      "const x = torch.zeros(2, 3, 4);",
      'const a = x.index(":", "1:3");',
      "const b = x.index(0, torch.tensor([2, 0]));",
      "const c = x.narrow(2, 1, 2);",
      "const y = torch.ones(3, 3).matmul(torch.ones(3));",
      'for (let i = 0; i < 3; i++) x.index(0, `${i}:${i + 1}`).add_(1);',
    ].join("\n"),
  );
  assert.equal(r.ok, true, r.error?.message);
  const shown = r.shapeHints
    .filter((h) => h.op === "index")
    .map((h) => `${at(h.location)} [${h.inputShape}] → [${h.outputShape}]`);
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
