/**
 * The d2l autograd chapter's three tabs as example files (PyTorch, TensorFlow, MXNet), run the
 * way the editor runs them (in the model sandbox, importing "gradlens", "gradlens/tf" and
 * "gradlens/mxnet"): each prints the chapter's values, and Run Backward on a front end's file
 * fills in the graph's gradients. TensorFlow and MXNet are not installed here: the expected
 * lines are the values the chapter prints (the same in its three tabs).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { nodeLabelled, runInSandbox } from "./fixtures";
import type { RunRequest, RunResult } from "../../../extension/runProtocol/types";

const EXAMPLES = path.resolve(__dirname, "../../../../examples");

function example(name: string): RunRequest {
  const file = path.join(EXAMPLES, name);
  return { file, source: fs.readFileSync(file, "utf8") };
}

/** Runs model code given as lines, with Run Backward from `y`; it must succeed. */
async function runLinesWithBackward(name: string, lines: string[]): Promise<RunResult> {
  const source = lines.join("\n");
  const r = await runInSandbox({ file: path.join(EXAMPLES, name), source, backward: { root: "y" } });
  assert.equal(r.ok, true, r.error?.message);
  return r;
}

/** What all three tabs print, in order, after the framework's own first lines. */
const SHARED = [
  "y: 28",
  "x.grad: [ 0, 4, 8, 12 ]",
  "x.grad == 4x: [ true, true, true, true ]",
  "x.grad: [ 1, 1, 1, 1 ]",
  "x.grad: [ 0, 2, 4, 6 ]",
  "x.grad == u: [ true, true, true, true ]",
  "x.grad == 2x: [ true, true, true, true ]",
  "a.grad == d / a: true",
];
const TF_NAMES = (line: string): string =>
  line
    .replace("x.grad == u", "dz/dx == u")
    .replace("x.grad == 2x", "dy/dx == 2x")
    .replace("x.grad == 4x", "dy/dx == 4x")
    .replace("a.grad == d / a", "d_grad == d / a")
    .replace(/^x\.grad: \[ 0, 4/, "dy/dx: [ 0, 4")
    .replace(/^x\.grad: \[ 1/, "d sum(x)/dx: [ 1")
    .replace(/^x\.grad: \[ 0, 2/, "d(x*x)/dx: [ 0, 2");

for (const [file, first, rename] of [
  ["d2l_autograd.ts", ["x: [ 0, 1, 2, 3 ]", "x.grad: null"], (l: string) => l],
  ["d2l_autograd_mxnet.ts", ["x: [ 0, 1, 2, 3 ]", "x.grad: [ 0, 0, 0, 0 ]"], (l: string) => l],
  ["d2l_autograd_tf.ts", ["x: [ 0, 1, 2, 3 ]"], TF_NAMES],
] as const) {
  test(`d2l autograd example ${file} prints the chapter's values`, async () => {
    const r = await runInSandbox(example(file));
    assert.equal(r.ok, true, r.error?.message);
    assert.deepEqual(r.logs, [...first, ...SHARED.map(rename)]);
  });
}

test("a TensorFlow file draws the tape's graph, and Run Backward from y gives x its gradient", async () => {
  const r = await runLinesWithBackward("tf_run_backward.ts", [
    'import * as tf from "gradlens/tf";',
    "const x = new tf.Variable(tf.range(4, { dtype: tf.float32 }));",
    "const t = new tf.GradientTape();",
    "const y = t.record(() => tf.tensordot(x, x, 1).mul(2));",
  ]);
  // TensorFlow's op names: 2·tensordot(x, x, 1) is Reshape, MatMul, Reshape, Mul
  const ops = r.graph.nodes.filter((n) => n.kind === "op").map((n) => n.label);
  assert.deepEqual([...ops].sort(), ["AccumulateGrad", "MatMul", "Mul", "Reshape", "Reshape", "Reshape"]);
  assert.deepEqual(nodeLabelled(r.graph, "x").grad!.values, [0, 4, 8, 12]);
});

test("an MXNet file's Run Backward gives x the gradient of its non-scalar head, summed", async () => {
  const r = await runLinesWithBackward("mx_run_backward.ts", [
    'import { np, autograd } from "gradlens/mxnet";',
    "const x = np.arange(4.0);",
    "x.attachGrad();",
    "const y = autograd.record(() => x.mul(x));",
  ]);
  assert.deepEqual(nodeLabelled(r.graph, "x").grad!.values, [0, 2, 4, 6]);
  const ops = r.graph.nodes.filter((n) => n.kind === "op").map((n) => n.label);
  assert.deepEqual([...ops].sort(), ["AccumulateGrad", "_npi_multiply"]); // MXNet's name for x * x
});

test("a missing name of gradlens/tf is named as the file wrote it", async () => {
  const source = 'import * as tf from "gradlens/tf";\nconst y = tf.reduce_sum(tf.ones([2]));\n';
  const r = await runInSandbox({ file: path.join(EXAMPLES, "tf_missing.ts"), source });
  assert.equal(r.ok, false);
  assert.match(r.error!.message, /tf\.reduce_sum is not part of Gradlens \(did you mean tf\.reduceSum\?\)/);
});

for (const file of ["d2l_autograd.ts", "d2l_autograd_mxnet.ts", "d2l_autograd_tf.ts"]) {
  test(`Run Backward with no root on ${file}, which runs backward itself, keeps the file's gradients`, async () => {
    // The last scalar nobody consumed is a temporary of the file's loop (`b.sum().item() > 0`),
    // whose graph the file's own backward has freed: starting there again would fail.
    const r = await runInSandbox({ ...example(file), backward: {} });
    assert.equal(r.ok, true, r.error?.message);
    assert.equal(r.graph.hasGradients, true);
    assert.equal(r.logs.at(-1), SHARED.map(file.endsWith("_tf.ts") ? TF_NAMES : (l) => l).at(-1));
  });
}
