/**
 * The examples run as a user runs them (the sandbox, then Run Backward) and give PyTorch's
 * numbers: examples/resnet_block.ts against the same model written in PyTorch
 * (make_nn_layers_reference.py, nn_layers.json "examples"): the loss, every parameter's
 * gradient, each batch norm's running mean after the forward, and a graph with the module boxes.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { runInSandbox } from "./fixtures";
import { loadFixture, type TensorJson } from "../engine/torchFixtures";
import { flatten } from "../helpers";

interface ExampleCase {
  name: string;
  loss: number;
  logits: TensorJson;
  grads: Record<string, TensorJson>;
  running_means: Record<string, TensorJson>;
}

const { examples } = loadFixture<{ examples: ExampleCase[] }>("nn_layers.json");
const EXAMPLES = path.resolve(__dirname, "../../../../examples");

const close = (got: number, want: number, label: string) =>
  assert.ok(
    Math.abs(got - want) <= 1e-5 + 1e-4 * Math.abs(want),
    `${label}: got ${got}, expected ${want}`,
  );

test("examples/resnet_block.ts: PyTorch's loss, gradients and running statistics, with its module boxes", async () => {
  const c = examples.find((e) => e.name === "examples/resnet_block.ts")!;
  const file = path.join(EXAMPLES, "resnet_block.ts");
  // the running means are buffers, not in the graph: the run prints them after the file's code
  const source =
    fs.readFileSync(file, "utf8") +
    "\nconsole.log(JSON.stringify(net.namedModules().filter(([, m]) => m instanceof nn.BatchNorm2d)" +
    ".map(([n, m]) => [`net.${n}.running_mean`, Array.from((m as nn.BatchNorm2d).runningMean!.tolist() as number[])])));\n";
  const r = await runInSandbox({ file, source, backward: {} });
  assert.equal(r.error, undefined, r.error?.message);
  const nodes = r.graph.nodes;

  const loss = nodes.find((n) => n.label === "loss")!;
  close(loss.value!.values![0], c.loss, "loss");
  for (const [name, grad] of Object.entries(c.grads)) {
    const node = nodes.find((n) => n.label === name);
    assert.ok(node?.grad, `${name}: a gradient in the graph`);
    const want = flatten(grad.values);
    close(node.grad.norm, Math.hypot(...want), `${name}: gradient norm`);
    node.grad.values!.forEach((v, i) => close(v, want[i], `${name}: gradient ${i}`));
  }
  const means = new Map(JSON.parse(r.logs[r.logs.length - 1]) as [string, number[]][]);
  assert.deepEqual([...means.keys()], Object.keys(c.running_means));
  for (const [name, mean] of Object.entries(c.running_means)) {
    flatten(mean.values).forEach((v, i) => close(means.get(name)![i], v, `${name}[${i}]`));
  }

  const boxes = nodes.filter((n) => n.kind === "module").map((n) => n.label);
  for (const box of [
    "block1 (BasicBlock)",
    "block2 (BasicBlock)",
    "bn1 (BatchNorm2d)",
    "shortcut (Sequential)",
    "pool (AdaptiveAvgPool2d)",
  ])
    assert.ok(boxes.includes(box), `a module box ${box} in [${boxes.join(", ")}]`);
});
