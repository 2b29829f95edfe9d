/** RMSprop as PyTorch's `optim.RMSprop` (with momentum and the centered variant). */
import { Tensor } from "../tensor";
import { Optimizer, ParamGroup, ParamsArg } from "./optimizer";
import { checkNonNegative, gradWithDecay } from "./checks";

/** RMSprop's options, with PyTorch's defaults: lr 1e-2, alpha 0.99, eps 1e-8, the rest 0 / false. */
export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  /** Divide by an estimate of the gradient's variance instead of its second moment. */
  centered?: boolean;
  /** Ascend instead of descend. */
  maximize?: boolean;
}

const f = Math.fround;

/**
 * PyTorch's RMSprop, step for step in float32: v = αv + (1 − α)g²; with `centered`,
 * ḡ = αḡ + (1 − α)g and v̂ = v − ḡ², else v̂ = v; then p = p − lr·g/(√v̂ + ε), or with
 * momentum b = μb + g/(√v̂ + ε), p = p − lr·b.
 * @example const opt = new optim.RMSprop(model.parameters(), { lr: 0.01 });
 */
export class RMSprop extends Optimizer<Required<RMSpropOptions>> {
  constructor(params: ParamsArg<Required<RMSpropOptions>>, options: RMSpropOptions = {}) {
    super(params, {
      lr: options.lr ?? 1e-2,
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      momentum: options.momentum ?? 0,
      centered: options.centered ?? false,
      maximize: options.maximize ?? false,
    });
  }

  protected checkGroup(g: ParamGroup<Required<RMSpropOptions>>): void {
    checkNonNegative([
      ["learning rate", g.lr],
      ["epsilon value", g.eps],
      ["momentum value", g.momentum],
      ["weight_decay value", g.weightDecay],
      ["alpha value", g.alpha],
    ]);
  }

  protected update(p: Tensor, grad: Float32Array, g: ParamGroup<Required<RMSpropOptions>>): void {
    const P = p._values;
    const n = P.length;
    const state = this.stateOf(p);
    if (state.step === undefined) {
      state.step = 0;
      state.squareAvg = new Float32Array(n);
      if (g.momentum > 0) state.momentumBuffer = new Float32Array(n);
      if (g.centered) state.gradAvg = new Float32Array(n);
    }
    state.step = (state.step as number) + 1;
    const d = gradWithDecay(grad, P, g.weightDecay, g.maximize);
    const v = state.squareAvg as Float32Array;
    const mean = g.centered ? (state.gradAvg as Float32Array) : null;
    const buf = g.momentum > 0 ? (state.momentumBuffer as Float32Array) : null;
    const [alpha, keep, eps, mu, negLr] = [f(g.alpha), f(1 - g.alpha), f(g.eps), f(g.momentum), f(-g.lr)]; // prettier-ignore
    for (let i = 0; i < n; i++) {
      v[i] = f(v[i] * alpha) + f(f(keep * d[i]) * d[i]);
      let second = v[i];
      if (mean) {
        mean[i] = f(mean[i] * alpha) + keep * d[i];
        second = f(second + f(f(-mean[i]) * mean[i]));
      }
      const avg = f(f(Math.sqrt(second)) + eps);
      if (buf) {
        buf[i] = f(buf[i] * mu) + f(d[i] / avg);
        P[i] = P[i] + negLr * buf[i];
      } else {
        P[i] = P[i] + f(f(negLr * d[i]) / avg);
      }
    }
  }
}
