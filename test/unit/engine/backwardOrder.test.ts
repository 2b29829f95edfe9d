/**
 * The trace hook's backward events: every node the engine runs is heard once, right after it ran,
 * in the order PyTorch 1.13's engine runs the same graph (backward_order.json), with the
 * gradients it passed back along each edge. The graph page's "step through backward" replays
 * exactly this order.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import type { Tensor } from "../../../engine";
import type { BackwardNodeEvent } from "../../../engine/trace";
import { AccumulateGrad } from "../../../engine/autograd/node";
import { loadFixture } from "./torchFixtures";

const F = torch.nn.functional;

interface Step {
  node: string;
  gradInputNorms: (number | null)[];
}

type Case = () => { root: Tensor; leaves: Record<string, Tensor> };

const CASES: Record<string, Case> = {
  seed: () => {
    const x = torch.tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const y = x.sub(2);
    const a = y.mul(y).mul(3);
    return { root: a.mean(), leaves: { x } };
  },
  diamond: () => {
    const x = torch.tensor([0.5, -1, 2], { requiresGrad: true });
    const a = x.mul(2);
    const b = x.tanh();
    return { root: a.mul(b).sum().add(x.sum()), leaves: { x } };
  },
  twoLayers: () => {
    const x = torch.tensor(
      [
        [1, -2, 0.5],
        [0, 1.5, -1],
      ],
      { dtype: "float32" },
    );
    const w1 = torch.tensor(
      [
        [0.1, 0.2, -0.3],
        [0.4, -0.5, 0.6],
      ],
      { requiresGrad: true },
    );
    const b1 = torch.tensor([0.01, -0.02], { requiresGrad: true });
    const w2 = torch.tensor([[0.7, -0.8]], { requiresGrad: true });
    const b2 = torch.tensor([0.05], { requiresGrad: true });
    const h = F.linear(x, w1, b1).sigmoid();
    const out = F.linear(h, w2, b2);
    const loss = F.mseLoss(out, torch.tensor([[1], [0]], { dtype: "float32" }));
    return { root: loss, leaves: { w1, b1, w2, b2 } };
  },
};

/** Runs backward from the case's root and returns the steps the listener heard. */
function heard(make: Case): Step[] {
  const { root, leaves } = make();
  const names = new Map(Object.entries(leaves).map(([n, t]) => [t, n] as const));
  const steps: Step[] = [];
  const label = (e: BackwardNodeEvent): string =>
    e.node instanceof AccumulateGrad ? `AccumulateGrad:${names.get(e.node.variable)}` : e.node.name;
  const previous = torch.trace.setTraceListener({
    onBackwardNode: (e) =>
      steps.push({
        node: label(e),
        gradInputNorms: e.gradInputs.map((g) => (g ? g.norm().item() : null)),
      }),
  });
  try {
    root.backward();
  } finally {
    torch.trace.setTraceListener(previous);
  }
  return steps;
}

const fixture = loadFixture<Record<string, Step[] | string>>("backward_order.json");

for (const name of Object.keys(CASES)) {
  test(`backward order: ${name} runs its nodes in PyTorch's order, passing PyTorch's gradients`, () => {
    const expected = fixture[name] as Step[];
    const steps = heard(CASES[name]);
    assert.deepEqual(
      steps.map((s) => s.node),
      expected.map((s) => s.node),
    );
    steps.forEach((s, i) => {
      const want = expected[i].gradInputNorms;
      // AccumulateGrad passes nothing on (PyTorch's hook sees its one input-less gradient)
      if (s.node.startsWith("AccumulateGrad")) return assert.deepEqual(s.gradInputNorms, []);
      assert.equal(s.gradInputNorms.length, want.length, `${s.node}: edges`);
      s.gradInputNorms.forEach((g, k) => {
        if (want[k] === null) return assert.equal(g, null, `${s.node} input ${k}`);
        assert.ok(
          g !== null && Math.abs(g - want[k]!) <= 1e-5 * Math.max(1, want[k]!),
          `${s.node} input ${k}: ${g} vs ${want[k]}`,
        );
      });
    });
  });
}

test("backward order: a listener that keeps the gradients passed on leaves .grad its own copy", () => {
  const x = torch.tensor([1, 2, 3], { requiresGrad: true });
  const kept: Tensor[] = [];
  const previous = torch.trace.setTraceListener({
    onBackwardNode: (e) => e.gradInputs.forEach((g) => g && kept.push(g)),
  });
  try {
    x.mul(3).sum().backward();
  } finally {
    torch.trace.setTraceListener(previous);
  }
  const passedToX = kept[kept.length - 1];
  assert.deepEqual(passedToX.tolist(), [3, 3, 3]);
  x.grad!.zero_();
  assert.deepEqual(passedToX.tolist(), [3, 3, 3], "the heard gradient is not x.grad's storage");
});

test("backward order: each pass is announced before its nodes, autograd.grad's too", () => {
  const x = torch.tensor([1, 2], { requiresGrad: true });
  const heardEvents: string[] = [];
  const previous = torch.trace.setTraceListener({
    onBackward: () => void heardEvents.push("start"),
    onBackwardNode: (e) => void heardEvents.push(e.node.name),
  });
  try {
    x.mul(2).sum().backward();
    torch.autograd.grad(x.exp().sum(), x);
  } finally {
    torch.trace.setTraceListener(previous);
  }
  assert.deepEqual(heardEvents, [
    "start",
    "SumBackward0",
    "MulBackward0",
    "AccumulateGrad",
    "start",
    "SumBackward0",
    "ExpBackward0",
  ]);
});
