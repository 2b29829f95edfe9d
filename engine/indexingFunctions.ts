/**
 * The `torch.*` function forms of the indexing copies and element-wise choices
 * (`torch.gather(x, dim, index)`, `torch.where(cond, a, b)`, ...), forwarding to the same op
 * as the method.
 */
import { traced } from "./autograd/apply";
import { Tensor, TensorLike } from "./tensor";
import * as mk from "./ops/masked";

export const gather = (x: Tensor, dim: number, index: Tensor): Tensor => x.gather(dim, index);
export const scatter = (x: Tensor, dim: number, index: Tensor, src: TensorLike): Tensor =>
  x.scatter(dim, index, src);
export const scatterAdd = (x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor =>
  x.scatterAdd(dim, index, src);
export const indexSelect = (x: Tensor, dim: number, index: Tensor): Tensor =>
  x.indexSelect(dim, index);
export const indexAdd = (
  x: Tensor,
  dim: number,
  index: Tensor,
  source: Tensor,
  alpha = 1,
): Tensor => x.indexAdd(dim, index, source, alpha);
export const maskedFill = (x: Tensor, mask: Tensor, value: TensorLike): Tensor =>
  x.maskedFill(mask, value);
export const tril = (x: Tensor, diagonal = 0): Tensor => x.tril(diagonal);
export const triu = (x: Tensor, diagonal = 0): Tensor => x.triu(diagonal);
export const flip = (x: Tensor, dims: number | number[]): Tensor =>
  x.flip(Array.isArray(dims) ? dims : [dims]);
export const roll = (x: Tensor, shifts: number | number[], dims?: number | number[]): Tensor =>
  x.roll(shifts, dims);
export const tile = (x: Tensor, dims: number[]): Tensor => x.tile(dims);

/**
 * `a` where `condition` holds, else `b`, broadcast together; with only a condition, the
 * indices where it holds, one int64 tensor per dim (`torch.where`).
 * @example torch.where(x.gt(0), x, 0)   // relu by hand
 */
export function where(condition: Tensor): Tensor[];
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor;
export function where(condition: Tensor, a?: TensorLike, b?: TensorLike): Tensor | Tensor[] {
  return traced("where", [condition, a, b], () => {
    if (a === undefined || b === undefined) return mk.nonzeroPerDim(condition);
    return mk.where(condition, a, b);
  });
}
