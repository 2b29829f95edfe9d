/**
 * Replaying the nn fixtures (test/fixtures/torch/nn_*.json, written by make_nn_reference.py):
 * PyTorch's keyword arguments in this API's spelling, and one check of a case's output,
 * backward graph and gradients.
 */
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
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
