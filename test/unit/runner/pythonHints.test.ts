/**
 * Inlay hints in Python model files: at each call as the interpreter places it (a chained call
 * at its name, a subscript at its object), after the `)` or `]` as Python's text spells it.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { placedPython } from "./hintPlaces";

test("hints: a .py file gets the Linear, view, matmul and cat hints at its Python calls", async () => {
  const source = `import torch
from torch import nn

fc = nn.Linear(400, 120)
x = torch.randn(1, 16, 5, 5)
flat = x.view(-1, 16 * 5 * 5)
h = fc(flat)
p = h @ torch.randn(120, 10)
both = torch.cat([p, p], 1)
`;
  const { r, shown } = await placedPython("inline.py", source);
  assert.deepEqual(shown, [
    "flat = x.view(-1, 16 * 5 * 5) ⇒ → [1, 400]",
    "h = fc(flat) ⇒ → [1, 120]",
    "p = h @ torch.randn(120, 10) ⇒ → [1, 10]",
    "both = torch.cat([p, p], 1) ⇒ → [1, 20]",
  ]);
  assert.deepEqual(
    r.shapeHints.map((h) => `${h.op}: ${h.formula}`),
    [
      "view: 16·5·5 = 400; -1 = 400/400 = 1",
      "linear: in_features 400 → out_features 120",
      "matmul: [1, 120] @ [120, 10] → [1, 10]",
      "cat: dim 1: 10 + 10 = 20",
    ],
  );
});

test("hints: calls chained on one Python line each get their hint (conv2(h).flatten(1))", async () => {
  // A method called on a call's result is placed at its name, as V8 places a TypeScript one;
  // placed at the line's first call, the two hints ran together after `conv2(h)`.
  const source = `import torch
from torch import nn

conv2 = nn.Conv2d(8, 16, 5)
h = torch.randn(1, 8, 16, 16)
features = conv2(h).flatten(1)
`;
  const { shown } = await placedPython("chained.py", source);
  assert.deepEqual(shown.slice(-2), [
    "features = conv2(h) ⇒ → [1, 16, 12, 12]",
    "features = conv2(h).flatten(1) ⇒ → [1, 2304]",
  ]);
});

test("hints: a Python call with floor division or a '#' comment in it gets its hint after its ')'", async () => {
  // Python's `//` divides: read as a comment, it hid the call's `)` and the hint fell to the
  // line's end; a `#` comment may hold brackets of its own.
  const source = `import torch
from torch import nn

k = 5
conv = nn.Conv2d(1, 4, k, padding=k // 2)
x = torch.randn(1, 1, 8, 8)
y = conv(x) + conv(x * (8 // 4))  # same size (k odd)
z = nn.functional.max_pool2d(y,  # halve it (2)
                             2)
`;
  const { shown } = await placedPython("floordiv.py", source);
  assert.deepEqual(shown, [
    "conv = nn.Conv2d(1, 4, k, padding=k // 2) ⇒ H×W → H×W",
    "y = conv(x) ⇒ → [1, 4, 8, 8]",
    "y = conv(x) + conv(x * (8 // 4)) ⇒ → [1, 4, 8, 8]",
    "2) ⇒ → [1, 4, 4, 4]",
  ]);
});

test("hints: Python subscripts get their hint after their ']', a called ModuleList member after its ')'", async () => {
  // The subscript's op was placed at the statement's start and ModuleList calls at `layers`,
  // where no call starts: both hints fell to the line's end, after its comment.
  const source = `import torch
from torch import nn

layers = nn.ModuleList([nn.Linear(4, 3), nn.Linear(3, 2)])
x = torch.randn(2, 4)
y = layers[0](x)  # first (a)
z = y[:, :1] * 2  # slice (b)
w = layers[1](y)[:, 0]
`;
  const { shown } = await placedPython("subscripts.py", source);
  assert.deepEqual(shown, [
    "y = layers[0](x) ⇒ → [2, 3]",
    "z = y[:, :1] ⇒ → [2, 1]",
    "w = layers[1](y) ⇒ → [2, 2]",
    "w = layers[1](y)[:, 0] ⇒ → [2]",
  ]);
});
