/**
 * Finite-difference gradient check, as PyTorch's `torch.autograd.gradcheck` but in float32:
 * the analytic gradient of L = Σ w ⊙ f(inputs) (w fixed random weights, so every output
 * element matters) is compared with central differences (L(x+ε) − L(x−ε)) / 2ε per element.
 */
import * as assert from "node:assert/strict";
import * as torch from "../../engine";

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Inputs (by index) not to check, e.g. integer targets. */
  skip?: number[];
}

/** Deterministic weights in [0.5, 1.5) so that no output element is ignored. */
function weightsFor(n: number): Float32Array {
  const w = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    w[i] = 0.5 + (s >>> 8) / 2 ** 24;
  }
  return w;
}

function weightedSum(outputs: torch.Tensor | torch.Tensor[]): number {
  const list = Array.isArray(outputs) ? outputs : [outputs];
  let total = 0;
  for (const out of list) {
    const w = weightsFor(out.numel());
    for (let i = 0; i < w.length; i++) total += w[i] * out._values[i];
  }
  return total;
}

/**
 * Checks the gradient `f` gives each input against finite differences.
 * @example gradcheck((a, b) => a.mul(b), [torch.randn(2, 3), torch.randn(3)]);
 */
export function gradcheck(
  f: (...inputs: torch.Tensor[]) => torch.Tensor | torch.Tensor[],
  inputs: torch.Tensor[],
  { eps = 1e-2, atol = 2e-2, rtol = 2e-2, skip = [] }: GradcheckOptions = {},
): void {
  const leaves = inputs.map((t, i) => (skip.includes(i) ? t : t.detach().requiresGrad_(true)));
  const outputs = f(...leaves);
  const list = Array.isArray(outputs) ? outputs : [outputs];
  const roots = list.filter((o) => o.requiresGrad);
  assert.ok(roots.length > 0, "gradcheck: no output requires grad");
  torch.autograd.backward(
    roots,
    roots.map((o) => torch.Tensor._make(weightsFor(o.numel()), o.shape.slice())),
  );
  leaves.forEach((leaf, k) => {
    if (skip.includes(k)) return;
    const analytic = leaf.grad ? Array.from(leaf.grad._values) : new Array(leaf.numel()).fill(0);
    const values = leaf._values;
    for (let i = 0; i < values.length; i++) {
      const original = values[i];
      values[i] = original + eps;
      const plus = torch.noGrad(() => weightedSum(f(...leaves)));
      values[i] = original - eps;
      const minus = torch.noGrad(() => weightedSum(f(...leaves)));
      values[i] = original;
      const numeric = (plus - minus) / (2 * eps);
      const tolerance = atol + rtol * Math.abs(numeric);
      assert.ok(
        Math.abs(analytic[i] - numeric) <= tolerance,
        `gradcheck: input ${k} element ${i}: analytic ${analytic[i]} vs numeric ${numeric}`,
      );
    }
  });
}

/** One gradcheck case of a table: a name, the function, its inputs and tolerances. */
export type GradcheckCase = [
  name: string,
  f: (...xs: torch.Tensor[]) => torch.Tensor,
  inputs: torch.Tensor[],
  options?: GradcheckOptions,
];

/** A permutation of 0, 0.1, 0.2, … : distinct values 0.1 apart (no ties within ±ε for max). */
export function spaced(...shape: number[]): torch.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const order = Array.from({ length: n }, (_, i) => (i * 7919) % n);
  return torch
    .tensor(
      order.map((k) => k * 0.1),
      { dtype: "float32" },
    )
    .reshape(shape);
}
