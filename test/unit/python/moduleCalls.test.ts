/**
 * Calling a module with keyword arguments: an engine module's forward takes them by its
 * signature (PyTorch 1.13: `need_weights=False` gives no weights), a keyword it lacks is
 * Python's TypeError. (A Python forward's keywords: constructs/module_calls.py.)
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { printed, runAndCapture } from "./printed";

test("an engine module's forward takes keyword arguments by its signature", () => {
  const out = printed(`import torch
from torch import nn
attn = nn.MultiheadAttention(4, 2)
x = torch.ones(3, 1, 4)
out, weights = attn(x, x, x, need_weights=False)
print(weights is None, out.shape)
out, weights = attn(x, x, value=x)
print(weights.shape)
`);
  assert.equal(out, "True torch.Size([3, 1, 4])\ntorch.Size([1, 3, 3])\n");
});

test("a keyword an engine module's forward lacks is a TypeError", () => {
  const { run } = runAndCapture(`import torch
from torch import nn
fc = nn.Linear(2, 2)
fc(torch.ones(1, 2), colour=1)
`);
  assert.equal(run.error?.type, "TypeError");
  assert.match(run.error?.message ?? "", /unexpected keyword argument 'colour'/);
  assert.equal(run.error?.line, 4);
});
