/** Stochastic gradient descent with momentum, dampening, weight decay and Nesterov momentum (PyTorch's `optim.SGD`). */
import { Tensor } from "../tensor";
import { ValueError } from "../errors";
import { Optimizer, ParamGroup, ParamsArg } from "./optimizer";
import { gradWithDecay } from "./checks";

/** SGD's options; `lr` is required, the rest default to 0 / false as in PyTorch. */
export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  /** Ascend instead of descend. */
  maximize?: boolean;
}

const f = Math.fround;

/**
 * PyTorch's SGD, step for step in float32:
 * d = g + λp;  b = d (first step) or μb + (1 − τ)d;  d = d + μb (Nesterov) or b;  p = p − lr·d.
 * @example const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 */
export class SGD extends Optimizer<Required<SGDOptions>> {
  constructor(params: ParamsArg<Required<SGDOptions>>, options: SGDOptions) {
    super(params, {
      lr: options.lr,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weightDecay: options.weightDecay ?? 0,
      nesterov: options.nesterov ?? false,
      maximize: options.maximize ?? false,
    });
  }

  protected checkGroup(g: ParamGroup<Required<SGDOptions>>): void {
    if (g.lr < 0) throw new ValueError(`Invalid learning rate: ${g.lr}`);
    if (g.momentum < 0) throw new ValueError(`Invalid momentum value: ${g.momentum}`);
    if (g.weightDecay < 0) throw new ValueError(`Invalid weight_decay value: ${g.weightDecay}`);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0))
      throw new ValueError("Nesterov momentum requires a momentum and zero dampening");
  }

  protected update(p: Tensor, grad: Float32Array, g: ParamGroup<Required<SGDOptions>>): void {
    const P = p._values;
    const n = P.length;
    const d = gradWithDecay(grad, P, g.weightDecay, g.maximize);
    let step: Float32Array = d;
    if (g.momentum !== 0) {
      const state = this.stateOf(p);
      const m = f(g.momentum);
      let buf = state.momentumBuffer as Float32Array | undefined;
      if (!buf) {
        buf = d.slice();
        state.momentumBuffer = buf;
      } else {
        const keep = f(1 - g.dampening);
        for (let i = 0; i < n; i++) buf[i] = f(buf[i] * m) + keep * d[i];
      }
      if (g.nesterov) for (let i = 0; i < n; i++) d[i] = d[i] + m * buf[i];
      else step = buf;
    }
    const lr = f(-g.lr);
    for (let i = 0; i < n; i++) P[i] = P[i] + lr * step[i];
  }
}
