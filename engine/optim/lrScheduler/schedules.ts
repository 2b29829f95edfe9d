/**
 * The epoch-based schedules of PyTorch 1.13's `optim.lr_scheduler`, each with PyTorch's
 * `get_lr` (the lr of the next epoch from the current one), so that their lrs match PyTorch's
 * step for step. Optional settings come as an options object or, as in PyTorch, positionally.
 */
import { TorchTypeError, ValueError } from "../../errors";
import { optionsFrom } from "../../nn/positional";
import { AnyOptimizer, LRScheduler } from "./scheduler";

/** `[0.1]`, `[0.1, 5]` or `[{ gamma: 0.1 }]`: PyTorch's optional parameters in either form. */
type Rest<O> = [options?: O] | number[];

/** The settings `rest` gives, read by the one positional-or-options reader (nn/positional.ts). */
function optionsOf<O extends object>(
  fn: string,
  rest: Rest<O>,
  names: (keyof O & string)[],
): Partial<O> {
  return optionsFrom<Partial<O>>(fn, names as (keyof Partial<O> & string)[], rest);
}

/**
 * A schedule's settings when its required one (`stepSize`) may also come in the options object
 * (`new StepLR(opt, { stepSize: 2, gamma: 0.5 })`, as TypeScript reads naturally); without it,
 * Python's TypeError for the missing argument.
 */
function withRequired<O extends object, K extends keyof O & string>(
  fn: string,
  required: K,
  args: readonly unknown[],
  names: (keyof O & string)[],
): Partial<O> & Pick<O, K> {
  const o = optionsFrom<Partial<O>>(
    fn,
    [required, ...names] as (keyof Partial<O> & string)[],
    args,
  );
  if (o[required] === undefined) {
    const python = required.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    throw new TorchTypeError(`${fn}() missing 1 required positional argument: '${python}'`);
  }
  return o as Partial<O> & Pick<O, K>;
}

/**
 * Multiplies each group's starting lr by `lrLambda(epoch)` (one function, or one per group).
 * @example new optim.lrScheduler.LambdaLR(opt, (epoch) => 0.95 ** epoch)
 */
export class LambdaLR extends LRScheduler {
  readonly lrLambdas: ((epoch: number) => number)[];

  constructor(
    optimizer: AnyOptimizer,
    lrLambda: ((epoch: number) => number) | ((epoch: number) => number)[],
    ...rest: Rest<{ lastEpoch?: number }>
  ) {
    const { lastEpoch } = optionsOf("LambdaLR.__init__", rest, ["lastEpoch"]);
    super(optimizer, lastEpoch);
    const n = optimizer.paramGroups.length;
    if (Array.isArray(lrLambda) && lrLambda.length !== n)
      throw new ValueError(`Expected ${n} lr_lambdas, but got ${lrLambda.length}`);
    this.lrLambdas = Array.isArray(lrLambda) ? lrLambda.slice() : new Array(n).fill(lrLambda);
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lrLambdas[i](this.lastEpoch));
  }
}

/** Options of StepLR. */
export interface StepLROptions {
  /** The factor applied every `stepSize` epochs (0.1). */
  gamma?: number;
  lastEpoch?: number;
}

/**
 * Multiplies the lr by `gamma` every `stepSize` epochs.
 * @example const sched = new optim.lrScheduler.StepLR(opt, 30, { gamma: 0.1 });
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(
    optimizer: AnyOptimizer,
    stepSize: number | (StepLROptions & { stepSize: number }),
    ...rest: Rest<StepLROptions>
  ) {
    const o = withRequired<StepLROptions & { stepSize: number }, "stepSize">(
      "StepLR.__init__",
      "stepSize",
      [stepSize, ...rest],
      ["gamma", "lastEpoch"],
    );
    super(optimizer, o.lastEpoch);
    this.stepSize = o.stepSize;
    this.gamma = o.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groups().map((g) => g.lr);
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/**
 * Multiplies the lr by `gamma` at each milestone epoch (twice at a milestone listed twice).
 * @example new optim.lrScheduler.MultiStepLR(opt, [30, 80], { gamma: 0.1 })
 */
export class MultiStepLR extends LRScheduler {
  /** How many times each milestone epoch was listed (PyTorch's `Counter`). */
  readonly milestones: Record<number, number>;
  readonly gamma: number;

  constructor(
    optimizer: AnyOptimizer,
    milestones: number[] | (StepLROptions & { milestones: number[] }),
    ...rest: Rest<StepLROptions>
  ) {
    const o = withRequired<StepLROptions & { milestones: number[] }, "milestones">(
      "MultiStepLR.__init__",
      "milestones",
      [milestones, ...rest],
      ["gamma", "lastEpoch"],
    );
    super(optimizer, o.lastEpoch);
    this.milestones = {};
    for (const m of o.milestones) this.milestones[m] = (this.milestones[m] ?? 0) + 1;
    this.gamma = o.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groups().map((g) => g.lr);
    const times = this.milestones[this.lastEpoch];
    if (times === undefined) return lrs;
    return lrs.map((lr) => lr * this.gamma ** times);
  }
}

/**
 * Multiplies the lr by `gamma` every epoch.
 * @example new optim.lrScheduler.ExponentialLR(opt, 0.9)
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(
    optimizer: AnyOptimizer,
    gamma: number | { gamma: number; lastEpoch?: number },
    ...rest: Rest<{ lastEpoch?: number }>
  ) {
    const o = withRequired<{ gamma: number; lastEpoch?: number }, "gamma">(
      "ExponentialLR.__init__",
      "gamma",
      [gamma, ...rest],
      ["lastEpoch"],
    );
    super(optimizer, o.lastEpoch);
    this.gamma = o.gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.groups().map((g) => g.lr);
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }
}

/** Options of CosineAnnealingLR. */
export interface CosineAnnealingLROptions {
  /** The lowest lr (0). */
  etaMin?: number;
  lastEpoch?: number;
}

/**
 * Follows half a cosine from the starting lr down to `etaMin` over `tMax` epochs (and back up
 * after, as PyTorch's recursive form does).
 * @example new optim.lrScheduler.CosineAnnealingLR(opt, 50)
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(
    optimizer: AnyOptimizer,
    tMax: number | (CosineAnnealingLROptions & { tMax: number }),
    ...rest: Rest<CosineAnnealingLROptions>
  ) {
    const o = withRequired<CosineAnnealingLROptions & { tMax: number }, "tMax">(
      "CosineAnnealingLR.__init__",
      "tMax",
      [tMax, ...rest],
      ["etaMin", "lastEpoch"],
    );
    super(optimizer, o.lastEpoch);
    this.tMax = o.tMax;
    this.etaMin = o.etaMin ?? 0;
    this.initialStep();
  }

  protected getLr(): number[] {
    const [e, T, min] = [this.lastEpoch, this.tMax, this.etaMin];
    const groups = this.groups();
    if (e === 0) return groups.map((g) => g.lr);
    if (this._stepCount === 1 && e > 0) {
      // resuming at a later epoch: the closed form
      return this.baseLrs.map(
        (base) => min + ((base - min) * (1 + Math.cos((e * Math.PI) / T))) / 2,
      );
    }
    // JS's % is 0 exactly when Python's is (they differ only in the sign of the rest)
    if ((e - 1 - T) % (2 * T) === 0) {
      return groups.map(
        (g, i) => g.lr + ((this.baseLrs[i] - min) * (1 - Math.cos(Math.PI / T))) / 2,
      );
    }
    return groups.map(
      (g) =>
        ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) *
          (g.lr - min) +
        min,
    );
  }
}
