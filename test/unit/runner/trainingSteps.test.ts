/**
 * Gradients over a training loop, as the sandbox records them at each optimizer `step()`: each
 * parameter's ‖grad‖ per step equals the one the engine itself computes at that step
 * (`p.grad.norm()`, printed by the model file before its `step()`), for TypeScript and Python
 * files, a stalled loop and an exploding one; a long loop keeps an evenly thinned subset.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../../extension/cli";
import * as torch from "../../../engine/index";
import { model, MODELS, runHere, runInSandbox } from "./fixtures";
import { MAX_STEP_POINTS, StepRecorder } from "../../../extension/sandbox/trainingSteps";
import type { StepSeries, TrainingSteps } from "../../../webview/protocol";
import type { RunResult } from "../../../extension/runProtocol/types";

/** What the model printed before each step: `step N name value` → name → values by step. */
function printedNorms(logs: string[]): Map<string, number[]> {
  const byName = new Map<string, number[]>();
  for (const line of logs) {
    const m = /^step (\d+) (\S+) (\S+)$/.exec(line);
    if (!m) continue;
    const list = byName.get(m[2]) ?? [];
    list[Number(m[1]) - 1] = Number(m[3]);
    byName.set(m[2], list);
  }
  return byName;
}

function close(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null, `${what}: recorded`);
  const tolerance = 1e-6 * Math.abs(expected) + 1e-30; // float32 norm vs float64 sum
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);
}

/** The recorded steps equal the printed ones, parameter by parameter and step by step. */
function assertRecordedAsPrinted(r: RunResult, steps: number): TrainingSteps {
  assert.equal(r.ok, true, r.error?.message);
  const t = r.graph.trainingSteps;
  assert.ok(t, "the graph carries the training steps");
  assert.deepEqual([t.totalSteps, t.stride], [steps, 1]);
  const printed = printedNorms(r.logs);
  const { loss, ...params } = Object.fromEntries(printed);
  assert.deepEqual(Object.keys(t.gradNorms).sort(), Object.keys(params).sort());
  const series: [string, StepSeries | undefined, number[]][] = [
    ...Object.entries(params).map(([n, v]): [string, StepSeries, number[]] => [
      n,
      t.gradNorms[n],
      v,
    ]),
    ["loss", t.loss, loss],
  ];
  for (const [name, recorded, expected] of series) {
    assert.ok(recorded, `${name} recorded`);
    assert.deepEqual(
      recorded.steps,
      expected.map((_, i) => i + 1),
      `${name}: every step, in order`,
    );
    expected.forEach((v, i) => close(recorded.values[i], v, `${name} at step ${i + 1}`));
  }
  // the table's rows are named as the table names them
  const paramLabels = r.graph.nodes.filter((n) => n.kind === "param").map((n) => n.label);
  assert.deepEqual(paramLabels.sort(), Object.keys(t.gradNorms).sort());
  return t;
}

test("training steps: a stalled sigmoid net's per-step ‖grad‖ are the engine's, and show the stall", async () => {
  const t = assertRecordedAsPrinted(await runHere("trainStalled"), 30);
  const at = (name: string, step: number): number => t.gradNorms[name].values[step - 1]!;
  assert.ok(at("net.0.weight", 1) < 1e-6 * at("net.16.weight", 1), "vanishing from the start");
  const loss = t.loss!.values as number[];
  loss
    .slice(2)
    .forEach((v, i) => assert.ok(Math.abs(v - loss[2]) < 1e-3, `loss flat at step ${i + 3}`));
  for (const [name, s] of Object.entries(t.gradNorms))
    s.values.slice(4).forEach((v, i) => assert.ok(v! < 1e-5, `${name} at step ${i + 5}: ${v}`));
});

test("training steps: an exploding regression's per-step ‖grad‖ are the engine's and grow at every step", async () => {
  const t = assertRecordedAsPrinted(await runHere("trainExploding"), 15);
  const w = t.gradNorms["model.weight"].values as number[];
  for (let i = 1; i < w.length; i++) assert.ok(w[i] > 5 * w[i - 1], `step ${i + 1} grows`);
});

