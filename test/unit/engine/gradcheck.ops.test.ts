/**
 * A finite-difference gradcheck (test/unit/gradcheck.ts) for every differentiable core op,
 * with broadcasting and each matmul rank combination. Inputs stay away from kinks: positive
 * for log/sqrt/pow, away from 0 for abs/relu, away from clamp bounds, and without near-ties
 * for max/min/maximum/minimum, where a finite difference would straddle the kink.
 */
import { test } from "node:test";
import * as torch from "../../../engine";
import { Tensor } from "../../../engine";
import { gradcheck, GradcheckOptions } from "../gradcheck";

torch.manualSeed(1234);
/** Standard normal values. */
const r = (...shape: number[]) => torch.randn(shape);
/** Values in [0.5, 1.5): safe for log, sqrt and fractional powers. */
const pos = (...shape: number[]) => torch.rand(shape).add(0.5);
/** A float tensor of the given values and shape. */
const values = (v: number[], shape: number[]) =>
  torch.tensor(v, { dtype: "float32" }).reshape(shape);
/** Values at least 0.2 away from 0 (for abs and relu). */
const awayFromZero = (...shape: number[]) => {
  const v = Array.from(r(...shape)._values, (x) => x + (x < 0 ? -0.2 : 0.2));
  return values(v, shape);
};
/** Distinct values in [-2, 2) at least ~0.06 apart for up to 24 elements (golden-ratio spacing). */
const distinct = (...shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return values(
    Array.from({ length: n }, (_, i) => (((i + 1) * 0.6180339887) % 1) * 4 - 2),
    shape,
  );
};

type Case = [
  name: string,
  f: (...xs: Tensor[]) => Tensor | Tensor[],
  inputs: Tensor[],
  options?: GradcheckOptions,
];

