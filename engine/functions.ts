/**
 * The `torch.*` function forms of tensor ops (`torch.add(a, b)`, `torch.matmul(a, b)`, ...).
 * Each takes numbers wherever it takes a tensor, and forwards to the same op as the method.
 */
import { traced } from "./autograd/apply";
import { Tensor, TensorLike, asTensor, ValuesIndices } from "./tensor";
import * as bin from "./ops/binary";
import { baddbmm as baddbmmOp } from "./ops/matmul";

const T = asTensor;

export const add = (a: TensorLike, b: TensorLike, alpha = 1): Tensor => T(a).add(b, alpha);
export const sub = (a: TensorLike, b: TensorLike, alpha = 1): Tensor => T(a).sub(b, alpha);
export const mul = (a: TensorLike, b: TensorLike): Tensor => T(a).mul(b);
export const div = (a: TensorLike, b: TensorLike): Tensor => T(a).div(b);
/** `torch.pow(2, x)` (a number base) is its own op, `PowBackward2`, as in PyTorch. */
export const pow = (a: TensorLike, b: TensorLike): Tensor => bin.pow(a, b);
export const maximum = (a: TensorLike, b: TensorLike): Tensor => T(a).maximum(b);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => T(a).minimum(b);
export const neg = (x: Tensor): Tensor => x.neg();
export const exp = (x: Tensor): Tensor => x.exp();
export const log = (x: Tensor): Tensor => x.log();
export const sqrt = (x: Tensor): Tensor => x.sqrt();
export const abs = (x: Tensor): Tensor => x.abs();
export const sin = (x: Tensor): Tensor => x.sin();
export const reciprocal = (x: Tensor): Tensor => x.reciprocal();
/** `other - alpha·x`: Python's `2 - x` (PyTorch's `torch.rsub`, grad_fn RsubBackward1 for a number). */
export const rsub = (x: Tensor, other: TensorLike, alpha = 1): Tensor => bin.rsub(x, other, alpha);
export const cos = (x: Tensor): Tensor => x.cos();
export const relu = (x: Tensor): Tensor => x.relu();
export const sigmoid = (x: Tensor): Tensor => x.sigmoid();
export const tanh = (x: Tensor): Tensor => x.tanh();
export const clamp = (x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor => x.clamp(min, max);
export const softmax = (x: Tensor, dim: number): Tensor => x.softmax(dim);
export const logSoftmax = (x: Tensor, dim: number): Tensor => x.logSoftmax(dim);
export const sum = (x: Tensor, dim?: number | number[] | null, keepdim = false): Tensor => x.sum(dim, keepdim);
export const mean = (x: Tensor, dim?: number | number[] | null, keepdim = false): Tensor => x.mean(dim, keepdim);
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return traced("max", [x], () => {
    return dim === undefined ? x.max() : x.max(dim, keepdim);
  });
}
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return traced("min", [x], () => {
    return dim === undefined ? x.min() : x.min(dim, keepdim);
  });
}
export const argmax = (x: Tensor, dim?: number, keepdim = false): Tensor => x.argmax(dim, keepdim);
export const argmin = (x: Tensor, dim?: number, keepdim = false): Tensor => x.argmin(dim, keepdim);
export const norm = (x: Tensor): Tensor => x.norm();
export const matmul = (a: Tensor, b: Tensor): Tensor => a.matmul(b);
export const mm = (a: Tensor, b: Tensor): Tensor => a.mm(b);
export const mv = (a: Tensor, v: Tensor): Tensor => a.mv(v);
export const bmm = (a: Tensor, b: Tensor): Tensor => a.bmm(b);
/** input + a·b for batches of matrices (`torch.baddbmm`, beta = alpha = 1). */
export const baddbmm = (input: Tensor, a: Tensor, b: Tensor): Tensor => baddbmmOp(input, a, b);
export const dot = (a: Tensor, b: Tensor): Tensor => a.dot(b);
export const t = (x: Tensor): Tensor => x.t();
export const transpose = (x: Tensor, d0: number, d1: number): Tensor => x.transpose(d0, d1);
export const permute = (x: Tensor, dims: number[]): Tensor => x.permute(dims);
export const reshape = (x: Tensor, shape: number[]): Tensor => x.reshape(shape);
export const flatten = (x: Tensor, startDim = 0, endDim = -1): Tensor => x.flatten(startDim, endDim);
export const unsqueeze = (x: Tensor, dim: number): Tensor => x.unsqueeze(dim);
export const squeeze = (x: Tensor, dim?: number): Tensor => x.squeeze(dim);
export const split = (x: Tensor, size: number | number[], dim = 0): Tensor[] => x.split(size, dim);
export const chunk = (x: Tensor, chunks: number, dim = 0): Tensor[] => x.chunk(chunks, dim);
export const unbind = (x: Tensor, dim = 0): Tensor[] => x.unbind(dim);
export const clone = (x: Tensor): Tensor => x.clone();
export const detach = (x: Tensor): Tensor => x.detach();
export const select = (x: Tensor, dim: number, index: number): Tensor => x.select(dim, index);
export const narrow = (x: Tensor, dim: number, start: number, length: number): Tensor => x.narrow(dim, start, length);
export const diagonal = (x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor => x.diagonal(offset, dim1, dim2);
export const asStrided = (x: Tensor, size: number[], stride: number[], storageOffset?: number): Tensor =>
  x.asStrided(size, stride, storageOffset);
export const gt = (a: TensorLike, b: TensorLike): Tensor => T(a).gt(b);
export const lt = (a: TensorLike, b: TensorLike): Tensor => T(a).lt(b);
export const ge = (a: TensorLike, b: TensorLike): Tensor => T(a).ge(b);
export const le = (a: TensorLike, b: TensorLike): Tensor => T(a).le(b);
export const eq = (a: TensorLike, b: TensorLike): Tensor => T(a).eq(b);
export const ne = (a: TensorLike, b: TensorLike): Tensor => T(a).ne(b);
