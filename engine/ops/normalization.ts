/**
 * Batch, layer and group normalization (`NativeBatchNormBackward0`, `NativeLayerNormBackward0`,
 * `NativeGroupNormBackward0`). The three differ only in which elements share a mean and
 * variance (a "group") and which affine parameter an element uses, so one kernel serves all:
 * each element's group and parameter index are listed once per call (a `NormLayout`).
 *
 *   x̂ = (x − μ_g)·rstd_g,   y = x̂·w_p + b_p
 *   dx = rstd/M · (M·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂))   with dx̂ = g·w_p, sums over the group (M elements)
 *
 * With fixed statistics (batch norm in eval mode) μ and rstd are constants: dx = g·w_p·rstd.
 * The affine inputs are optional: an absent weight or bias is an input that needs no gradient,
 * so the node has PyTorch's `None` edge there.
 */
import { defineOp } from "../autograd/apply";
import { Tensor } from "../tensor";
import { emptyFloats } from "../kernels/storage";

/** Which group (shared statistics) and which affine parameter each element belongs to. */
export interface NormLayout {
  groups: number;
  groupOf: Int32Array;
  paramOf: Int32Array;
}

/** Statistics given instead of computed (batch norm in eval mode): per group mean and rstd. */
export interface NormAttrs {
  layout: NormLayout;
  eps: number;
  /** Per group [mean, rstd] to use; null: the batch's own (recorded in `batchStats`). */
  fixed: { mean: Float64Array; rstd: Float64Array } | null;
  /** Set by forward: the batch mean and biased variance of each group. */
  batchStats?: { mean: Float64Array; variance: Float64Array };
  /** The caller's argument checks, run by `apply` (so a trace hears a failure as this op's). */
  check?: () => void;
}

/** Batch norm: groups are channels (dim 1), across the batch and spatial dims. */
export function batchNormLayout(shape: readonly number[]): NormLayout {
  const [N, C] = shape;
  const S = shape.slice(2).reduce((p, q) => p * q, 1);
  const groupOf = new Int32Array(N * C * S);
  for (let n = 0, i = 0; n < N; n++) for (let c = 0; c < C; c++) groupOf.fill(c, i, (i += S));
  return { groups: C, groupOf, paramOf: groupOf };
}

/** Layer norm: one group per row of the last `d` elements; parameters by position in the row. */
export function layerNormLayout(numel: number, d: number): NormLayout {
  const rows = d === 0 ? 0 : numel / d;
  const groupOf = new Int32Array(numel);
  const paramOf = new Int32Array(numel);
  for (let r = 0, i = 0; r < rows; r++) {
    groupOf.fill(r, i, i + d);
    for (let k = 0; k < d; k++) paramOf[i + k] = k;
    i += d;
  }
  return { groups: rows, groupOf, paramOf };
}

/** Group norm: per sample, `G` groups of C/G consecutive channels; parameters by channel. */
export function groupNormLayout(shape: readonly number[], G: number): NormLayout {
  const [N, C] = shape;
  const S = shape.slice(2).reduce((p, q) => p * q, 1);
  const groupOf = new Int32Array(N * C * S);
  const paramOf = new Int32Array(N * C * S);
  for (let n = 0, i = 0; n < N; n++) {
    for (let c = 0; c < C; c++, i += S) {
      groupOf.fill(n * G + Math.floor((c * G) / C), i, i + S);
      paramOf.fill(c, i, i + S);
    }
  }
  return { groups: N * G, groupOf, paramOf };
}

/** Per group mean and biased variance, in double (two passes). */
function groupStats(
  X: Float32Array,
  l: NormLayout,
): { mean: Float64Array; variance: Float64Array } {
  const count = new Float64Array(l.groups);
  const mean = new Float64Array(l.groups);
  const variance = new Float64Array(l.groups);
  for (let i = 0; i < X.length; i++) {
    mean[l.groupOf[i]] += X[i];
    count[l.groupOf[i]]++;
  }
  for (let g = 0; g < l.groups; g++) mean[g] /= count[g];
  for (let i = 0; i < X.length; i++) variance[l.groupOf[i]] += (X[i] - mean[l.groupOf[i]]) ** 2;
  for (let g = 0; g < l.groups; g++) variance[g] /= count[g];
  return { mean, variance };
}

