/**
 * Gradients over a training loop: at each optimizer `step()` (the engine's step hook), every
 * parameter's ‖grad‖, and the loss the backward pass before it started from. A long loop keeps
 * at most MAX_STEP_POINTS steps: past that, every other kept step is dropped and the stride
 * doubles, so the points stay spread evenly over the whole loop.
 */
import type { Tensor } from "../../engine/tensor";
import type { StepSeries, TrainingSteps } from "../../webview/protocol";

/** Steps kept for the charts (a chart a few hundred pixels wide shows no more). */
export const MAX_STEP_POINTS = 200;

export class StepRecorder {
  private readonly norms = new Map<Tensor, StepSeries>();
  private readonly loss: StepSeries = { steps: [], values: [] };
  private pendingLoss: number | null = null;
  private keptSteps = 0;
  private totalSteps = 0;
  private stride = 1;

  /** A backward pass starts from `roots`: a single scalar root is the loss of the next step. */
  backward(roots: readonly Tensor[]): void {
    const root = roots.length === 1 ? roots[0] : undefined;
    this.pendingLoss = root && root.numel() === 1 ? root._values[0] : null;
  }

  /** An optimizer is about to update `params` from their gradients. */
  step(params: readonly Tensor[]): void {
    const step = ++this.totalSteps;
    const loss = this.pendingLoss;
    this.pendingLoss = null;
    if ((step - 1) % this.stride !== 0) return;
    for (const p of params) {
      let series = this.norms.get(p);
      if (!series) this.norms.set(p, (series = { steps: [], values: [] }));
      push(series, step, p.grad ? l2Norm(p.grad._values) : null);
    }
    if (loss !== null) push(this.loss, step, loss);
    if (++this.keptSteps > MAX_STEP_POINTS) this.thin();
  }

  /** What the graph carries, keyed by `nameOf` (parameters it cannot name are left out). */
  result(nameOf: (p: Tensor) => string | undefined): TrainingSteps | undefined {
    if (this.totalSteps === 0) return undefined;
    const gradNorms: Record<string, StepSeries> = {};
    for (const [p, series] of this.norms) {
      const name = nameOf(p);
      if (name !== undefined && !Object.hasOwn(gradNorms, name)) gradNorms[name] = copy(series);
    }
    return {
      totalSteps: this.totalSteps,
      stride: this.stride,
      gradNorms,
      ...(this.loss.steps.length ? { loss: copy(this.loss) } : {}),
    };
  }

  /** Doubles the stride, keeping the steps 1, 1 + stride, … of the new one. */
  private thin(): void {
    this.stride *= 2;
    const keep = (step: number): boolean => (step - 1) % this.stride === 0;
    for (const series of [...this.norms.values(), this.loss]) {
      const kept = series.steps.flatMap((s, i) => (keep(s) ? [i] : []));
      series.values = kept.map((i) => series.values[i]);
      series.steps = kept.map((i) => series.steps[i]);
    }
    this.keptSteps = Math.ceil(this.totalSteps / this.stride);
  }
}

function push(series: StepSeries, step: number, value: number | null): void {
  series.steps.push(step);
  series.values.push(value);
}

function copy(series: StepSeries): StepSeries {
  return { steps: series.steps.slice(), values: series.values.slice() };
}

/** The 2-norm, summed in float64 as the graph's summaries do. */
function l2Norm(v: Float32Array): number {
  let squares = 0;
  for (let i = 0; i < v.length; i++) squares += v[i] * v[i];
  return Math.sqrt(squares);
}