const cases: Case[] = [
  // element-wise binary, with broadcasting and scalars
  ["add: [3] + [2, 3]", (a, b) => a.add(b), [r(3), r(2, 3)]],
  ["add: alpha 2, [2, 1] + [1, 3]", (a, b) => a.add(b, 2), [r(2, 1), r(1, 3)]],
  ["sub: [4, 1, 3] - [2, 1]", (a, b) => a.sub(b), [r(4, 1, 3), r(2, 1)]],
  ["sub: scalar - tensor", (a) => torch.sub(2, a), [r(3)]],
  ["rsub: 2 - x (Python's __rsub__)", (a) => torch.rsub(a, 2), [r(2, 3)]],
  ["rsub: alpha 0.5", (a) => torch.rsub(a, 1.5, 0.5), [r(3)]],
  ["mul: [2, 1] * [1, 3]", (a, b) => a.mul(b), [r(2, 1), r(1, 3)]],
  ["mul: 0-dim * [2, 2]", (a, b) => a.mul(b), [r(), r(2, 2)]],
  ["div: [2, 3] / [3]", (a, b) => a.div(b), [r(2, 3), pos(3)]],
  ["div: scalar / tensor", (a) => torch.div(3, a), [pos(4)]],
  ["pow: scalar exponent 3", (a) => a.pow(3), [r(2, 3)]],
  ["pow: scalar exponent -0.5", (a) => a.pow(-0.5), [pos(4)]],
  ["pow: tensor exponent with broadcast", (a, b) => a.pow(b), [pos(2, 1), r(3)]],
  ["pow: scalar base", (b) => torch.pow(1.7, b), [r(2, 3)]],
  [
    "maximum: [2, 3] with [3]",
    (a, b) => a.maximum(b),
    [distinct(2, 3), distinct(3).mul(0.9).add(0.03)],
  ],
  [
    "minimum: [2, 1] with [1, 3]",
    (a, b) => a.minimum(b),
    [distinct(2, 1), distinct(1, 3).add(0.05)],
  ],
  // element-wise unary
  ["neg", (a) => a.neg(), [r(2, 3)]],
  ["reciprocal", (a) => a.reciprocal(), [awayFromZero(2, 3)]],
  ["exp", (a) => a.exp(), [r(2, 3)]],
  ["log", (a) => a.log(), [pos(2, 3)]],
  ["sqrt", (a) => a.sqrt(), [pos(2, 3)]],
  ["abs", (a) => a.abs(), [awayFromZero(2, 3)]],
  ["relu", (a) => a.relu(), [awayFromZero(2, 3)]],
  ["sigmoid", (a) => a.sigmoid(), [r(2, 3)]],
  ["tanh", (a) => a.tanh(), [r(2, 3)]],
  ["sin", (a) => a.sin(), [r(2, 3)]],
  ["cos", (a) => a.cos(), [r(2, 3)]],
  ["clamp: min and max", (a) => a.clamp(-0.5, 0.5), [values([-1.2, -0.3, 0.1, 0.4, 0.9, 2], [6])]],
  ["clamp: min only", (a) => a.clamp(0.1), [values([-1, 0.5, 0.3, -0.2], [4])]],
  ["softmax: dim 1", (a) => a.softmax(1), [r(2, 4)]],
  ["softmax: dim 0 of 3-D", (a) => a.softmax(0), [r(3, 2, 2)]],
  ["logSoftmax: dim -1", (a) => a.logSoftmax(-1), [r(2, 4)]],
  // matrix products
  ["matmul: 1-D · 1-D", (a, b) => a.matmul(b), [r(3), r(3)]],
  ["matmul: 2-D · 1-D", (a, b) => a.matmul(b), [r(2, 3), r(3)]],
  ["matmul: 1-D · 2-D", (a, b) => a.matmul(b), [r(3), r(3, 4)]],
  ["matmul: 2-D · 2-D", (a, b) => a.matmul(b), [r(2, 3), r(3, 4)]],
  ["matmul: 3-D · 2-D", (a, b) => a.matmul(b), [r(2, 2, 3), r(3, 2)]],
  [
    "matmul: transposed 3-D · 2-D (bmm path)",
    (a, b) => a.transpose(1, 2).matmul(b),
    [r(2, 3, 2), r(3, 2)],
  ],
  ["matmul: 3-D · 1-D", (a, b) => a.matmul(b), [r(2, 2, 3), r(3)]],
  ["matmul: 1-D · 3-D", (a, b) => a.matmul(b), [r(2), r(3, 2, 4)]],
  ["matmul: 2-D · 3-D", (a, b) => a.matmul(b), [r(2, 3), r(2, 3, 2)]],
  ["matmul: 3-D · 3-D", (a, b) => a.matmul(b), [r(2, 2, 3), r(2, 3, 2)]],
  ["matmul: broadcast batch", (a, b) => a.matmul(b), [r(2, 1, 2, 3), r(3, 3, 2)]],
  ["mm", (a, b) => a.mm(b), [r(2, 3), r(3, 2)]],
  ["mv", (a, b) => a.mv(b), [r(3, 2), r(2)]],
  ["bmm", (a, b) => a.bmm(b), [r(2, 2, 3), r(2, 3, 2)]],
  ["dot", (a, b) => a.dot(b), [r(4), r(4)]],
  // shapes
  ["t", (a) => a.t(), [r(2, 3)]],
  ["transpose: 0 and 2", (a) => a.transpose(0, 2), [r(2, 3, 2)]],
  ["permute", (a) => a.permute(2, 0, 1), [r(2, 3, 2)]],
  ["view", (a) => a.view(3, -1), [r(2, 3)]],
  ["reshape: contiguous", (a) => a.reshape(6), [r(2, 3)]],
  ["reshape: after transpose", (a) => a.t().reshape(6), [r(2, 3)]],
  ["flatten", (a) => a.flatten(1), [r(2, 2, 3)]],
  ["unsqueeze", (a) => a.unsqueeze(1), [r(2, 3)]],
  ["squeeze: all", (a) => a.squeeze(), [r(1, 3, 1)]],
  ["squeeze: dim", (a) => a.squeeze(0), [r(1, 3)]],
  ["expand", (a) => a.expand(2, 3, 4), [r(3, 1)]],
  ["contiguous: after transpose", (a) => a.t().contiguous(), [r(2, 3)]],
  ["clone", (a) => a.clone(), [r(2, 3)]],
  ["select", (a) => a.select(1, -1), [r(3, 4)]],
  ["narrow", (a) => a.narrow(1, 1, 2), [r(3, 4)]],
  ["split: uneven", (a) => a.split(2, 1), [r(2, 5)]],
  ["split: sizes", (a) => a.split([1, 3]), [r(4, 2)]],
  ["chunk", (a) => a.chunk(3), [r(5, 2)]],
  ["unbind: dim 0", (a) => a.unbind(), [r(3, 2)]],
  ["unbind: dim 1 of 3-D", (a) => torch.unbind(a, 1), [r(2, 3, 2)]],
  ["baddbmm: mask broadcast over the batch", (m, a, b) => torch.baddbmm(m, a, b), [r(1, 2, 2), r(3, 2, 4), r(3, 4, 2)]],
  ["baddbmm: full-size input", (m, a, b) => torch.baddbmm(m, a, b), [r(2, 3, 2), r(2, 3, 1), r(2, 1, 2)]],
  ["cat: dim 1", (a, b) => torch.cat([a, b], 1), [r(2, 1), r(2, 3)]],
  ["stack: dim -1", (a, b) => torch.stack([a, b], -1), [r(3), r(3)]],
  // reductions
  ["sum: all", (a) => a.sum(), [r(2, 3)]],
  ["sum: dims [0, 2] keepdim", (a) => a.sum([0, 2], true), [r(2, 3, 2)]],
  ["mean: all", (a) => a.mean(), [r(2, 3)]],
  ["mean: dim -1", (a) => a.mean(-1), [r(2, 3)]],
  ["max: all", (a) => a.max(), [distinct(2, 3)]],
  ["max: dim 1", (a) => [...a.max(1)], [distinct(3, 4)]],
  ["min: all", (a) => a.min(), [distinct(2, 3)]],
  ["min: dim 0 keepdim", (a) => [...a.min(0, true)], [distinct(3, 4)]],
  ["norm", (a) => a.norm(), [r(2, 3)]],
  // in place, on a non-leaf
  ["add_: alpha 2 on a clone", (a, b) => a.clone().add_(b, 2), [r(2, 3), r(3)]],
  ["mul_: on a clone", (a, b) => a.clone().mul_(b), [r(2, 3), r(2, 3)]],
  ["div_: on a clone", (a, b) => a.clone().div_(b), [r(3), pos(3)]],
  ["copy_: into a clone, broadcast", (a, b) => a.clone().copy_(b), [r(2, 3), r(3)]],
  // views and indexing
  ["slice with a step", (a) => a.index(":", "1::2"), [r(3, 5)]],
  ["index: numbers, slices, null, ellipsis", (a) => a.index(1, null, "...", "0:2"), [r(3, 2, 4)]],
  ["index: long tensor, repeated entries", (a) => a.index(":", torch.tensor([2, 0, 2])), [r(2, 3)]],
  ["index: two long tensors, not adjacent", (a) => a.index(torch.tensor([0, 1]), ":", torch.tensor([3, 0])), [r(2, 3, 4)]],
  ["index: bool mask", (a) => a.index(torch.tensor([[true, false, true], [false, true, false]])), [r(2, 3)]],
  ["indexPut_: a slice of a clone, value broadcast", (a, v) => a.clone().indexPut_(["0:2", 1], v), [r(3, 4), r(1)]],
  ["indexPut_: long indices, accumulate", (a, v) => a.clone().indexPut_([torch.tensor([0, 2, 0])], v, true), [r(3, 2), r(3, 2)]],
  ["unbind", (a) => a.unbind(1), [r(2, 3)]],
  ["diagonal: offset -1", (a) => a.diagonal(-1), [r(4, 3)]],
  ["asStrided: overlapping windows", (a) => a.asStrided([3, 2], [1, 1]), [r(4)]],
  ["permute then in-place through a view", (a, b) => {
    const c = a.clone();
    c.permute(1, 0).index(0).mul_(b);
    return c;
  }, [r(2, 3), r(2)]],
  ["expand", (a) => a.expand(3, 2, 4), [r(2, 1)]],
  // a composite: the seed example
  ["composite: ((x - 2)² · 3).mean()", (a) => a.sub(2).pow(2).mul(3).mean(), [r(2, 2)]],
];

for (const [name, f, inputs, options] of cases) {
  test(`gradcheck: ${name}`, () => gradcheck(f, inputs, options));
}