/** The statistics a forward or backward uses: the fixed ones or the batch's. */
function statsOf(x: Tensor, a: NormAttrs): { mean: Float64Array; rstd: Float64Array } {
  if (a.fixed) return a.fixed;
  const stats = a.batchStats ?? groupStats(x._values, a.layout);
  a.batchStats = stats;
  return { mean: stats.mean, rstd: stats.variance.map((v) => 1 / Math.sqrt(v + a.eps)) };
}

const normOp = (name: string) =>
  defineOp<NormAttrs>({
    name,
    check: (_inputs, a) => a.check?.(),
    forward(ctx, [x, w, b], a) {
      ctx.save(x, w, b);
      const { mean, rstd } = statsOf(x, a);
      const { groupOf, paramOf } = a.layout;
      const X = x._values;
      const W = w.numel() ? w._values : null;
      const B = b.numel() ? b._values : null;
      const out = emptyFloats(X.length);
      for (let i = 0; i < X.length; i++) {
        const p = paramOf[i];
        const xhat = (X[i] - mean[groupOf[i]]) * rstd[groupOf[i]];
        out[i] = (W ? xhat * W[p] : xhat) + (B ? B[p] : 0);
      }
      return Tensor._make(out, x.shape.slice());
    },
    backward(ctx, [g], a) {
      const [x, w, b] = ctx.saved as Tensor[];
      const { mean, rstd } = statsOf(x, a);
      const { groups, groupOf, paramOf } = a.layout;
      const X = x._values;
      const G = g._values;
      const W = w.numel() ? w._values : null;
      const dw = new Float64Array(w.numel());
      const db = new Float64Array(b.numel());
      const sumD = new Float64Array(groups);
      const sumDX = new Float64Array(groups);
      const count = new Float64Array(groups);
      for (let i = 0; i < X.length; i++) {
        const k = groupOf[i];
        const p = paramOf[i];
        const xhat = (X[i] - mean[k]) * rstd[k];
        const d = W ? G[i] * W[p] : G[i];
        if (dw.length) dw[p] += G[i] * xhat;
        if (db.length) db[p] += G[i];
        sumD[k] += d;
        sumDX[k] += d * xhat;
        count[k]++;
      }
      let dx: Tensor | null = null;
      if (ctx.needsInputGrad[0]) {
        const out = emptyFloats(X.length);
        for (let i = 0; i < X.length; i++) {
          const k = groupOf[i];
          const d = W ? G[i] * W[paramOf[i]] : G[i];
          if (a.fixed) out[i] = d * rstd[k];
          else {
            const xhat = (X[i] - mean[k]) * rstd[k];
            out[i] = (rstd[k] / count[k]) * (count[k] * d - sumD[k] - xhat * sumDX[k]);
          }
        }
        dx = Tensor._make(out, x.shape.slice());
      }
      return [
        dx,
        ctx.needsInputGrad[1] ? Tensor._make(Float32Array.from(dw), w.shape.slice()) : null,
        ctx.needsInputGrad[2] ? Tensor._make(Float32Array.from(db), b.shape.slice()) : null,
      ];
    },
  });

export const NativeBatchNorm = normOp("NativeBatchNormBackward0");
export const NativeLayerNorm = normOp("NativeLayerNormBackward0");
export const NativeGroupNorm = normOp("NativeGroupNormBackward0");

/** The stand-in for an absent weight or bias: an empty tensor that needs no gradient. */
export const absent = (): Tensor => Tensor._make(new Float32Array(0), [0]);
