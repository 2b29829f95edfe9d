/**
 * The d2l chapters' own code, as the example files have it, run the way the editor runs them
 * (in the model sandbox): what they print is what PyTorch prints for the Python original
 * (test/fixtures/torch/core_views.json, make_views_reference.py), and the gradients match.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { nodeLabelled, runInSandbox } from "./fixtures";
import { loadFixture, ourSpelling, type GraphJson, type TensorJson } from "../engine/torchFixtures";
import { flatten } from "../helpers";

const EXAMPLES = path.resolve(__dirname, "../../../../examples");

interface D2l {
  printed: string[];
  loss: number;
  gradX: TensorJson;
  lossGraph: GraphJson;
}

test("d2l transposed convolution: the chapter's loops write through views and print PyTorch's tensors", async () => {
  const expected = loadFixture<{ d2lTransposedConv: D2l }>("core_views.json").d2lTransposedConv;
  const file = path.join(EXAMPLES, "d2l_transposed_conv.ts");
  const r = await runInSandbox({ file, source: fs.readFileSync(file, "utf8"), backward: {} });
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(r.logs, expected.printed.map(ourSpelling));
  const x = nodeLabelled(r.graph, "Xg");
  assert.deepEqual(Array.from(x.grad!.values!), flatten(expected.gradX.values));
  assert.equal(nodeLabelled(r.graph, "loss").value!.values![0], expected.loss);
  // the loop's writes are CopySlices in the graph, as PyTorch records them
  assert.ok(r.graph.nodes.some((n) => n.label === "CopySlices"), r.graph.nodes.map((n) => n.label).join(", "));
});
