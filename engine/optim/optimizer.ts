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
import { traceListener } from "../trace/recorder";

/** A group of parameters sharing one set of options. */
export type ParamGroup<O> = O & { params: Tensor[] };

/** What an optimizer takes: tensors, or groups with their own options. */
export type ParamsArg<O> = Iterable<Tensor> | Iterable<Partial<O> & { params: Iterable<Tensor> }>;

/** One parameter's state: step counts, and buffers shaped as the parameter. */
export type ParamState = Record<string, Float32Array | number>;

/**
 * What `stateDict()` returns (PyTorch's `state_dict()`): each parameter's state under its
 * position among all groups' parameters, and the groups with positions for `params`.
 */
export interface OptimizerStateDict {
  state: Record<number, Record<string, Tensor | number>>;
  paramGroups: Record<string, unknown>[];
}

/** Base class of SGD, Adam, AdamW, RMSprop and Adagrad. */
export abstract class Optimizer<O extends object> {
  readonly defaults: O;
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (momentum buffers, moment estimates, step counts). */
  readonly state = new Map<Tensor, ParamState>();
  /** How many times `step()` ran (a scheduler warns when it steps first, as PyTorch does). */
  _stepCount = 0;

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
    this._stepCount++;
    traceListener()?.onOptimizerStep?.({
      optimizer: this,
      params: this.paramGroups.flatMap((g) => g.params),
    });
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
  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (!s) this.state.set(p, (s = {}));
    return s;
  }

  /**
   * The optimizer's state as PyTorch's `state_dict()`: buffers as tensors (copies), keyed by
   * the parameter's position across all groups; each group's options with `params` as
   * positions.
   * @example const saved = opt.stateDict(); ...; opt.loadStateDict(saved);
   */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict["state"] = {};
    let index = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const positions = g.params.map((p) => {
        const s = this.state.get(p);
        if (s) state[index] = toTensors(s, p.shape);
        return index++;
      });
      return { ...g, params: positions } as Record<string, unknown>;
    });
    return { state, paramGroups };
  }

  /**
   * Restores state and group options saved by `stateDict()` (the parameters stay this
   * optimizer's own), with PyTorch's errors when the groups do not match.
   */
  loadStateDict(saved: OptimizerStateDict): void {
    if (saved.paramGroups.length !== this.paramGroups.length)
      throw new ValueError("loaded state dict has a different number of parameter groups");
    const sizes = saved.paramGroups.map((g) => (g.params as number[]).length);
    if (sizes.some((n, i) => n !== this.paramGroups[i].params.length))
      throw new ValueError(
        "loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
      );
    const byPosition = new Map<number, Tensor>();
    saved.paramGroups.forEach((g, i) =>
      (g.params as number[]).forEach((pos, j) =>
        byPosition.set(pos, this.paramGroups[i].params[j]),
      ),
    );
    this.state.clear();
    for (const [pos, s] of Object.entries(saved.state)) {
      const p = byPosition.get(Number(pos));
      if (p) this.state.set(p, fromTensors(s));
    }
    saved.paramGroups.forEach((g, i) => {
      const params = this.paramGroups[i].params;
      this.paramGroups[i] = { ...g, params } as unknown as ParamGroup<O>;
    });
  }
}

/** A parameter's state with its buffers as tensors of the parameter's shape (copies). */
function toTensors(s: ParamState, shape: number[]): Record<string, Tensor | number> {
  const out: Record<string, Tensor | number> = {};
  for (const [k, v] of Object.entries(s))
    out[k] = typeof v === "number" ? v : Tensor._make(v.slice(), shape.slice());
  return out;
}

/** The engine's form of a saved state: numbers, and buffers copied out of their tensors. */
function fromTensors(s: Record<string, Tensor | number>): ParamState {
  const out: ParamState = {};
  for (const [k, v] of Object.entries(s)) out[k] = typeof v === "number" ? v : v._values.slice();
  return out;
}
