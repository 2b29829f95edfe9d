/**
 * MXNet's `ndarray`: an engine tensor whose ops give ndarrays (apply.ts keeps the class), with
 * MXNet's autograd rules: `attachGrad` marks it, only ops inside `autograd.record` are
 * recorded, `backward` of a non-scalar head uses a head gradient of ones, and `gradReq`
 * "write" overwrites `.grad` where "add" accumulates.
 */
import { Tensor } from "../tensor";
import { onesLike, zerosLike } from "../factories";
import { noGrad } from "../autograd/gradMode";
import { AccumulateGrad } from "../autograd/node";
import { walkPostOrder } from "../autograd/walk";
import { keepClassThroughOps } from "../autograd/apply";
import { isRecording, record } from "./recording";

export type GradReq = "write" | "add" | "null";

/** MXNet's error type (`mxnet.base.MXNetError`). */
export class MXNetError extends Error {
  override name = "MXNetError";
}

const NOT_RECORDED =
  "Check failed: !AGInfo::IsNone(*i): Cannot differentiate node because it is not in a computational " +
  "graph. You need to set is_recording to true or use autograd.record() to save computational graphs " +
  "for backward. If you want to differentiate the same graph twice, you need to pass " +
  "retain_graph=True to backward.";

/** Each attached array's gradReq (arrays become ndarrays without a constructor: no own fields). */
const gradReqs = new WeakMap<Tensor, GradReq>();

export class NDArray extends Tensor {
  /** An engine tensor as an ndarray (the same object); from then on ops on ndarrays give ndarrays. */
  static of(t: Tensor): NDArray {
    keepClassThroughOps(NDArray);
    if (!(t instanceof NDArray)) Object.setPrototypeOf(t, NDArray.prototype);
    return t as NDArray;
  }

  /**
   * Asks for gradients only while recording: MXNet records nothing outside `record`, not even
   * ops on an array that a recorded op made.
   */
  override get requiresGrad(): boolean {
    return isRecording() && super.requiresGrad;
  }
  override set requiresGrad(value: boolean) {
    super.requiresGrad = value;
  }

  /** Gives this array a `.grad` of zeros that backward writes (or, with "add", adds) into. */
  attachGrad(gradReq: GradReq = "write"): void {
    gradReqs.set(this, gradReq);
    super.requiresGrad = gradReq !== "null";
    this.grad = gradReq === "null" ? null : zerosLike(this);
  }

  /** The gradient of this head (summed over its elements, or times `outGrad`) into attached arrays. */
  override backward(outGrad?: Tensor | null, options: { retainGraph?: boolean } = {}): void {
    const head = this.gradFn;
    if (head === null) throw new MXNetError(NOT_RECORDED);
    const seen = new Set<unknown>();
    const firstVisit = (next: unknown): boolean => !seen.has(next) && Boolean(seen.add(next));
    walkPostOrder(
      head,
      firstVisit,
      (node) => {
        if (!(node instanceof AccumulateGrad)) return;
        const leaf = node.variable;
        if (gradReqs.get(leaf) === "write" && leaf.grad) noGrad(() => leaf.grad!.zero_());
      },
    );
    // the engine checks that the head asks for gradients: it does while recording
    record(() => super.backward(outGrad ?? onesLike(this), options));
  }

  override detach(): NDArray {
    return NDArray.of(super.detach());
  }
}
