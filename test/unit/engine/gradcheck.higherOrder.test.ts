/**
 * Finite-difference gradchecks of double backward: for each op of higherOrderOps.ts, the
 * function x ↦ ∇x Σ w ⊙ f(x) (computed with createGraph) is itself gradchecked, so the
 * recorded backward formulas are checked against differences of the first gradients.
 */
import { test } from "node:test";
import * as torch from "../../../engine";
import { Tensor } from "../../../engine";
import { gradcheck } from "../gradcheck";
import { HIGHER_ORDER_OPS } from "./higherOrderOps";

torch.manualSeed(97);

/** Fixed weights 0.5, 0.6, … over an output, so that every element counts. */
const weightsLike = (t: Tensor): Tensor =>
  torch.arange(t.numel(), { dtype: "float32" }).mul(0.1).add(0.5).reshape(t.shape);

/** x ↦ the first gradients of Σ w ⊙ f(x), recorded, so they can be differentiated. */
const firstGradients =
  (f: (...xs: Tensor[]) => Tensor) =>
  (...xs: Tensor[]): Tensor[] =>
    torch.enableGrad(() => {
      const out = f(...xs);
      const grads = torch.autograd.grad(out, xs, weightsLike(out), { createGraph: true });
      return grads.filter((g): g is Tensor => g !== null && g.requiresGrad);
    });

// inputs away from kinks and ties (positive where a log or sqrt needs it)
const inputs: Record<string, Tensor[]> = {
  div: [torch.randn(2, 3), torch.rand(2, 3).add(0.5)],
  "pow tensor": [torch.rand(2, 3).add(0.5), torch.randn(2, 3)],
  "exp log sqrt": [torch.rand(2, 3).add(0.5)],
  "mv dot": [torch.randn(2, 3), torch.randn(3)],
  mm: [torch.randn(2, 3), torch.randn(3, 4)],
  "matmul batched": [torch.randn(2, 2, 3), torch.randn(2, 3, 2)],
  linear: [torch.randn(4, 3), torch.randn(2, 3), torch.randn(2)],
};
const shapesOf: Record<string, number[][]> = {
  add: [[2, 3], [3]],
  sub: [
    [2, 3],
    [2, 1],
  ],
  mul: [[2, 3], [3]],
  "clamp maximum": [
    [3, 4],
    [3, 4],
  ],
  mse_loss: [
    [3, 4],
    [3, 4],
  ],
  "mse_loss sum": [
    [3, 4],
    [3, 4],
  ],
  binary_cross_entropy: [
    [3, 4],
    [3, 4],
  ],
  binary_cross_entropy_with_logits: [
    [3, 4],
    [3, 4],
  ],
  conv2d: [[2, 2, 5, 5], [3, 2, 3, 3], [3]],
  "conv1d dilated": [
    [1, 2, 7],
    [2, 2, 3],
  ],
  "conv_transpose2d groups": [
    [1, 4, 3, 3],
    [4, 1, 3, 3],
  ],
  "cat stack split unbind": [
    [3, 4],
    [3, 4],
  ],
  "smooth_l1 huber": [
    [3, 4],
    [3, 4],
  ],
};

// its KL target is detached: differences see b through it, gradients (rightly) do not
const NOT_DIFFERENTIABLE_IN_B = new Set(["l1 kl_div nll"]);

for (const [name, f] of Object.entries(HIGHER_ORDER_OPS)) {
  if (NOT_DIFFERENTIABLE_IN_B.has(name)) continue;
  const xs = inputs[name] ?? (shapesOf[name] ?? [[3, 4]]).map((s) => torch.randn(s));
  test(`gradcheck of double backward: ${name}`, () =>
    gradcheck(firstGradients(f), xs, { eps: 1e-3, atol: 3e-2, rtol: 3e-2 }));
}
