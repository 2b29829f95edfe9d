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
import { assertSameLogs } from "./logLines";

const EXAMPLES = path.resolve(__dirname, "../../../../examples");
const { examples } = loadFixture<{ examples: { file: string; logs: string[] }[] }>(
  "nn_sequence.json",
);

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
