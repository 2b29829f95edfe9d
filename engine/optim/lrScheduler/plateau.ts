/**
 * `ReduceLROnPlateau`, as PyTorch 1.13's: it is stepped with a metric (a validation loss) and
 * multiplies every group's lr by `factor` once the metric has not improved for more than
 * `patience` steps, then waits `cooldown` steps before counting again.
 */
import { Tensor } from "../../tensor";
import { ValueError } from "../../errors";
import { AnyOptimizer, LrGroup, SchedulerState, checkOptimizer, stateOf } from "./scheduler";

/** Its options, with PyTorch's defaults. */
export interface ReduceLROnPlateauOptions {
  /** "min": lower is better (a loss); "max": higher is better (an accuracy). */
  mode?: "min" | "max";
  /** The lr is multiplied by this (0.1). */
  factor?: number;
  /** Steps without improvement that are tolerated (10). */
  patience?: number;
  /** How much better counts as better (1e-4). */
  threshold?: number;
  /** "rel": by a factor 1 ± threshold; "abs": by threshold. */
  thresholdMode?: "rel" | "abs";
  /** Steps to wait after a reduction before counting bad steps again (0). */
  cooldown?: number;
  /** The lowest lr, for all groups or one per group (0). */
  minLr?: number | number[];
  /** A reduction smaller than this is skipped (1e-8). */
  eps?: number;
}

/**
 * @example
 * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 2 });
 * sched.step(validationLoss);
 */
export class ReduceLROnPlateau {
  readonly optimizer: AnyOptimizer;
  readonly mode: "min" | "max";
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: "rel" | "abs";
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  /** The best metric so far (±Infinity before the first step). */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: AnyOptimizer, options: ReduceLROnPlateauOptions = {}) {
    this.factor = options.factor ?? 0.1;
    if (this.factor >= 1) throw new ValueError("Factor should be < 1.0.");
    checkOptimizer(optimizer);
    this.optimizer = optimizer;
    const n = optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    if (Array.isArray(minLr) && minLr.length !== n)
      throw new ValueError(`expected ${n} min_lrs, got ${minLr.length}`);
    this.minLrs = Array.isArray(minLr) ? minLr.slice() : new Array<number>(n).fill(minLr);
    this.patience = options.patience ?? 10;
    this.cooldown = options.cooldown ?? 0;
    this.mode = options.mode ?? "min";
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = options.thresholdMode ?? "rel";
    this.eps = options.eps ?? 1e-8;
    if (this.mode !== "min" && this.mode !== "max")
      throw new ValueError(`mode ${String(this.mode)} is unknown!`);
    if (this.thresholdMode !== "rel" && this.thresholdMode !== "abs")
      throw new ValueError(`threshold mode ${String(this.thresholdMode)} is unknown!`);
    this.best = this.mode === "min" ? Infinity : -Infinity;
    this.lastLr = this.groups().map((g) => g.lr);
  }

  private groups(): LrGroup[] {
    return this.optimizer.paramGroups as unknown as LrGroup[];
  }

  /** Records one epoch's metric and reduces the lrs when it has stopped improving. */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : Number(metric);
    this.lastEpoch++;
    if (this.isBetter(current)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.groups().map((g) => g.lr);
  }

  private isBetter(a: number): boolean {
    const { best, threshold } = this;
    if (this.mode === "min")
      return this.thresholdMode === "rel" ? a < best * (1 - threshold) : a < best - threshold;
    return this.thresholdMode === "rel" ? a > best * (threshold + 1) : a > best + threshold;
  }

  private reduceLr(): void {
    this.groups().forEach((g, i) => {
      const newLr = Math.max(g.lr * this.factor, this.minLrs[i]);
      if (g.lr - newLr > this.eps) g.lr = newLr;
    });
  }

  /** The lrs after the last `step()`, one per group. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** The scheduler's state: every field but the optimizer. */
  stateDict(): SchedulerState {
    return stateOf(this);
  }

  /** Restores what `stateDict()` returned. */
  loadStateDict(state: SchedulerState): void {
    Object.assign(this, stateOf(state));
  }
}
