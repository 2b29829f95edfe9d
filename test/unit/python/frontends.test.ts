/**
 * d2l's autograd chapter in its TensorFlow and MXNet tabs (examples/d2l_autograd_tf.py, _mxnet.py),
 * run verbatim on the gradlens/tf and gradlens/mxnet front ends. Neither framework is
 * installed, so each tab is held to the PyTorch tab's printed values for the same cells
 * (python_outputs.json: what PyTorch 1.13 printed for examples/d2l_autograd.py); the front ends
 * print tensors as PyTorch does.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { assertSamePrint, EXAMPLES, loadPythonReference, runAndCapture } from "./printed";

const torchLines = loadPythonReference().files["examples/d2l_autograd.py"].stdout.split("\n");
/** The PyTorch tab's printed lines: x, x.grad (None), y, x.grad, ==4x, sum's grad, x*x's grad, ==u, ==2x, no_grad's requires_grad, ==d/a. */
const [x, , y, grad, is4x, sumGrad, squareGrad, isU, is2x, , isDOverA] = torchLines;

function printedBy(file: string): string {
  const { out, run } = runAndCapture(fs.readFileSync(path.join(EXAMPLES, file), "utf8"));
  assert.equal(run.error, null, `${run.error?.type}: ${run.error?.message} (line ${run.error?.line})`);
  return out;
}

test("python d2l autograd, TensorFlow tab: tapes give the PyTorch tab's gradients", () => {
  const expected = [x, y, grad, is4x, sumGrad, squareGrad, isU, is2x, isDOverA, ""].join("\n");
  assertSamePrint(printedBy("d2l_autograd_tf.py"), expected, "d2l_autograd_tf.py");
});

test("python d2l autograd, MXNet tab: record/backward give the PyTorch tab's gradients (x.grad starts at zeros)", () => {
  const zeros = "tensor([0., 0., 0., 0.])";
  const expected = [x, zeros, y, grad, is4x, sumGrad, squareGrad, isU, is2x, isDOverA, ""].join("\n");
  assertSamePrint(printedBy("d2l_autograd_mxnet.py"), expected, "d2l_autograd_mxnet.py");
});
