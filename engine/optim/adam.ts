/** Adam (and AMSGrad) as PyTorch's `optim.Adam`, and AdamW, which differs in its weight decay. */
import { Tensor } from "../tensor";
import { ValueError } from "../errors";
import { Optimizer, ParamGroup, ParamsArg } from "./optimizer";

/** Adam's options, with PyTorch's defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, no weight decay. */
export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  /** Ascend instead of descend. */
  maximize?: boolean;
}

const f = Math.fround;

/**
 * PyTorch's Adam, step for step in float32 (bias corrections in double, as PyTorch computes
 * them in Python): m = β₁m + (1 − β₁)g;  v = β₂v + (1 − β₂)g²;
 * p = p − lr/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + ε).
 * @example const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends Optimizer<Required<AdamOptions>> {
  /** AdamW: weight decay shrinks the parameter (p ← p·(1 − lr·λ)) instead of adding λp to g. */
  protected decoupledWeightDecay(): boolean {
    return false;
  }

  constructor(params: ParamsArg<Required<AdamOptions>>, options: AdamOptions = {}) {
    super(params, {
      lr: options.lr ?? 1e-3,
      betas: options.betas ?? [0.9, 0.999],
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      amsgrad: options.amsgrad ?? false,
      maximize: options.maximize ?? false,
    });
  }

  protected checkGroup(g: ParamGroup<Required<AdamOptions>>): void {
    if (!(g.lr >= 0)) throw new ValueError(`Invalid learning rate: ${g.lr}`);
    if (!(g.eps >= 0)) throw new ValueError(`Invalid epsilon value: ${g.eps}`);
    g.betas.forEach((b, i) => {
      if (!(b >= 0 && b < 1))
        throw new ValueError(
          `Invalid beta parameter at index ${i}: ${Number.isInteger(b) ? b.toFixed(1) : b}`,
        );
    });
    if (!(g.weightDecay >= 0)) throw new ValueError(`Invalid weight_decay value: ${g.weightDecay}`);
  }

  protected update(p: Tensor, grad: Float32Array, g: ParamGroup<Required<AdamOptions>>): void {
    const P = p._values;
    const n = P.length;
    const state = this.stateOf(p);
    if (state.step === undefined) {
      state.step = 0;
      state.expAvg = new Float32Array(n);
      state.expAvgSq = new Float32Array(n);
      if (g.amsgrad) state.maxExpAvgSq = new Float32Array(n);
    }
    const step = (state.step as number) + 1;
    state.step = step;
    const m = state.expAvg as Float32Array;
    const v = state.expAvgSq as Float32Array;
    const [beta1, beta2] = g.betas;
    const [b1, b2, keep1, keep2] = [f(beta1), f(beta2), f(1 - beta1), f(1 - beta2)];
    const wd = f(g.weightDecay);
    const stepSize = g.lr / (1 - beta1 ** step);
    const bc2Sqrt = f(Math.sqrt(1 - beta2 ** step));
    const eps = f(g.eps);
    const negStep = f(-stepSize);
    const vMax = g.amsgrad ? (state.maxExpAvgSq as Float32Array) : null;
    const decoupled = this.decoupledWeightDecay();
    const shrink = f(1 - g.lr * g.weightDecay);
    for (let i = 0; i < n; i++) {
      let gi = g.maximize ? -grad[i] : grad[i];
      if (decoupled) P[i] = f(P[i] * shrink);
      else if (g.weightDecay !== 0) gi = f(gi + wd * P[i]);
      m[i] = f(m[i] * b1) + keep1 * gi;
      v[i] = f(v[i] * b2) + keep2 * f(gi * gi);
      let second = v[i];
      if (vMax) second = vMax[i] = Math.max(vMax[i], v[i]);
      const denom = f(f(f(Math.sqrt(second)) / bc2Sqrt) + eps);
      P[i] = P[i] + f(negStep * m[i]) / denom;
    }
  }
}

/**
 * PyTorch's AdamW: Adam with decoupled weight decay (default 1e-2), p ← p·(1 − lr·λ) before
 * Adam's step.
 * @example const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends Adam {
  constructor(params: ParamsArg<Required<AdamOptions>>, options: AdamOptions = {}) {
    super(params, { ...options, weightDecay: options.weightDecay ?? 1e-2 });
  }

  protected override decoupledWeightDecay(): boolean {
    return true;
  }
}
