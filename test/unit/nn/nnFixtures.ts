/**
 * Replaying the nn fixtures (test/fixtures/torch/nn_*.json, written by make_nn_reference.py):
 * PyTorch's keyword arguments in this API's spelling, and one check of a case's output,
 * backward graph and gradients.
 */
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { Tensor } from "../../../engine";
import { flatten } from "../helpers";
import {
  GraphJson,
  TensorJson,
  assertTensorMatches,
  graphOf,
  tensorFrom,
} from "../engine/torchFixtures";

export {
  loadFixture,
  tensorFrom,
  assertTensorMatches,
  graphOf,
  decode,
} from "../engine/torchFixtures";
export type { TensorJson, GraphJson } from "../engine/torchFixtures";

/** `output_padding` → `outputPadding`, for every key of an options object. */
export function camelKeys<T extends object>(options: T): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).map(([k, v]) => [
      k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
      v,
    ]),
  );
}

/** What every replayed case recorded from PyTorch. */
export interface RecordedCase {
  name: string;
  output: TensorJson;
  graph: GraphJson | null;
  grad_output: TensorJson;
  grads: Record<string, TensorJson | null>;
}

/** A leaf from the fixture that requires grad when `requiresGrad` (null stays null). */
export function leaf(spec: TensorJson | null, requiresGrad = true): torch.Tensor | null {
  return spec ? tensorFrom(spec).requiresGrad_(requiresGrad && spec.dtype === "float32") : null;
}

/** The output's values and gradFn graph, then the gradients after backward(grad_output). */
export function checkOutputAndGraph(out: torch.Tensor, c: RecordedCase): void {
  assertTensorMatches(out, c.output, `${c.name}: output`);
  assert.deepEqual(graphOf(out.gradFn), c.graph, `${c.name}: backward graph`);
}

/** Runs backward with the recorded output gradient and compares each named tensor's `.grad`. */
export function checkGradients(
  out: torch.Tensor,
  c: RecordedCase,
  tensors: Record<string, torch.Tensor | null>,
): void {
  out.backward(tensorFrom(c.grad_output));
  for (const [name, expected] of Object.entries(c.grads)) {
    const t = tensors[name];
    if (expected === null) {
      assert.ok(!t || t.grad === null, `${c.name}: ${name} should get no gradient`);
      continue;
    }
    assertTensorMatches(t!.grad, expected, `${c.name}: gradient of ${name}`);
  }
}

/** A module's parameters have PyTorch's names, order and initial values, bit for bit. */
export function checkInitialParameters(m: torch.nn.Module, expected: [string, TensorJson][]): void {
  const named = m.namedParameters();
  assert.deepEqual(
    named.map(([n]) => n),
    expected.map(([n]) => n),
    "parameter names and order",
  );
  named.forEach(([n, p], i) => {
    // the fixture holds every float32 exactly: equal after rounding to float32 is bit for bit
    const want = Float32Array.from((expected[i][1].values as number[][]).flat(3));
    assert.deepEqual(p.shape, expected[i][1].shape, `initial ${n}: shape`);
    assert.deepEqual(Array.from(p._values), Array.from(want), `initial ${n}: values`);
  });
}

/** What a case with several outputs recorded: values, graphs to `depth`, and gradients. */
export interface MultiOutputCase {
  outputs: TensorJson[];
  graphs: GraphJson[];
  grad_outputs: TensorJson[];
  grads: Record<string, TensorJson | null>;
}

/**
 * Each output's values and backward graph (to `depth`), then one backward through all of
 * them with the recorded gradients and each named tensor's `.grad`.
 */
export function checkOutputsAndGradients(
  outputs: torch.Tensor[],
  c: MultiOutputCase,
  depth: number,
  tensors: Record<string, torch.Tensor | null>,
): void {
  assert.equal(outputs.length, c.outputs.length, "number of outputs");
  outputs.forEach((o, i) => {
    assertTensorMatches(o, c.outputs[i], `output ${i}`);
    assert.deepEqual(graphOf(o.gradFn, 0, depth), c.graphs[i], `backward graph of output ${i}`);
  });
  torch.autograd.backward(outputs, c.grad_outputs.map(tensorFrom));
  for (const [name, expected] of Object.entries(c.grads)) {
    if (expected === null) assert.equal(tensors[name]?.grad ?? null, null, `${name}: no gradient`);
    else assertTensorMatches(tensors[name]!.grad, expected, `gradient of ${name}`);
  }
}

// ---- cases of make_nn_layers_reference.py: named inputs, an op, what PyTorch gave -------------

/** Named input tensors of a case, each with PyTorch's requires_grad. */
export type Inputs = Record<string, TensorJson & { requires_grad: boolean }>;

/** A functional case: the op, its inputs and keyword arguments, and what PyTorch gave. */
export interface FunctionalCase {
  name: string;
  op: string;
  inputs: Inputs;
  kwargs: Record<string, unknown>;
  output: TensorJson;
  graph: GraphJson | null;
  grad_output: TensorJson;
  grads: Record<string, TensorJson | null>;
}

/** An error case: the Python exception type and the first line of its message. */
export interface ErrorCase {
  id: string;
  type: string;
  message: string;
}

/** Bit for bit: the fixtures keep 9 significant digits, which name one float32 exactly. */
export function assertSameFloats(actual: Tensor, expected: TensorJson, label: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
  assert.deepEqual(
    Array.from(actual._values),
    flatten(expected.values).map(Math.fround),
    `${label}: values, bit for bit`,
  );
}

/** Leaves from the fixture's inputs, requiring grad where PyTorch's did. */
export function leavesOf(inputs: Inputs): Record<string, Tensor> {
  return Object.fromEntries(
    Object.entries(inputs).map(([k, spec]) => [
      k,
      tensorFrom(spec).requiresGrad_(spec.requires_grad),
    ]),
  );
}

/** Output, graph, then gradients after backward(grad_output). */
export function checkCase(
  label: string,
  out: Tensor,
  c: {
    output: TensorJson;
    graph: GraphJson | null;
    grad_output: TensorJson;
    grads: Record<string, TensorJson | null>;
  },
  tensors: Record<string, Tensor | null>,
  exact = false,
): void {
  if (exact) assertSameFloats(out, c.output, `${label}: output`);
  else assertTensorMatches(out, c.output, `${label}: output`);
  assert.deepEqual(graphOf(out.gradFn), c.graph, `${label}: backward graph`);
  if (out.requiresGrad) out.backward(tensorFrom(c.grad_output));
  for (const [name, expected] of Object.entries(c.grads)) {
    const t = tensors[name];
    if (expected === null)
      assert.ok(!t || t.grad === null, `${label}: ${name} should get no gradient`);
    else assertTensorMatches(t!.grad, expected, `${label}: gradient of ${name}`);
  }
}

/** Checks each recorded error: same type name, same first line. */
export function checkErrors(cases: ErrorCase[], calls: Record<string, () => unknown>): void {
  for (const c of cases) {
    const call = calls[c.id];
    assert.ok(call, `no call for error case ${c.id}`);
    assert.throws(call, (e: Error) => {
      assert.equal(e.name, c.type, `${c.id}: error type`);
      assert.equal(e.message.split("\n")[0], c.message, `${c.id}: message`);
      return true;
    });
  }
}
