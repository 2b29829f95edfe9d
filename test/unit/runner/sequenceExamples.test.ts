/**
 * examples/lstm.ts and examples/attention_block.ts run in the sandbox as the extension runs
 * them, print PyTorch's numbers (the same scripts in PyTorch, make_sequence_reference.py), and
 * draw the graph PyTorch would: the LSTM's per-step gates, the attention's baddbmm and softmax.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { runInSandbox } from "./fixtures";
import { loadFixture } from "../engine/torchFixtures";

const EXAMPLES = path.resolve(__dirname, "../../../../examples");
const { examples } = loadFixture<{ examples: { file: string; logs: string[] }[] }>(
  "nn_sequence.json",
);

/** `name value` lines: the names equal, the values within float32 rounding of PyTorch's. */
function assertSameLogs(actual: string[], expected: string[]): void {
  assert.equal(actual.length, expected.length, `logs: ${actual.join(" | ")}`);
  actual.forEach((line, i) => {
    const [name, value] = [
      line.slice(0, line.lastIndexOf(" ")),
      Number(line.slice(line.lastIndexOf(" ") + 1)),
    ];
    const want = expected[i];
    assert.equal(name, want.slice(0, want.lastIndexOf(" ")));
    const w = Number(want.slice(want.lastIndexOf(" ") + 1));
    assert.ok(Math.abs(value - w) <= 2e-6 + 1e-5 * Math.abs(w), `${name}: ${value}, PyTorch ${w}`);
  });
}

const expectedNodes: Record<string, string[]> = {
  "lstm.ts": [
    "UnsafeSplitBackward0",
    "SigmoidBackward0",
    "UnbindBackward0",
    "StackBackward0",
    "SelectBackward0",
  ],
  "attention_block.ts": ["BaddbmmBackward0", "SoftmaxBackward0", "SplitBackward0", "BmmBackward0"],
};

for (const { file, logs } of examples) {
  test(`examples/${file} runs and matches PyTorch`, async () => {
    const full = path.join(EXAMPLES, file);
    const r = await runInSandbox({ file: full, source: fs.readFileSync(full, "utf8") });
    assert.ok(r.ok, `run failed: ${r.error?.message}`);
    assertSameLogs(r.logs, logs);
    const labels = new Set(r.graph.nodes.map((n) => n.label));
    for (const name of expectedNodes[file]) assert.ok(labels.has(name), `the graph shows ${name}`);
  });
}
