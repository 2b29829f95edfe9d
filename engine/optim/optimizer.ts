/**
 * The base of the optimizers, after PyTorch's `torch.optim.Optimizer`: parameter groups
 * (a list of tensors, or of `{ params, ...options }` objects that override the defaults),
 * per-parameter state, `zeroGrad()`, and PyTorch's checks and messages.
 *
 * `step()` updates parameter storage in place without recording a graph, and bumps each
 * parameter's version counter as PyTorch's in-place ops do.
 */
import { Tensor } from "../tensor";
import { ValueError, TorchTypeError } from "../errors";

/** A group of parameters sharing one set of options. */
export type ParamGroup<O> = O & { params: Tensor[] };

/** What an optimizer takes: tensors, or groups with their own options. */
export type ParamsArg<O> = Iterable<Tensor> | Iterable<Partial<O> & { params: Iterable<Tensor> }>;

/** Base class of SGD and Adam. */
export abstract class Optimizer<O extends object> {
  readonly defaults: O;
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (momentum buffers, moment estimates, step counts). */
  readonly state = new Map<Tensor, Record<string, Float32Array | number>>();

  constructor(params: ParamsArg<O>, defaults: O) {
    if (params instanceof Tensor) {
      throw new TorchTypeError(
        "params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor",
      );
    }
    this.defaults = defaults;
    const list = [...(params as Iterable<unknown>)];
    if (list.length === 0) throw new ValueError("optimizer got an empty parameter list");
    const groups = (list[0] instanceof Tensor ? [{ params: list }] : list) as (Partial<O> & {
      params: Iterable<Tensor>;
    })[];
    for (const g of groups) this.addParamGroup(g);
  }

  /** Adds a group of parameters with its own options (PyTorch's `add_param_group`). */
  addParamGroup(group: Partial<O> & { params: Iterable<Tensor> }): void {
    const params = group.params instanceof Tensor ? [group.params] : [...group.params];
    for (const p of params) {
      if (!(p instanceof Tensor))
        throw new TorchTypeError(
          `optimizer can only optimize Tensors, but one of the params is ${typeof p}`,
        );
      if (!p.isLeaf) throw new ValueError("can't optimize a non-leaf Tensor");
    }
    const full = { ...this.defaults, ...group, params } as ParamGroup<O>;
    for (const [k, v] of Object.entries(full)) {
      if (v === undefined)
        throw new ValueError(
          `parameter group didn't specify a value of required optimization parameter ${k}`,
        );
    }
    const existing = new Set(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => existing.has(p)))
      throw new ValueError("some parameters appear in more than one parameter group");
    this.checkGroup(full);
    this.paramGroups.push(full);
  }

  /** Validates a group's options (each optimizer's `__init__` checks). */
  protected abstract checkGroup(group: ParamGroup<O>): void;

  /**
   * Resets the gradients of all optimized parameters to zero (PyTorch 1.13's default), or to
   * null with `setToNone`.
   */
  zeroGrad(setToNone = false): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (p.grad === null) continue;
        if (setToNone) p.grad = null;
        else (p.grad.gradFn ? (p.grad = p.grad.detach()) : p.grad).zero_();
      }
    }
  }

  /**
   * Performs one update of every parameter that has a gradient. `closure` (re-evaluating the
   * model and returning the loss) is called first when given; its result is returned.
   */
  step(closure?: () => Tensor | number): Tensor | number | undefined {
    const loss = closure ? closure() : undefined;
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (p.grad === null) continue;
        this.update(p, p.grad._values, g);
        p._versionCounter.n++;
      }
    }
    return loss;
  }

  /** Updates one parameter's values from its gradient `grad`. */
  protected abstract update(p: Tensor, grad: Float32Array, group: ParamGroup<O>): void;

  /** This parameter's state, created empty on first use. */
  protected stateOf(p: Tensor): Record<string, Float32Array | number> {
    let s = this.state.get(p);
    if (!s) this.state.set(p, (s = {}));
    return s;
  }
}
