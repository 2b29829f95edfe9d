/**
 * examples/training_loop.ts (AdamW, StepLR, clipGradNorm_) run as the editor runs it, in the
 * sandbox: what it logs every 10 epochs is PyTorch's (optim_schedulers.json, from the same
 * program in PyTorch), and its graph is the last epoch's, once, layer by layer.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { runInSandbox } from "./fixtures";
import { loadFixture } from "../nn/nnFixtures";

interface Logged { epoch: number; loss: number; accuracy: number; norm: number; lr: number } // prettier-ignore
const { example } = loadFixture<{ example: { logged: Logged[] }[] }>("optim_schedulers.json");
const FILE = path.resolve(__dirname, "../../../../examples/training_loop.ts");

test("examples/training_loop.ts: PyTorch's losses, accuracies, gradient norms and lrs; a layered graph", async () => {
  const r = await runInSandbox({ file: FILE, source: fs.readFileSync(FILE, "utf8") });
  assert.equal(r.error, undefined, r.error?.message);
  const lines = r.logs.filter((l) => l.startsWith("epoch "));
  assert.equal(lines.length, example[0].logged.length, r.logs.join("\n"));
  example[0].logged.forEach((want, i) => {
    const m = /^epoch (\d+): loss ([\d.]+), accuracy ([\d.]+)%, grad norm ([\d.]+), next lr ([\d.e-]+)$/.exec(lines[i]); // prettier-ignore
    assert.ok(m, lines[i]);
    const [epoch, loss, accuracy, norm, lr] = m.slice(1).map(Number);
    assert.equal(epoch, want.epoch);
    assert.ok(Math.abs(loss - want.loss) <= 1e-4, `${lines[i]} vs loss ${want.loss}`);
    assert.ok(Math.abs(accuracy - want.accuracy * 100) <= 0.1, `${lines[i]} vs ${want.accuracy}`);
    assert.ok(Math.abs(norm - want.norm) <= 1e-3, `${lines[i]} vs norm ${want.norm}`);
    assert.equal(lr, want.lr);
  });
  assert.deepEqual(r.roots, ["loss"]);
  const modules = r.graph.nodes.filter((n) => n.kind === "module").map((n) => n.label);
  assert.deepEqual(modules, [
    "net (Sequential)", "net.0 (Linear)", "net.1 (ReLU)", "net.2 (Linear)", "net.3 (ReLU)",
    "net.4 (Linear)", "lossFn (CrossEntropyLoss)",
  ]); // prettier-ignore
});
