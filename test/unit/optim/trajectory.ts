/**
 * Replaying an optimizer fixture (nn_optim.json, optim_steps.json): the model, data and
 * settings PyTorch used, steps of zeroGrad → MSE loss → backward → step, and every loss and
 * parameter after every step compared with PyTorch's.
 */
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn, optim } from "../../../engine";
import { TensorJson, assertTensorMatches, tensorFrom } from "../nn/nnFixtures";

/** What each optimizer case recorded (a linear model, or a small tanh MLP). */
export interface TrajectoryCase {
  name: string;
  model: "linear" | "mlp";
  kwargs: Record<string, unknown>;
  X: TensorJson;
  y: TensorJson;
  init: TensorJson[];
  losses: number[];
  trajectory: TensorJson[][];
}

/**
 * Runs the case with the optimizer `make` builds from the parameters and a parameter that
 * never gets a gradient; checks each step and that the unused parameter stays as it was.
 */
export function replayTrajectory(
  c: TrajectoryCase,
  make: (params: torch.Tensor[], unused: torch.Tensor) => optim.Optimizer<object>,
): optim.Optimizer<object> {
  const F = nn.functional;
  const X = tensorFrom(c.X);
  const y = tensorFrom(c.y);
  const params = c.init
    .slice(0, c.model === "mlp" ? 4 : 2)
    .map((t) => tensorFrom(t).requiresGrad_());
  const unused = torch.zeros(2, { requiresGrad: true });
  const opt = make(params, unused);
  const model = (): torch.Tensor => {
    const h = F.linear(X, params[0], params[1]);
    return c.model === "mlp" ? F.linear(h.tanh(), params[2], params[3]) : h.sum(1, true);
  };
  for (let step = 0; step < c.losses.length; step++) {
    opt.zeroGrad();
    const loss = F.mseLoss(model(), y);
    loss.backward();
    opt.step();
    const want = c.losses[step];
    assert.ok(
      Math.abs(loss.item() - want) <= 1e-5 + 1e-5 * Math.abs(want),
      `step ${step}: loss ${loss.item()} vs ${want}`,
    );
    params.forEach((p, i) =>
      assertTensorMatches(p, c.trajectory[step][i], `step ${step}: parameter ${i}`),
    );
    assert.equal(unused.grad, null);
    assert.deepEqual(unused.tolist(), [0, 0], "a parameter without gradient is left alone");
  }
  return opt;
}
