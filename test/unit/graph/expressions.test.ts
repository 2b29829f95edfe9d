/** Reading calls from source text, to name tensors no variable holds. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { callAt, makesValue, shortLabel } from "../../../extension/sandbox/graph/expressions";

const SOURCE = [
  "const y = x.view(-1);", //                       `view` at 1:13
  "const out = fc1.forward(torch.randn(1, 600));", // `forward` at 2:17
  "const z = torch.mul(a, torch.ones([2, 3]));", //   `mul` at 3:17
  'const w = net.layers.at(0).forward(\n  xs[1],\n  "a, b",\n);', // `forward` at 4:28
  "const q = x.sub;", //                            not a call
].join("\n");

test("expressions: a method call reads as written, with its receiver and arguments", () => {
  assert.deepEqual(callAt(SOURCE, 1, 13), { text: "x.view(-1)", receiver: "x", args: ["-1"] });
  assert.deepEqual(callAt(SOURCE, 2, 17), {
    text: "fc1.forward(torch.randn(1, 600))",
    receiver: "fc1",
    args: ["torch.randn(1, 600)"],
  });
  assert.deepEqual(callAt(SOURCE, 3, 17), {
    text: "torch.mul(a, torch.ones([2, 3]))",
    receiver: "torch",
    args: ["a", "torch.ones([2, 3])"],
  });
});

test("expressions: chains of calls, lines and strings with commas", () => {
  assert.deepEqual(callAt(SOURCE, 4, 28), {
    text: 'net.layers.at(0).forward( xs[1], "a, b", )',
    receiver: "net.layers.at(0)",
    args: ["xs[1]", '"a, b"'],
  });
});

test("expressions: nothing where no call starts", () => {
  assert.equal(callAt(SOURCE, 5, 13), undefined, "a property, not a call");
  assert.equal(callAt(SOURCE, 1, 3), undefined, "a keyword");
  assert.equal(callAt(SOURCE, 40, 1), undefined, "past the end");
  assert.equal(callAt("f(a, (b", 1, 1), undefined, "unbalanced");
});

test("expressions: labels stay short; only made values count as a tensor's own text", () => {
  assert.equal(shortLabel("torch.randn(1, 600)"), "torch.randn(1, 600)");
  assert.equal(shortLabel("a".repeat(50), 10), "aaaaaaaaa…");
  assert.ok(makesValue("torch.randn(1, 600)") && makesValue("[1, 2]"));
  assert.ok(!makesValue("w") && !makesValue("-1"));
});
