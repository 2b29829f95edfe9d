/**
 * Public PyTorch code run verbatim (test/fixtures/python/*.py: the 60-minute blitz network,
 * the autograd tutorial, a training loop; examples/*.py: d2l's autograd and
 * transposed-convolution chapters, LeNet)
 * prints what PyTorch 1.13 printed (python_outputs.json, from make_python_reference.py).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { assertRunsLikePyTorch, EXAMPLES, loadPythonReference, PY_FIXTURES } from "./printed";

const reference = loadPythonReference();

test("python reference: made with PyTorch 1.13 for every fixture file", () => {
  assert.match(reference.torch, /^1\.13/);
  const list = (dir: string) => fs.readdirSync(path.join(PY_FIXTURES, dir)).filter((f) => f.endsWith(".py")).map((f) => (dir ? `${dir}/${f}` : f));
  const pytorchExamples = fs
    .readdirSync(EXAMPLES)
    .filter((f) => f.endsWith(".py") && !/^\s*(import|from)\s+(tensorflow|mxnet)\b/m.test(fs.readFileSync(path.join(EXAMPLES, f), "utf8")))
    .map((f) => `examples/${f}`);
  assert.deepEqual(Object.keys(reference.files).sort(), [...list(""), ...list("constructs"), ...pytorchExamples].sort());
});

for (const name of Object.keys(reference.files).filter((n) => !n.startsWith("constructs/"))) {
  test(`python tutorial ${name}: prints what PyTorch prints`, () => assertRunsLikePyTorch(name, reference));
}