const PYTHON_LOOP = `import torch
from torch import nn

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
x = torch.randn(8, 3)
y = torch.randn(8, 1)
optimizer = torch.optim.Adam(net.parameters(), lr=0.05)
for step in range(1, 6):
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(net(x), y)
    loss.backward()
    for name, p in net.named_parameters():
        print(f"step {step} net.{name} {p.grad.norm().item()}")
    print(f"step {step} loss {loss.item()}")
    optimizer.step()
`;

test("training steps: a Python training loop records the same per-step ‖grad‖ as the engine computes", async () => {
  const r = await runInSandbox({ file: path.join(MODELS, "trainLoop.py"), source: PYTHON_LOOP });
  const t = assertRecordedAsPrinted(r, 5);
  assert.deepEqual(Object.keys(t.gradNorms).sort(), [
    "net.0.bias",
    "net.0.weight",
    "net.2.bias",
    "net.2.weight",
  ]);
});

test("training steps: a run that steps no optimizer carries none", async () => {
  const r = await runHere("seed", { backward: {} });
  assert.equal(r.ok, true, r.error?.message);
  assert.equal(r.graph.trainingSteps, undefined);
});

test("training steps: a long loop keeps every stride-th step, evenly, with the norms of those steps", () => {
  const recorder = new StepRecorder();
  const p = torch.zeros([3], { requiresGrad: true });
  const q = torch.zeros([2], { requiresGrad: true });
  const steps = 1000;
  for (let s = 1; s <= steps; s++) {
    p.grad = torch.tensor([s, 0, 0]); // ‖grad‖ = s
    q.grad = s % 2 ? null : torch.tensor([3 * s, 4 * s]); // ‖grad‖ = 5s, on even steps only
    recorder.backward([torch.tensor(s / 10)]);
    recorder.step([p, q]);
  }
  const t = recorder.result((t) => (t === p ? "p" : t === q ? "q" : undefined))!;
  assert.deepEqual([t.totalSteps, t.stride], [steps, 8]); // 1000 / 8 = 125 ≤ 200 < 1000 / 4
  const kept = Array.from({ length: Math.ceil(steps / 8) }, (_, i) => 1 + 8 * i);
  assert.ok(kept.length <= MAX_STEP_POINTS);
  assert.deepEqual(t.gradNorms.p, { steps: kept, values: kept });
  // steps 1, 9, 17, … are odd: q had no gradient at any of them
  assert.deepEqual(t.gradNorms.q, { steps: kept, values: kept.map(() => null) });
  assert.deepEqual(t.loss?.steps, kept);
  t.loss!.values.forEach((v, i) => close(v, Math.fround(kept[i] / 10), `loss at ${kept[i]}`));
});

test("training steps: the CLI's JSON and page carry the same steps as the panel's run", async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gradlens-steps-"));
  const [json, html] = [path.join(tmp, "steps.json"), path.join(tmp, "steps.html")];
  const bundle = path.resolve(__dirname, "../../../../dist/webview.js");
  const args = ["run", model("trainExploding").file, "--json", json];
  const code = await main(
    fs.existsSync(bundle) ? [...args, "--html", html] : args,
    () => undefined,
  );
  assert.equal(code, 0);
  const expected = (await runHere("trainExploding")).graph.trainingSteps;
  assert.equal(expected?.gradNorms["model.weight"].steps.length, 15);
  assert.deepEqual(JSON.parse(fs.readFileSync(json, "utf8")).trainingSteps, expected);
  if (!fs.existsSync(bundle)) return;
  const page = fs.readFileSync(html, "utf8");
  const embedded = /<script type="application\/json" id="gradlens-graph">(.*?)<\/script>/s.exec(
    page,
  );
  assert.deepEqual(JSON.parse(embedded![1]).trainingSteps, expected);
});
