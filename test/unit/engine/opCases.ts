/**
 * One PyTorch op case of the fixtures (make_core_reference.py's `run_case`), replayed with the
 * engine: output values, shape, dtype, printed form, grad_fn name, the backward graph, and the
 * gradient of every input for PyTorch's upstream gradient. Each test file brings its own table
 * from fixture op names to engine calls.
 */
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { Tensor } from "../../../engine";
import {
  GraphJson,
  TensorJson,
  assertTensorMatches,
  graphOf,
  ourSpelling,
  tensorFrom,
} from "./torchFixtures";

export type Input = Tensor | number;
type InputJson = (TensorJson & { requires_grad: boolean }) | { scalar: number };

interface OutputJson extends TensorJson {
  requires_grad: boolean;
  grad_fn: string | null;
  graph: GraphJson | null;
  str: string;
  upstream: TensorJson | null;
}

export interface OpCase<Args> {
  name: string;
  op: string;
  args: Args;
  /** Ops applied to an input first (`pick`: which output of a multi-output op). */
  pre: { input: number; op: string; args?: Args; pick?: number }[];
  inputs: InputJson[];
  outputs: OutputJson[];
  grads: (TensorJson | null)[];
}

/** Each fixture op name and the engine call it stands for. */
export type OpTable<Args> = Record<string, (inputs: Input[], args: Args) => Tensor | Tensor[]>;

/** Runs one fixture case; `exact`: float values must equal PyTorch's bit for bit. */
export function runOpCase<Args extends object>(
  c: OpCase<Args>,
  ops: OpTable<Args>,
  exact = false,
): void {
  const leaves: Input[] = c.inputs.map((spec) =>
    "scalar" in spec ? spec.scalar : tensorFrom(spec),
  );
  const inputs = leaves.slice();
  for (const p of c.pre) {
    const out = ops[p.op]([inputs[p.input]], p.args ?? ({} as Args));
    inputs[p.input] = Array.isArray(out) ? out[p.pick ?? 0] : out;
  }
  const op = ops[c.op];
  assert.ok(op, `no engine call for fixture op ${c.op}`);
  const result = op(inputs, c.args);
  const outputs = Array.isArray(result) ? result : [result];
  assert.equal(outputs.length, c.outputs.length, "number of outputs");

  const roots: Tensor[] = [];
  const upstream: Tensor[] = [];
  outputs.forEach((out, i) => {
    const want = c.outputs[i];
    const label = `output ${i}`;
    assertTensorMatches(out, want, label, exact);
    assert.equal(out.requiresGrad, want.requires_grad, `${label}: requiresGrad`);
    assert.equal(out.gradFn?.name ?? null, want.grad_fn, `${label}: gradFn`);
    assert.deepEqual(graphOf(out.gradFn), want.graph, `${label}: backward graph`);
    assert.equal(out.toString(), ourSpelling(want.str), `${label}: printed form`);
    if (want.upstream) {
      roots.push(out);
      upstream.push(tensorFrom(want.upstream));
    }
  });
  if (roots.length > 0) torch.autograd.backward(roots, upstream);
  leaves.forEach((leaf, i) => {
    const want = c.grads[i];
    const grad = leaf instanceof Tensor ? leaf.grad : null;
    if (want === null) assert.equal(grad, null, `input ${i}: expected no gradient`);
    else assertTensorMatches(grad, want, `gradient of input ${i}`);
  });
}
