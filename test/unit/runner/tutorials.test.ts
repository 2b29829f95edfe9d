/**
 * The ten tutorial models of issue 17 (examples/tutorials/) run in the sandbox as the
 * extension runs them, and print PyTorch's numbers: the same scripts in PyTorch 1.13
 * (make_tutorials_reference.py, tutorials.json), with the same seeds and random draws.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { runInSandbox } from "./fixtures";
import { loadFixture } from "../engine/torchFixtures";
import { assertSameLogs } from "./logLines";

const TUTORIALS = path.resolve(__dirname, "../../../../examples/tutorials");
const { tutorials } = loadFixture<{ tutorials: { file: string; logs: string[] }[] }>(
  "tutorials.json",
);

test("every tutorial file has a PyTorch reference", () => {
  const files = fs.readdirSync(TUTORIALS).filter((f) => f.endsWith(".ts"));
  assert.deepEqual(files.sort(), tutorials.map((t) => t.file).sort());
});

for (const { file, logs } of tutorials) {
  test(`examples/tutorials/${file} runs in the sandbox and prints PyTorch's numbers`, async () => {
    const full = path.join(TUTORIALS, file);
    const r = await runInSandbox({ file: full, source: fs.readFileSync(full, "utf8") });
    assert.ok(r.ok, `run failed: ${r.error?.message}`);
    assertSameLogs(r.logs, logs);
    assert.ok(r.graph.nodes.length > 0, "a graph is drawn");
  });
}
