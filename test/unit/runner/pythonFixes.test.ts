/**
 * A Python run's failure carries the layer fixes a TypeScript run's does (typed data for the
 * quick fixes): a Linear's in_features, a conv's in_channels, each with the layer's
 * construction on its Python line. Fixes whose edit is TypeScript (`{ retainGraph: true }`,
 * `nn.Flatten()` in a container) are left out for Python files.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { at, MODELS, runInSandbox } from "./fixtures";

const run = (source: string) => runInSandbox({ file: path.join(MODELS, "inline.py"), source: source.trimStart() });

test("python fixes: a Linear fed other features has the in_features fix and its construction's line", async () => {
  const r = await run(`
import torch
from torch import nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(600, 60)

    def forward(self, x):
        return self.fc1(x)

net = Net()
y = net(torch.randn(1, 1000))
`);
  assert.deepEqual(r.error?.fix, { kind: "linearFeatures", expected: 600, got: 1000, inputShape: [1, 1000] });
  assert.equal(at(r.error?.layer?.location), "7:20");
  assert.equal(r.error?.layer?.name, "fc1");
  assert.equal(r.error?.layer?.description, "Linear(600 → 60)");
});

test("python fixes: a conv fed other channels has the in_channels fix and its construction's line", async () => {
  const r = await run(`
import torch
from torch import nn
conv = nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3)
gray = torch.randn(1, 1, 28, 28)
out = conv(gray)
`);
  assert.deepEqual(r.error?.fix, { kind: "convChannels", expected: 3, got: 1, inputShape: [1, 1, 28, 28] });
  assert.equal(at(r.error?.layer?.location), "3:8");
  assert.equal(r.error?.layer?.name, "conv");
});

test("python fixes: a second backward and a Linear in a Sequential fed 4-D input get no TypeScript fix", async () => {
  const twice = await run(`
import torch
x = torch.ones(2, requires_grad=True)
loss = (x * x).sum()
loss.backward()
loss.backward()
`);
  assert.equal(twice.error?.failure?.reason.kind, "retainGraph");
  assert.equal(twice.error?.fix, undefined);
  const flat = await run(`
import torch
from torch import nn
net = nn.Sequential(nn.Conv2d(1, 4, 3), nn.Linear(4 * 26 * 26, 10))
y = net(torch.randn(2, 1, 28, 28))
`);
  assert.equal(flat.error?.failure?.reason.kind, "matmulShapes");
  assert.equal(flat.error?.fix, undefined);
  assert.equal(flat.error?.layer, undefined);
});
