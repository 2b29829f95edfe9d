/**
 * Errors as Python reports them: the exception's type and PyTorch's message, on the Python
 * line that failed (the innermost frame first); names Gradlens lacks reported as written;
 * syntax outside the subset named on its line.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { runAndCapture } from "./printed";
import { runPython } from "../../../python/index";

function errorOf(source: string) {
  const { run } = runAndCapture(source);
  assert.ok(run.error, "expected an error");
  return run.error;
}

test("python errors: a shape mismatch in forward is PyTorch's RuntimeError on the forward line, then the call's line", () => {
  const e = errorOf(
    [
      "import torch",
      "from torch import nn",
      "class Net(nn.Module):",
      "    def __init__(self):",
      "        super().__init__()",
      "        self.fc1 = nn.Linear(600, 60)",
      "    def forward(self, x):",
      "        return self.fc1(x)",
      "net = Net()",
      "y = net(torch.randn(1, 1000))",
    ].join("\n"),
  );
  assert.equal(e.type, "RuntimeError");
  assert.equal(e.message, "mat1 and mat2 shapes cannot be multiplied (1x1000 and 600x60)");
  assert.deepEqual(e.traceback, [8, 10]);
  assert.equal(e.line, 8);
});

test("python errors: a name torch.nn lacks is an AttributeError naming it as written", () => {
  const e = errorOf("import torch.nn as nn\n\nlayer = nn.Foo(3)\n");
  assert.equal(e.type, "AttributeError");
  assert.equal(e.message, "module 'torch.nn' has no attribute 'Foo'");
  assert.equal(e.line, 3);
});

test("python errors: an unknown keyword is Python's TypeError, a missing name is NameError", () => {
  assert.equal(errorOf("import torch\nx = torch.ones(2)\ny = x.sum(dimension=0)").message, "sum() got an unexpected keyword argument 'dimension'");
  const e = errorOf("x = 1\nprint(y)");
  assert.deepEqual([e.type, e.message, e.line], ["NameError", "name 'y' is not defined", 2]);
});

test("python errors: backward twice without retain_graph is PyTorch's error", () => {
  const e = errorOf("import torch\nx = torch.ones(2, requires_grad=True)\ny = (x * x).sum()\ny.backward()\ny.backward()");
  assert.equal(e.type, "RuntimeError");
  assert.match(e.message, /^Trying to backward through the graph a second time/);
  assert.equal(e.line, 5);
});

test("python errors: syntax outside the subset is a SyntaxError naming it on its line", () => {
  const gen = errorOf("def gen():\n    yield 1\n");
  assert.deepEqual([gen.type, gen.line], ["SyntaxError", 2]);
  assert.match(gen.message, /generators \(yield\)/);
  const bad = errorOf("x = 1\ny = (2 +\n");
  assert.equal(bad.type, "SyntaxError");
  assert.match(bad.message, /invalid syntax/);
});

test("python errors: an uncaught raise reports the raising line and the exception's text", () => {
  const e = errorOf("def check(v):\n    if v < 0:\n        raise ValueError(f'negative: {v}')\ncheck(-2)\n");
  assert.deepEqual([e.type, e.message, e.traceback], ["ValueError", "negative: -2", [3, 4]]);
});

test("python errors: an error the runner calls fatal passes every except (the sandbox's memory limit)", () => {
  const source = "import torch\ntry:\n    x = torch.ones(2) @ torch.ones(3)\nexcept Exception:\n    print('caught')\n";
  let out = "";
  const caught = runPython(source, { write: (s) => (out += s) });
  assert.equal(caught.error, null);
  assert.equal(out, "caught\n");
  const fatal = runPython(source, { write: () => undefined, fatal: () => true });
  assert.equal(fatal.error?.type, "RuntimeError");
  assert.equal(fatal.error?.line, 3);
});
