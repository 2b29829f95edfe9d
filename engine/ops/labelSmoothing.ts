/**
 * Cross entropy with label smoothing ε, as ATen's cross_entropy_loss_label_smoothing builds it:
 *   (1 − ε)·nll(logp, target) + (ε/C)·smooth,   smooth = −Σ_c w_c·logp_c per sample
 * with ignored samples zeroed in place (`IndexPutBackward0`) and the mean taken over the kept
 * ones (`MaskedSelectBackward0` → `MeanBackward0`), or divided by their summed class weights.
 * The scalar products are `MulBackward1` and the sum `AddBackward0`, so the graph is PyTorch's.
 */
import { defineOp } from "../autograd/apply";
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";
import type { Reduction } from "./elementLoss";

/** x · s for a number s, as ATen's `mul.Scalar` (`MulBackward1`). */
const MulScalar = defineOp<{ s: number }>({
  name: "MulBackward1",
  forward: (_ctx, [x], { s }) =>
    Tensor._make(
      x._values.map((v) => v * s),
      x.shape.slice(),
    ),
  backward: (_ctx, [g], { s }) => [
    Tensor._make(
      g._values.map((v) => v * s),
      g.shape.slice(),
    ),
  ],
});

/**
 * x with the cells of `mask` set to 0 (`x.index_put_({mask}, 0)`: `IndexPutBackward0`; on a
 * 0-dim x ATen writes through a view, so the node is `CopySlices`).
 */
const ZeroWhere = defineOp<{ mask: Uint8Array }>({
  name: (_a, [x]) => (x.dim() === 0 ? "CopySlices" : "IndexPutBackward0"),
  forward: (_ctx, [x], { mask }) =>
    Tensor._make(
      x._values.map((v, i) => (mask[i] ? 0 : v)),
      x.shape.slice(),
    ),
  backward: (_ctx, [g], { mask }) => [
    Tensor._make(
      g._values.map((v, i) => (mask[i] ? 0 : v)),
      g.shape.slice(),
    ),
    null,
  ],
});

/** The cells of x where `keep` is set, as a 1-D tensor (`MaskedSelectBackward0`). */
const MaskedSelect = defineOp<{ keep: Uint8Array }>({
  name: "MaskedSelectBackward0",
  forward: (_ctx, [x], { keep }) =>
    Tensor._make(
      x._values.filter((_v, i) => keep[i] === 1),
      [keep.reduce((p, q) => p + q, 0)],
    ),
  backward(ctx, [g], { keep }) {
    const out = new Float32Array(keep.length);
    for (let i = 0, k = 0; i < keep.length; i++) if (keep[i]) out[i] = g._values[k++];
    return [Tensor._make(out, ctx.inputShape(0).slice())];
  },
});

export function checkLabelSmoothing(ls: number): void {
  if (!(ls >= 0 && ls <= 1))
    throw new RuntimeError(`label_smoothing must be between 0.0 and 1.0. Got: ${ls}`);
}

/** Label-smoothed cross entropy of class-index targets; `nll` is the plain NLL term. */
export function smoothedClassCrossEntropy(
  logp: Tensor,
  target: Tensor,
  nll: Tensor,
  options: {
    weight?: Tensor | null;
    ignoreIndex?: number;
    reduction?: Reduction;
    labelSmoothing: number;
  },
): Tensor {
  const { weight, ignoreIndex = -100, reduction = "mean", labelSmoothing: ls } = options;
  const classDim = logp.dim() === 1 ? 0 : 1;
  const C = logp.shape[classDim];
  const weighted = weight
    ? logp.mul(weight.view(logp.shape.map((s, d) => (d === classDim ? C : 1))))
    : logp;
  const ignored = Uint8Array.from(target._values, (t) => (t === ignoreIndex ? 1 : 0));
  const zeroValue = Tensor._make(new Float32Array(1), []);
  const smooth = ZeroWhere.apply([weighted.sum(classDim).neg(), zeroValue], { mask: ignored });
  let reduced: Tensor;
  if (reduction === "sum") reduced = smooth.sum();
  else if (reduction === "none") reduced = smooth;
  else if (weight) {
    let total = 0;
    target._values.forEach((t, i) => (total += ignored[i] ? 0 : weight._values[t]));
    reduced = smooth.sum().div(Tensor._make(Float32Array.of(total), []));
  } else reduced = MaskedSelect.apply([smooth], { keep: ignored.map((m) => 1 - m) }).mean();
  return MulScalar.apply([nll], { s: 1 - ls }).add(MulScalar.apply([reduced], { s: ls / C }));
}
