/** Adagrad as PyTorch's `optim.Adagrad`. */
import { Tensor } from "../tensor";
import { Optimizer, ParamGroup, ParamsArg } from "./optimizer";
import { checkNonNegative, gradWithDecay } from "./checks";

/** Adagrad's options, with PyTorch's defaults: lr 1e-2, eps 1e-10, the rest 0 / false. */
export interface AdagradOptions {
  lr?: number;
  /** The step size decays as lr / (1 + (t − 1)·lrDecay). */
  lrDecay?: number;
  weightDecay?: number;
  /** The starting value of every parameter's sum of squared gradients. */
  initialAccumulatorValue?: number;
  eps?: number;
  /** Ascend instead of descend. */
  maximize?: boolean;
}

const f = Math.fround;

/**
 * PyTorch's Adagrad, step for step in float32: s = s + g²;  p = p − clr·g/(√s + ε) with
 * clr = lr / (1 + (t − 1)·lrDecay). Like PyTorch, every parameter's state exists from the
 * start (so `stateDict()` lists it before the first step).
 * @example const opt = new optim.Adagrad(model.parameters(), { lr: 0.1 });
 */
export class Adagrad extends Optimizer<Required<AdagradOptions>> {
  constructor(params: ParamsArg<Required<AdagradOptions>>, options: AdagradOptions = {}) {
    super(params, {
      lr: options.lr ?? 1e-2,
      lrDecay: options.lrDecay ?? 0,
      weightDecay: options.weightDecay ?? 0,
      initialAccumulatorValue: options.initialAccumulatorValue ?? 0,
      eps: options.eps ?? 1e-10,
      maximize: options.maximize ?? false,
    });
    for (const g of this.paramGroups) for (const p of g.params) this.initState(p, g);
  }

  private initState(p: Tensor, g: ParamGroup<Required<AdagradOptions>>): void {
    const state = this.stateOf(p);
    state.step = 0;
    state.sum = new Float32Array(p.numel()).fill(g.initialAccumulatorValue);
  }

  protected checkGroup(g: ParamGroup<Required<AdagradOptions>>): void {
    checkNonNegative([
      ["learning rate", g.lr],
      ["lr_decay value", g.lrDecay],
      ["weight_decay value", g.weightDecay],
      ["initial_accumulator_value value", g.initialAccumulatorValue],
      ["epsilon value", g.eps],
    ]);
  }

  protected update(p: Tensor, grad: Float32Array, g: ParamGroup<Required<AdagradOptions>>): void {
    const P = p._values;
    const state = this.stateOf(p);
    if (state.sum === undefined) this.initState(p, g); // a group added after construction
    const step = (state.step as number) + 1;
    state.step = step;
    const sum = state.sum as Float32Array;
    const d = gradWithDecay(grad, P, g.weightDecay, g.maximize);
    const negClr = f(-(g.lr / (1 + (step - 1) * g.lrDecay)));
    const eps = f(g.eps);
    for (let i = 0; i < P.length; i++) {
      sum[i] = sum[i] + f(d[i] * d[i]);
      const std = f(f(Math.sqrt(sum[i])) + eps);
      P[i] = P[i] + f(f(negClr * d[i]) / std);
    }
  }
}
