/**
 * Python model files run as the editor runs them (in the model sandbox, on the Python front
 * end): what they print is what PyTorch 1.13 prints (python_outputs.json), the graph's layers
 * and ops sit on their Python lines, hints anchor at the Python calls, the file's variables
 * are the roots, and an error is PyTorch's message with its explanation on the failing line.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { at, MODELS, nodeLabelled, runInSandbox } from "./fixtures";
import { assertSamePrint, loadPythonReference } from "../python/printed";

const EXAMPLES = path.resolve(__dirname, "../../../../examples");
const reference = loadPythonReference();

function runExample(name: string) {
  const file = path.join(EXAMPLES, name);
  return runInSandbox({ file, source: fs.readFileSync(file, "utf8"), backward: {} });
}

test("python files: examples/lenet.py prints what PyTorch prints, its layers and hints on their Python lines", async () => {
  const r = await runExample("lenet.py");
  assert.equal(r.ok, true, r.error?.message);
  assertSamePrint(r.logs.join("\n") + "\n", reference.files["examples/lenet.py"].stdout, "lenet.py");
  // two forward passes: each layer's box (the first pass's here) sits on its construction's line
  const first = (label: string) => r.graph.nodes.find((n) => n.label === label);
  assert.equal(at(first("net.0 (Conv2d)")?.location), "10:5");
  assert.equal(at(first("net.7 (Linear)")?.location), "15:5");
  // a Sequential member's size hint is placed at its construction; the call's at `net(images)`
  const conv = r.shapeHints.find((h) => h.op === "conv2d")!;
  assert.deepEqual([at(conv.location), conv.outputShape], ["25:19", [4, 6, 28, 28]]);
  assert.equal(at(conv.layerLocation), "10:5");
  assert.ok(r.layerHints.some((h) => at(h.location) === "12:5" && h.formula === "H×W → (H − 4)×(W − 4)"));
  assert.deepEqual([r.roots, r.exportedRoot], [["first", "loss"], "loss"]);
  assert.ok(nodeLabelled(r.graph, "loss").grad, "Run Backward reached the loss");
});

test("python files: examples/transposed_conv.py writes through views (CopySlices) and gives PyTorch's gradient", async () => {
  const r = await runExample("transposed_conv.py");
  assert.equal(r.ok, true, r.error?.message);
  assertSamePrint(r.logs.join("\n") + "\n", reference.files["examples/transposed_conv.py"].stdout, "transposed_conv.py");
  assert.ok(r.graph.nodes.some((n) => n.label === "CopySlices"), r.graph.nodes.map((n) => n.label).join(", "));
  assert.equal(at(nodeLabelled(r.graph, "Z").location), "24:1");
});

test("python files: a shape mismatch is PyTorch's error with the explanation, on the forward's line", async () => {
  const source = [
    "import torch",
    "from torch import nn",
    "",
    "class Net(nn.Module):",
    "    def __init__(self):",
    "        super().__init__()",
    "        self.fc1 = nn.Linear(600, 60)",
    "",
    "    def forward(self, x):",
    "        return self.fc1(x)",
    "",
    "net = Net()",
    "y = net(torch.randn(1, 1000))",
  ].join("\n");
  const r = await runInSandbox({ file: path.join(MODELS, "inline.py"), source });
  assert.equal(r.ok, false);
  assert.equal(r.error!.kind, "runtime");
  assert.equal(r.error!.message, "RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x1000 and 600x60)");
  assert.equal(at(r.error!.location), "10:16");
  assert.equal(r.error!.explanation, "Linear(600 → 60) in `fc1` expects 600 input features; x has shape [1, 1000]");
  // the graph shows what was built up to the failure
  assert.ok(r.graph.nodes.some((n) => n.label === "fc1 (Linear)"));
  // and the output has Python's traceback, outermost call first
  assert.deepEqual(r.logs.at(-1)!.split("\n"), [
    "error: Traceback (most recent call last):",
    `  File "${path.join(MODELS, "inline.py")}", line 13, in <module>`,
    "    y = net(torch.randn(1, 1000))",
    `  File "${path.join(MODELS, "inline.py")}", line 10, in forward`,
    "    return self.fc1(x)",
    "RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x1000 and 600x60)",
  ]);
});

test("python files: a name torch.nn lacks and a syntax error are reported on their lines", async () => {
  const missing = await runInSandbox({ file: path.join(MODELS, "inline.py"), source: "import torch.nn as nn\n\nlayer = nn.Conv2D(1, 2, 3)\n" });
  assert.equal(missing.error!.message, "AttributeError: module 'torch.nn' has no attribute 'Conv2D'. Did you mean: 'Conv2d'?");
  assert.equal(missing.error!.location!.line, 3);
  const syntax = await runInSandbox({ file: path.join(MODELS, "inline.py"), source: "import torch\ndef gen():\n    yield 1\n" });
  assert.deepEqual([syntax.error!.kind, syntax.error!.location!.line], ["syntax", 3]);
  assert.match(syntax.error!.message, /generators \(yield\)/);
});
