/**
 * Embedding lookup (`EmbeddingBackward0`): out[..., :] = weight[index, :]. Backward adds each
 * output row's gradient into the row it came from, except the padding row, which gets none.
 */
import { defineOp, traced } from "../autograd/apply";
import { Tensor } from "../tensor";
import { IndexError, RuntimeError } from "../errors";
import type { FailureReason } from "../failureReasons";

/** The reason of indices outside [0, rows): the offending values, each once. */
function outside(indices: ArrayLike<number>, rows: number): FailureReason {
  const bad = new Set<number>();
  for (let k = 0; k < indices.length; k++) if (indices[k] < 0 || indices[k] >= rows) bad.add(indices[k]);
  return { kind: "embeddingIndex", numEmbeddings: rows, bad: [...bad] };
}

export const Embedding = defineOp<{ indices: Tensor; paddingIdx: number | null }>({
  name: "EmbeddingBackward0",
  forward(_ctx, [weight], { indices }) {
    const [rows, dim] = weight.shape;
    const I = indices._values;
    const W = weight._values;
    const out = new Float32Array(I.length * dim);
    for (let k = 0; k < I.length; k++) {
      const r = I[k];
      if (r < 0 || r >= rows) throw new IndexError("index out of range in self", outside(I, rows));
      out.set(W.subarray(r * dim, (r + 1) * dim), k * dim);
    }
    return Tensor._make(out, [...indices.shape, dim]);
  },
  backward(ctx, [g], { indices, paddingIdx }) {
    const shape = ctx.inputShape(0);
    const dim = shape[1];
    const I = indices._values;
    const G = g._values;
    const gw = new Float32Array(shape[0] * dim);
    for (let k = 0; k < I.length; k++) {
      if (I[k] === paddingIdx) continue;
      for (let j = 0; j < dim; j++) gw[I[k] * dim + j] += G[k * dim + j];
    }
    return [Tensor._make(gw, shape.slice())];
  },
});

/**
 * Rows of `weight` [numEmbeddings, dim] picked by the int64 `input` (PyTorch's `F.embedding`);
 * the `paddingIdx` row gets no gradient.
 * @example F.embedding(torch.tensor([[1, 0, 3]]), weight).shape   // [1, 3, dim]
 */
export function embedding(input: Tensor, weight: Tensor, paddingIdx: number | null = null): Tensor {
  return traced("embedding", [input, weight], () => {
    if (input.dtype !== "int64") {
      const kind = input.dtype === "bool" ? "BoolTensor" : "FloatTensor";
      throw new RuntimeError(
        `Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.${kind} instead (while checking arguments for embedding)`,
        { kind: "dtype", expected: "Long", got: input.dtype === "bool" ? "Bool" : "Float" },
      );
    }
    if (weight.dim() !== 2) throw new RuntimeError("'weight' must be 2-D");
    const pad =
      paddingIdx === null || paddingIdx === undefined
        ? null
        : paddingIdx < 0
          ? paddingIdx + weight.shape[0]
          : paddingIdx;
    return Embedding.apply([weight], { indices: input, paddingIdx: pad });
  });
}
