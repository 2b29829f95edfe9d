/**
 * AdamW, RMSprop and Adagrad against PyTorch (optim_steps.json): eight steps of zeroGrad → MSE
 * loss → backward → step on a linear model and a small tanh MLP, every loss and parameter after
 * every step, and the optimizer's stateDict() at the end (each buffer, the step counts, the
 * groups' settings). Covers each optimizer's options, maximize, and parameter groups with
 * their own settings; a parameter that never gets a gradient is left alone.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn, optim } from "../../../engine";
import {
  TensorJson,
  assertTensorMatches,
  camelKeys,
  loadFixture,
  tensorFrom,
} from "../nn/nnFixtures";
import { TrajectoryCase, replayTrajectory } from "./trajectory";

interface StepCase extends TrajectoryCase {
  optimizer: "AdamW" | "RMSprop" | "Adagrad";
  first_group: Record<string, unknown> | null;
  state_dict: {
    state: Record<string, Record<string, TensorJson | number>>;
    param_groups: Record<string, unknown>[];
  };
}

const { cases } = loadFixture<{ cases: StepCase[] }>("optim_steps.json");
const F = nn.functional;
const CLASSES = { AdamW: optim.AdamW, RMSprop: optim.RMSprop, Adagrad: optim.Adagrad };

function optimizerFor(
  c: StepCase,
  params: torch.Tensor[],
  unused: torch.Tensor,
): optim.Optimizer<object> {
  const Opt = CLASSES[c.optimizer] as unknown as new (
    p: unknown,
    o: unknown,
  ) => optim.Optimizer<object>;
  const o = camelKeys(c.kwargs);
  if (!c.first_group) return new Opt([...params, unused], o);
  const groups = [
    { params: params.slice(0, 1), ...camelKeys(c.first_group) },
    { params: [...params.slice(1), unused] },
  ];
  return new Opt(groups, o);
}

/** PyTorch's state_dict against ours: the same positions, keys, buffers and numbers. */
function assertSameStateDict(
  actual: optim.OptimizerStateDict,
  expected: StepCase["state_dict"],
  label: string,
): void {
  assert.deepEqual(
    Object.keys(actual.state),
    Object.keys(expected.state),
    `${label}: positions with state`,
  );
  for (const [pos, want] of Object.entries(expected.state)) {
    const have = actual.state[Number(pos)];
    assert.deepEqual(
      Object.keys(have).sort(),
      Object.keys(camelKeys(want)).sort(),
      `${label}: state ${pos} keys`,
    );
    for (const [key, v] of Object.entries(camelKeys(want))) {
      if (typeof v === "number") assert.equal(have[key], v, `${label}: state ${pos}.${key}`);
      else
        assertTensorMatches(
          have[key] as torch.Tensor,
          v as TensorJson,
          `${label}: state ${pos}.${key}`,
        );
    }
  }
  const groups = expected.param_groups.map((g) => camelKeys(g));
  assert.deepEqual(actual.paramGroups, groups, `${label}: param groups`);
}

for (const c of cases) {
  test(`PyTorch trajectory and stateDict: ${c.name}`, () => {
    const opt = replayTrajectory(c, (params, unused) => optimizerFor(c, params, unused));
    assertSameStateDict(opt.stateDict(), c.state_dict, c.name);
  });
}

test("optim: loadStateDict continues a run exactly where the saved optimizer was", () => {
  const c = cases.find((k) => k.optimizer === "RMSprop" && k.model === "mlp" && k.first_group)!;
  const params = c.init.map((t) => tensorFrom(t).requiresGrad_());
  const [X, y] = [tensorFrom(c.X), tensorFrom(c.y)];
  const loss = (ps: torch.Tensor[]) =>
    F.mseLoss(F.linear(F.linear(X, ps[0], ps[1]).tanh(), ps[2], ps[3]), y);
  const run = (opt: optim.Optimizer<object>, ps: torch.Tensor[], steps: number) => {
    for (let i = 0; i < steps; i++) {
      opt.zeroGrad();
      loss(ps).backward();
      opt.step();
    }
  };
  const first = new optim.RMSprop(
    [{ params: params.slice(0, 1), momentum: 0.9, centered: true }, { params: params.slice(1) }],
    { lr: 0.01 },
  );
  run(first, params, 4);
  const saved = first.stateDict();
  // a fresh optimizer on copies of the parameters, with other settings that the saved groups replace
  const copies = params.map((p) => p.detach().clone().requiresGrad_());
  const second = new optim.RMSprop([{ params: copies.slice(0, 1) }, { params: copies.slice(1) }], {
    lr: 0.5,
  });
  second.loadStateDict(saved);
  assert.equal(second.paramGroups[0].momentum, 0.9);
  assert.equal(second.paramGroups[1].lr, 0.01);
  run(first, params, 4);
  run(second, copies, 4);
  copies.forEach((p, i) =>
    assertTensorMatches(p, c.trajectory[7][i], `parameter ${i} after 4 + 4 steps`),
  );
  params.forEach((p, i) => assert.deepEqual(Array.from(copies[i]._values), Array.from(p._values)));
  // the saved copy is not the live state
  assert.notEqual(
    (saved.state[0].squareAvg as torch.Tensor)._values,
    first.state.get(params[0])!.squareAvg,
  );
});

test("optim: loadStateDict refuses groups that do not match, with PyTorch's messages", () => {
  const [a, b] = [torch.zeros(2, { requiresGrad: true }), torch.zeros(3, { requiresGrad: true })];
  const two = new optim.AdamW([{ params: [a] }, { params: [b] }]);
  const one = new optim.AdamW([a, b]);
  assert.throws(
    () => one.loadStateDict(two.stateDict()),
    /^ValueError: loaded state dict has a different number of parameter groups$/,
  );
  const other = new optim.AdamW([
    { params: [a, b] },
    { params: [torch.zeros(1, { requiresGrad: true })] },
  ]);
  assert.throws(
    () => two.loadStateDict(other.stateDict()),
    /contains a parameter group that doesn't match the size of optimizer's group/,
  );
});

test("optim: each new optimizer checks its settings with PyTorch's messages", () => {
  const p = [torch.zeros(1, { requiresGrad: true })];
  assert.throws(
    () => new optim.RMSprop(p, { alpha: -0.5 }),
    /^ValueError: Invalid alpha value: -0.5$/,
  );
  assert.throws(() => new optim.RMSprop(p, { momentum: -1 }), /Invalid momentum value: -1$/);
  assert.throws(() => new optim.Adagrad(p, { lrDecay: -0.1 }), /Invalid lr_decay value: -0.1$/);
  assert.throws(
    () => new optim.Adagrad(p, { initialAccumulatorValue: -1 }),
    /Invalid initial_accumulator_value value: -1$/,
  );
  assert.throws(() => new optim.AdamW(p, { lr: -1 }), /Invalid learning rate: -1$/);
  assert.equal(new optim.AdamW(p).paramGroups[0].weightDecay, 0.01, "AdamW's default weight decay");
  assert.equal(new optim.Adam(p).paramGroups[0].weightDecay, 0);
});
