/**
 * `tf.GradientTape`: records what runs inside `record(fn)` (Python's `with tf.GradientTape()
 * as t:`), then `gradient(target, sources)`. The engine's own graph is the tape; what the
 * tape adds is TensorFlow's rules: recording only inside it, a target that is not a scalar
 * summed, null for an unconnected source, one `gradient` call unless `persistent`.
 */
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";
import { grad } from "../autograd/backward";
import { onesLike } from "../factories";
import { whileRecording } from "./recording";
import { Variable } from "./variable";

const ONE_SET_ONLY = "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)";

export interface GradientTapeOptions {
  /** Allows several `gradient` calls (TensorFlow's `persistent=True`). */
  persistent?: boolean;
}

export class GradientTape {
  readonly persistent: boolean;
  private readonly watched: Tensor[] = [];
  private recording = false;
  private used = false;
  /** Watched constants made to ask for gradients until the current record or gradient ends. */
  private turnedOn: Tensor[] = [];

  constructor(options: GradientTapeOptions = {}) {
    this.persistent = options.persistent ?? false;
  }

  /** Runs `fn` with this tape recording and returns its result. */
  record<T>(fn: () => T): T {
    if (this.recording) return fn();
    this.recording = true;
    try {
      return this.withWatched(() => whileRecording(fn));
    } finally {
      this.recording = false;
    }
  }

  /** Records ops on `t` too (a constant, not a Variable): `t.watch(x)`. */
  watch(...tensors: (Tensor | Tensor[])[]): void {
    for (const t of tensors.flat()) {
      if (t instanceof Variable) continue; // a trainable Variable is watched already
      if (t.dtype === "float32" && !this.watched.includes(t)) this.watched.push(t);
      if (this.recording && t.dtype === "float32" && t.isLeaf && !t.requiresGrad) {
        t.requiresGrad = true;
        this.turnedOn.push(t);
      }
    }
  }

  /**
   * The gradient of `target` (summed, when not a scalar) with respect to each source: one
   * tensor for one source, a list for a list; null for a source the target does not depend on
   * through ops this tape recorded.
   */
  gradient(target: Tensor, sources: Tensor, outputGradients?: Tensor): Tensor | null;
  gradient(target: Tensor, sources: Tensor[], outputGradients?: Tensor): (Tensor | null)[];
  gradient(target: Tensor, sources: Tensor | Tensor[], outputGradients?: Tensor): Tensor | null | (Tensor | null)[] {
    if (this.used && !this.persistent) throw new RuntimeError(ONE_SET_ONLY);
    this.used = true;
    const list = Array.isArray(sources) ? sources : [sources];
    const grads = this.withWatched(() => whileRecording(() => gradients(target, list, outputGradients)));
    return Array.isArray(sources) ? grads : grads[0];
  }

  /** Runs `fn` with the watched constants asking for gradients, as they do while recording. */
  private withWatched<T>(fn: () => T): T {
    const outer = this.turnedOn;
    this.turnedOn = this.watched.filter((t) => t.isLeaf && !t.requiresGrad);
    for (const t of this.turnedOn) t.requiresGrad = true;
    try {
      return fn();
    } finally {
      for (const t of this.turnedOn) t.requiresGrad = false;
      this.turnedOn = outer;
    }
  }
}

function gradients(target: Tensor, sources: Tensor[], outputGradients?: Tensor): (Tensor | null)[] {
  const out: (Tensor | null)[] = sources.map(() => null);
  if (target.isLeaf) {
    // the target is a source itself (dx/dx = 1) or no op was recorded
    return sources.map((s) => (s === target ? (outputGradients ?? onesLike(target)) : null));
  }
  const wanted = sources.map((s, i) => [s, i] as const).filter(([s]) => s.requiresGrad);
  if (wanted.length === 0) return out;
  // TensorFlow's output gradient defaults to ones: the gradient of the target's sum
  const found = grad(target, wanted.map(([s]) => s), outputGradients ?? onesLike(target), {
    allowUnused: true,
    retainGraph: true,
  });
  wanted.forEach(([, i], k) => (out[i] = found[k]));
  return out;
}
