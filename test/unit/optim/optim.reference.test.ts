/**
 * SGD and Adam against PyTorch (nn_optim.json): the same model, data and settings, eight steps
 * of zeroGrad → MSE loss → backward → step, on a linear model and a small tanh MLP; every
 * loss and every parameter after every step must match. Covers momentum, dampening, Nesterov,
 * weight decay, maximize, Adam's betas/eps/weight decay/AMSGrad, parameter groups, and a
 * parameter that never gets a gradient.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn, optim } from "../../../engine";
import { camelKeys, loadFixture } from "../nn/nnFixtures";
import { TrajectoryCase, replayTrajectory } from "./trajectory";

interface OptimCase extends TrajectoryCase {
  optimizer: "SGD" | "Adam" | "SGD-groups";
}

const { cases } = loadFixture<{ cases: OptimCase[] }>("nn_optim.json");

function optimizerFor(
  c: OptimCase,
  params: torch.Tensor[],
  unused: torch.Tensor,
): optim.Optimizer<object> {
  const o = camelKeys(c.kwargs);
  if (c.optimizer === "SGD-groups") {
    return new optim.SGD(
      [{ params: params.slice(0, 1), lr: 0.1 }, { params: [...params.slice(1), unused] }],
      o as unknown as optim.SGDOptions,
    );
  }
  if (c.optimizer === "SGD")
    return new optim.SGD([...params, unused], o as unknown as optim.SGDOptions);
  return new optim.Adam([...params, unused], o as optim.AdamOptions);
}

for (const c of cases) {
  test(`PyTorch trajectory: ${c.name}`, () => {
    replayTrajectory(c, (params, unused) => optimizerFor(c, params, unused));
  });
}

test("optim: zeroGrad zeroes gradients in place (PyTorch 1.13's default); zeroGrad(true) sets null", () => {
  const w = torch.ones(2, { requiresGrad: true });
  const opt = new optim.SGD([w], { lr: 0.1 });
  w.mul(3).sum().backward();
  const g = w.grad!;
  opt.zeroGrad();
  assert.equal(w.grad, g);
  assert.deepEqual(g.tolist(), [0, 0]);
  opt.zeroGrad(true);
  assert.equal(w.grad, null);
});

test("optim: step() bumps the parameter's version, so a graph that saved it cannot backward", () => {
  const w = torch.tensor([1.5, -2], { requiresGrad: true });
  const opt = new optim.SGD([w], { lr: 0.5 });
  const y = w.mul(w).sum(); // MulBackward0 saved w
  y.backward(null, { retainGraph: true });
  opt.step();
  assert.deepEqual(w.tolist(), [0, 0]); // w − 0.5·2w
  assert.throws(() => y.backward(), /modified by an inplace operation/);
});

test("optim: hand-derived first steps of SGD with momentum and of Adam", () => {
  // SGD: b₁ = g, p₁ = p₀ − lr·g; b₂ = μb₁ + g, p₂ = p₁ − lr·b₂ (g = 2p for loss Σp²)
  const p = torch.tensor([1, -2], { dtype: "float32", requiresGrad: true });
  const sgd = new optim.SGD([p], { lr: 0.1, momentum: 0.5 });
  for (let i = 0; i < 2; i++) {
    sgd.zeroGrad();
    p.pow(2).sum().backward();
    sgd.step();
  }
  // p₁ = 0.8·p₀; g₂ = 1.6·p₀; b₂ = 0.5·2p₀ + 1.6p₀ = 2.6p₀; p₂ = 0.8p₀ − 0.26p₀ = 0.54p₀
  assert.ok(Math.abs(p._values[0] - 0.54) < 1e-6 && Math.abs(p._values[1] + 1.08) < 1e-6);
  // Adam's first step moves every coordinate by lr·sign(g) (m̂ = g, v̂ = g², ε negligible)
  const q = torch.tensor([3, -0.5], { dtype: "float32", requiresGrad: true });
  const adam = new optim.Adam([q], { lr: 0.01 });
  q.pow(2).sum().backward();
  adam.step();
  assert.ok(Math.abs(q._values[0] - 2.99) < 1e-6 && Math.abs(q._values[1] + 0.49) < 1e-6);
});

test("optim: a Module's parameters() go straight into an optimizer", () => {
  const fc = new nn.Linear(3, 1);
  const opt = new optim.Adam(fc.parameters(), { lr: 0.1 });
  assert.equal(opt.paramGroups[0].params.length, 2);
  assert.equal(opt.paramGroups[0].lr, 0.1);
  assert.deepEqual(opt.paramGroups[0].betas, [0.9, 0.999]);
});

test("optim: step(closure) evaluates the closure first and returns its loss", () => {
  const w = torch.tensor([2], { dtype: "float32", requiresGrad: true });
  const opt = new optim.SGD([w], { lr: 0.25 });
  const loss = opt.step(() => {
    opt.zeroGrad();
    const l = w.pow(2).sum();
    l.backward();
    return l;
  }) as torch.Tensor;
  assert.equal(loss.item(), 4);
  assert.deepEqual(w.tolist(), [1]); // 2 − 0.25·(2·2)
});
