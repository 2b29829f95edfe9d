/**
 * The base of the learning-rate schedulers, after PyTorch 1.13's `_LRScheduler`: it records each
 * group's starting lr (`initialLr` in the group, PyTorch's `initial_lr`), then takes one step at
 * construction (epoch 0), so that `step()` after each epoch moves to the next epoch's lr.
 * Subclasses say only what the lrs of the next epoch are (`getLr`), mostly from the current
 * ones ("chainable" form), exactly as PyTorch's, so that schedulers can be combined.
 */
import { Optimizer } from "../optimizer";
import { KeyError, TorchTypeError } from "../../errors";
import { warn } from "../../warnings";

/** What a scheduler reads and writes in a parameter group. */
export interface LrGroup {
  lr: number;
  initialLr?: number;
}

/** Any optimizer, as a scheduler sees it. */
export type AnyOptimizer = Optimizer<object>;

/** A scheduler's state: every field but the optimizer and functions (PyTorch's `state_dict()`). */
export type SchedulerState = Record<string, unknown>;

/** Checks that `optimizer` is one (PyTorch's `TypeError: X is not an Optimizer`). */
export function checkOptimizer(optimizer: unknown): void {
  if (!(optimizer instanceof Optimizer)) {
    const name = (optimizer as object | null)?.constructor?.name ?? typeof optimizer;
    throw new TorchTypeError(`${name} is not an Optimizer`);
  }
}

/** Base class of StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR and LambdaLR. */
export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  /** Each group's `initialLr`. */
  baseLrs: number[];
  /** The epoch whose lrs are set now (0 after construction). */
  lastEpoch: number;
  /** Calls of `step()`, the one at construction included. */
  _stepCount = 0;
  private lastLr: number[] = [];

  constructor(optimizer: AnyOptimizer, lastEpoch = -1) {
    checkOptimizer(optimizer);
    this.optimizer = optimizer;
    const groups = this.groups();
    if (lastEpoch === -1) {
      for (const g of groups) g.initialLr ??= g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined)
          throw new KeyError(
            `param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`,
          );
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  /** The optimizer's groups as the scheduler sees them. */
  protected groups(): LrGroup[] {
    return this.optimizer.paramGroups as unknown as LrGroup[];
  }

  /** Subclasses call this at the end of their constructor: PyTorch's `_initial_step()`. */
  protected initialStep(): void {
    this.optimizer._stepCount = 0;
    this._stepCount = 0;
    this.step();
  }

  /** Each group's lr for epoch `lastEpoch` (already advanced). */
  protected abstract getLr(): number[];

  /** Moves to the next epoch and sets every group's lr for it. */
  step(): void {
    if (this._stepCount === 1 && this.optimizer._stepCount < 1) {
      warn(
        "Detected call of `lr_scheduler.step()` before `optimizer.step()`. In PyTorch 1.1.0 and later, " +
          "you should call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`.  " +
          "Failure to do this will result in PyTorch skipping the first value of the learning rate schedule. " +
          "See more details at https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate",
      );
    }
    this._stepCount++;
    this.lastEpoch++;
    const lrs = this.getLr();
    this.groups().forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = this.groups().map((g) => g.lr);
  }

  /** The lrs the last `step()` set, one per group (PyTorch's `get_last_lr()`). */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** The scheduler's state: every field but the optimizer and functions. */
  stateDict(): SchedulerState {
    return stateOf(this);
  }

  /** Restores what `stateDict()` returned. */
  loadStateDict(state: SchedulerState): void {
    Object.assign(this, structuredCopy(state));
  }
}

/** Own fields of `o`, without the optimizer and functions, copied. */
export function stateOf(o: object): SchedulerState {
  const entries = Object.entries(o).filter(
    ([k, v]) => k !== "optimizer" && typeof v !== "function",
  );
  return structuredCopy(Object.fromEntries(entries));
}

/** A copy of plain data (numbers, strings, arrays, objects), so saved state does not alias. */
function structuredCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(structuredCopy) as T;
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, structuredCopy(x)])) as T;
  return v;
}
