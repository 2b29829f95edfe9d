/**
 * Public PyTorch code run verbatim (test/fixtures/python/*.py: the 60-minute blitz network,
 * the autograd tutorial, d2l's autograd and transposed-convolution chapters, a training loop)
 * prints what PyTorch 1.13 printed (python_outputs.json, from make_python_reference.py).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { assertSamePrint, loadPythonReference, PY_FIXTURES, runAndCapture } from "./printed";

const reference = loadPythonReference();

test("python reference: made with PyTorch 1.13 for every fixture file", () => {
  assert.match(reference.torch, /^1\.13/);
  const files = fs.readdirSync(PY_FIXTURES).filter((f) => f.endsWith(".py")).sort();
  assert.deepEqual(Object.keys(reference.files).sort(), files);
});

for (const [name, expected] of Object.entries(reference.files)) {
  test(`python tutorial ${name}: prints what PyTorch prints`, () => {
    const source = fs.readFileSync(path.join(PY_FIXTURES, name), "utf8");
    const { out, run } = runAndCapture(source);
    assert.equal(run.error && `${run.error.type}: ${run.error.message} (line ${run.error.line})`, expected.error, `error of ${name}; printed:\n${out}`);
    assertSamePrint(out, expected.stdout, name);
  });
}
