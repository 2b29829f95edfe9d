/**
 * The lr schedulers against PyTorch (optim_schedulers.json): an SGD optimizer with two groups
 * (lr 0.1 and 0.05), then 25 epochs of opt.step() → scheduler.step(), and every group's lr after
 * every epoch; ReduceLROnPlateau stepped with a fixed metric sequence (plateaus, small
 * improvements under the threshold, cooldowns, min lrs), its lrs and bad-epoch counts; and the
 * tutorials' loop: Adam, StepLR and clipGradNorm_ on a small MLP, losses, norms and weights.
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

const S = optim.lrScheduler;

interface SchedulerCase {
  scheduler: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  lrs: number[][];
  last_epoch?: number;
  initial_lrs?: number[];
  metrics?: number[];
  num_bad_epochs?: number[];
  best?: number;
}

const { cases } = loadFixture<{ cases: SchedulerCase[] }>("optim_schedulers.json");

const LAMBDAS: Record<string, (epoch: number) => number> = {
  "0.95 ** epoch": (e) => 0.95 ** e,
  "1 / (epoch + 1)": (e) => 1 / (e + 1),
};

function twoGroupSgd(): optim.SGD {
  const [a, b] = [torch.zeros(2, { requiresGrad: true }), torch.zeros(3, { requiresGrad: true })];
  return new optim.SGD([{ params: [a] }, { params: [b], lr: 0.05 }], { lr: 0.1, momentum: 0.9 });
}

/** `n` epochs of calling `step()` on each, in order. */
function epochs(n: number, ...steppers: { step(): void }[]): void {
  for (let i = 0; i < n; i++) for (const s of steppers) s.step();
}

type Stepping = { step(): void; getLastLr(): number[]; lastEpoch: number };

function build(c: SchedulerCase, opt: optim.SGD): Stepping {
  const o = camelKeys(c.kwargs);
  switch (c.scheduler) {
    case "StepLR": return new S.StepLR(opt, c.args[0] as number, o); // prettier-ignore
    case "MultiStepLR": return new S.MultiStepLR(opt, c.args[0] as number[], o); // prettier-ignore
    case "ExponentialLR": return new S.ExponentialLR(opt, c.args[0] as number, o); // prettier-ignore
    case "CosineAnnealingLR": return new S.CosineAnnealingLR(opt, c.args[0] as number, o); // prettier-ignore
    case "LambdaLR": {
      const names = c.args[0] as string | string[];
      return new S.LambdaLR(
        opt,
        Array.isArray(names) ? names.map((n) => LAMBDAS[n]) : LAMBDAS[names],
      );
    }
  }
  throw new Error(`no scheduler ${c.scheduler}`);
}

/** lrs are doubles in both: equal up to the last bits of libm's cos and pow. */
function assertLrs(actual: number[], expected: number[], label: string): void {
  assert.equal(actual.length, expected.length, label);
  actual.forEach((lr, i) =>
    assert.ok(
      Math.abs(lr - expected[i]) <= 1e-15 + 1e-12 * Math.abs(expected[i]),
      `${label}: group ${i}: ${lr} vs ${expected[i]}`,
    ),
  );
}

for (const c of cases.filter((k) => k.scheduler !== "ReduceLROnPlateau")) {
  test(`PyTorch lr after every epoch: ${c.scheduler}(${JSON.stringify(c.args)}, ${JSON.stringify(c.kwargs)})`, () => {
    const opt = twoGroupSgd();
    const sched = build(c, opt);
    assertLrs(sched.getLastLr(), c.lrs[0], "after construction");
    for (let epoch = 1; epoch < c.lrs.length; epoch++) {
      opt.step();
      sched.step();
      assertLrs(sched.getLastLr(), c.lrs[epoch], `epoch ${epoch}`);
      assertLrs(
        opt.paramGroups.map((g) => g.lr),
        c.lrs[epoch],
        `epoch ${epoch}: the groups' lr`,
      );
    }
    assert.equal(sched.lastEpoch, c.last_epoch);
    assert.deepEqual(
      opt.paramGroups.map((g) => (g as { initialLr?: number }).initialLr),
      c.initial_lrs,
    );
  });
}

for (const c of cases.filter((k) => k.scheduler === "ReduceLROnPlateau")) {
  test(`PyTorch lr after every metric: ReduceLROnPlateau(${JSON.stringify(c.kwargs)})`, () => {
    const opt = twoGroupSgd();
    const o = camelKeys(c.kwargs) as optim.lrScheduler.ReduceLROnPlateauOptions;
    const sched = new S.ReduceLROnPlateau(opt, o);
    c.metrics!.forEach((m, i) => {
      opt.step();
      sched.step(i % 2 ? torch.tensor(m) : m); // a number or a one-element tensor
      assertLrs(
        opt.paramGroups.map((g) => g.lr),
        c.lrs[i],
        `step ${i} (metric ${m})`,
      );
      assert.equal(sched.numBadEpochs, c.num_bad_epochs![i], `step ${i}: bad epochs`);
    });
    assert.ok(Math.abs(sched.best - c.best!) < 1e-6, `best ${sched.best} vs ${c.best}`);
  });
}

test("lrScheduler: positional settings are PyTorch's order, the same as the options object", () => {
  const [a, b] = [twoGroupSgd(), twoGroupSgd()];
  const [s1, s2] = [new S.StepLR(a, 2, 0.5), new S.StepLR(b, 2, { gamma: 0.5 })];
  epochs(5, a, b, s1, s2);
  assert.deepEqual(s1.getLastLr(), s2.getLastLr());
  assert.deepEqual(s1.getLastLr(), [0.025, 0.0125]);
});

