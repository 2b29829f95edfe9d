/**
 * Gradient warnings, from graphs of small model files built to trigger each kind (run in the
 * sandbox as the editor runs them, backward included), and none on healthy ones.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import type { GradientWarning, GraphDto } from "../../../webview/protocol";
import { gradientWarnings, powerOfTen } from "../../../extension/sandbox/graph/gradientWarnings";
import { runHere, warningModel } from "../runner/fixtures";

async function graphOf(name: string): Promise<GraphDto> {
  const r = await warningModel(name);
  assert.ok(r.ok, r.error?.message);
  return r.graph;
}

const labelOf = (g: GraphDto, id: string | undefined) => g.nodes.find((n) => n.id === id)?.label;

function only(ws: GradientWarning[], kind: GradientWarning["kind"]): GradientWarning[] {
  return ws.filter((w) => w.kind === kind);
}

test("powerOfTen: the nearest power of ten, exponent in superscript", () => {
  assert.equal(powerOfTen(2.3e4), "10⁴");
  assert.equal(powerOfTen(1e-12), "10⁻¹²");
  assert.equal(powerOfTen(7), "10¹");
});

test("gradient warnings: six sigmoid layers — the first layer's gradient vanishes; sigmoid named", async () => {
  const g = await graphOf("vanishing");
  assert.deepEqual(g.warnings, gradientWarnings(g), "the graph carries what the module finds");
  const [w, ...more] = g.warnings!;
  assert.equal(more.length, 0, JSON.stringify(more));
  assert.equal(w.kind, "vanishing");
  assert.equal(labelOf(g, w.nodeId), "net.0 (Linear)");
  assert.equal(labelOf(g, w.relativeTo), "net.10 (Linear)");
  assert.ok(w.factor! > 1e3, String(w.factor));
  assert.equal(w.cause, "sigmoid");
  assert.match(
    w.message,
    /^net\.0's gradient is 10[⁰-⁹]+× smaller than net\.10's: sigmoid saturates/,
  );
  assert.equal(w.location?.line, 8, "the layer's construction");
  assert.ok(w.marked.includes(w.nodeId));
});

test("gradient warnings: weights 8× too large — the first layer's gradient explodes", async () => {
  const g = await graphOf("gradExploding");
  const [w, ...more] = g.warnings!;
  assert.equal(more.length, 0, JSON.stringify(more));
  assert.equal(w.kind, "exploding");
  assert.equal(labelOf(g, w.nodeId), "fc1 (Linear)");
  assert.equal(labelOf(g, w.relativeTo), "fc6 (Linear)");
  assert.equal(w.cause, undefined);
  assert.match(w.message, /^fc1's gradient is 10[⁰-⁹]+× larger than fc6's$/);
});

test("gradient warnings: a dead ReLU — zero gradients told before and after it", async () => {
  const g = await graphOf("gradDeadRelu");
  const zero = only(g.warnings!, "zero");
  const about = (label: string) => zero.find((w) => labelOf(g, w.nodeId) === label);
  for (const p of ["fc1.weight", "fc1.bias"]) {
    assert.equal(about(p)?.cause, "deadRelu", p);
    assert.match(
      about(p)!.message,
      new RegExp(`^${p}'s gradient is exactly zero: the ReLU after fc1 is dead`),
    );
  }
  assert.match(
    about("fc2.weight")!.message,
    /the ReLU before fc2 is dead, so fc2's input is all zeros/,
  );
  assert.equal(about("fc2.bias"), undefined, "fc2's bias still learns");
  assert.equal(g.warnings!.length, 3);
});

test("gradient warnings: a detached branch — its parameters get no gradient", async () => {
  const g = await graphOf("gradDetached");
  const none = only(g.warnings!, "none");
  assert.deepEqual(none.map((w) => labelOf(g, w.nodeId)).sort(), ["fc1.bias", "fc1.weight"]);
  assert.equal(none[0].cause, "detached");
  assert.match(none[0].message, /got no gradient: backward never reached it \(a detached branch/);
  assert.equal(g.warnings!.length, 2);
});

test("gradient warnings: √0 — Infinity named at the op whose backward made it", async () => {
  const g = await graphOf("gradNonFinite");
  const [w, ...more] = g.warnings!;
  assert.equal(more.length, 0, JSON.stringify(more));
  assert.equal(w.kind, "nonFinite");
  assert.equal(labelOf(g, w.nodeId), "SqrtBackward0");
  assert.match(w.message, /^The gradient becomes Inf in SqrtBackward0's backward \(line 6\)/);
  assert.equal(w.location?.line, 6);
});

test("gradient warnings: none for healthy graphs, none before backward", async () => {
  for (const name of ["seed", "customFunction"]) {
    const g = await graphOf(name);
    assert.deepEqual(g.warnings ?? [], [], name);
  }
  const before = await runHere("gradExploding");
  assert.ok(before.ok && !before.graph.hasGradients);
  assert.deepEqual(before.graph.warnings ?? [], []);
});