test("lrScheduler: a required setting may come in the options object; missing, it is PyTorch's TypeError", () => {
  // `new StepLR(opt, { stepSize: 2, gamma: 0.5 })` reads as TypeScript: it must not run with
  // an options object as its step size (no decay ever, no error)
  const [a, b, c] = [twoGroupSgd(), twoGroupSgd(), twoGroupSgd()];
  const [s1, s2, s3] = [
    new S.StepLR(a, 2, 0.5),
    new S.StepLR(b, { stepSize: 2, gamma: 0.5 }),
    new S.ExponentialLR(c, { gamma: 0.5 }),
  ];
  epochs(5, a, b, s1, s2);
  assert.deepEqual(s2.getLastLr(), s1.getLastLr());
  assert.equal(s3.gamma, 0.5);
  assert.deepEqual(new S.MultiStepLR(twoGroupSgd(), { milestones: [2, 4] }).milestones, {
    2: 1,
    4: 1,
  });
  assert.equal(new S.CosineAnnealingLR(twoGroupSgd(), { tMax: 10 }).tMax, 10);
  assert.throws(() => new S.StepLR(twoGroupSgd(), { gamma: 0.5 } as never), {
    name: "TypeError",
    message: "StepLR.__init__() missing 1 required positional argument: 'step_size'",
  });
  assert.throws(() => new S.StepLR(twoGroupSgd(), 2, { stepSize: 3 } as never), {
    name: "TypeError",
    message: "StepLR.__init__() got multiple values for argument 'step_size'",
  });
});

test("lrScheduler: stateDict/loadStateDict resume a schedule where it was", () => {
  const a = twoGroupSgd();
  const s1 = new S.CosineAnnealingLR(a, 6, { etaMin: 0.001 });
  epochs(4, a, s1);
  const saved = s1.stateDict();
  assert.equal(saved.optimizer, undefined);
  const b = twoGroupSgd();
  const s2 = new S.CosineAnnealingLR(b, 6, { etaMin: 0.001 });
  b.loadStateDict(a.stateDict());
  s2.loadStateDict(saved);
  epochs(5, a, s1, b, s2);
  assert.deepEqual(s2.getLastLr(), s1.getLastLr());
  assert.equal(s2.lastEpoch, 9);
});

test("lrScheduler: PyTorch's errors and its warning for stepping before the optimizer", () => {
  assert.throws(() => new S.StepLR({} as optim.SGD, 2), /^TypeError: Object is not an Optimizer$/);
  assert.throws(
    () => new S.StepLR(twoGroupSgd(), 2, { lastEpoch: 3 }),
    /^KeyError: param 'initial_lr' is not specified in param_groups\[0\] when resuming an optimizer$/,
  );
  assert.throws(
    () => new S.LambdaLR(twoGroupSgd(), [(e) => e]),
    /^ValueError: Expected 2 lr_lambdas, but got 1$/,
  );
  assert.throws(
    () => new S.ReduceLROnPlateau(twoGroupSgd(), { factor: 1 }),
    /^ValueError: Factor should be < 1.0.$/,
  );
  assert.throws(
    () => new S.ReduceLROnPlateau(twoGroupSgd(), { minLr: [0] }),
    /^ValueError: expected 2 min_lrs, got 1$/,
  );
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (m: string) => void warnings.push(m);
  try {
    const opt = twoGroupSgd();
    const sched = new S.ExponentialLR(opt, 0.5);
    sched.step(); // before any opt.step()
    sched.step();
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0],
      /^Detected call of `lr_scheduler.step\(\)` before `optimizer.step\(\)`/,
    );
    const ok = twoGroupSgd();
    const fine = new S.ExponentialLR(ok, 0.5);
    ok.step();
    fine.step();
    assert.equal(warnings.length, 1, "no warning in the right order");
  } finally {
    console.warn = original;
  }
});

interface TrainingCase {
  X: TensorJson;
  y: TensorJson;
  init: [string, TensorJson][];
  losses: number[];
  norms: number[];
  lrs: number[];
  final: [string, TensorJson][];
}

test("a training loop with Adam, StepLR and clipGradNorm_ follows PyTorch's for 10 epochs", () => {
  const c = loadFixture<{ training: TrainingCase[] }>("optim_schedulers.json").training[0];
  const net = new nn.Sequential(new nn.Linear(4, 8), new nn.Tanh(), new nn.Linear(8, 2));
  net.loadStateDict(Object.fromEntries(c.init.map(([n, t]) => [n, tensorFrom(t)])));
  const [X, y] = [tensorFrom(c.X), tensorFrom(c.y)];
  const opt = new optim.Adam(net.parameters(), { lr: 0.05 });
  const sched = new S.StepLR(opt, 3, { gamma: 0.5 });
  c.losses.forEach((want, epoch) => {
    opt.zeroGrad();
    const loss = nn.functional.mseLoss(net.forward(X), y);
    loss.backward();
    const norm = nn.utils.clipGradNorm_(net.parameters(), 0.5).item();
    opt.step();
    sched.step();
    assert.ok(Math.abs(loss.item() - want) <= 1e-5 * (1 + want), `epoch ${epoch}: loss ${loss.item()} vs ${want}`); // prettier-ignore
    assert.ok(
      Math.abs(norm - c.norms[epoch]) <= 1e-5 * (1 + c.norms[epoch]),
      `epoch ${epoch}: norm`,
    );
    assertLrs(sched.getLastLr(), [c.lrs[epoch]], `epoch ${epoch}`);
  });
  for (const [name, want] of c.final) assertTensorMatches(net.stateDict()[name], want, name);
});
