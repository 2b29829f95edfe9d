/**
 * A finite-difference gradcheck (test/unit/gradcheck.ts) for every indexing copy and
 * element-wise choice: gather, scatter, scatterAdd, indexSelect, indexAdd(_), maskedFill(_),
 * where, clamp with tensor bounds and clamp_, tril, triu, flip, roll, repeat and tile. Index
 * tensors repeat entries where the op adds up repeats, so that accumulation is checked too;
 * clamp inputs stay away from their bounds, where a finite difference would straddle a kink.
 */
import { test } from "node:test";
import * as torch from "../../../engine";
import { Tensor } from "../../../engine";
import { gradcheck } from "../gradcheck";

torch.manualSeed(4321);
const r = (...shape: number[]) => torch.randn(shape);
const long = (v: torch.NestedData) => torch.tensor(v);
const mask = (v: torch.NestedData) => torch.tensor(v, { dtype: "bool" });
const values = (v: number[], shape: number[]) =>
  torch.tensor(v, { dtype: "float32" }).reshape(shape);

type Case = [name: string, f: (...xs: Tensor[]) => Tensor | Tensor[], inputs: Tensor[]];

const M23 = mask([
  [true, false, true],
  [false, false, true],
]);

const cases: Case[] = [
  [
    "gather: dim 0 with repeats",
    (x) =>
      x.gather(
        0,
        long([
          [0, 1, 2, 0],
          [2, 0, 1, 1],
        ]),
      ),
    [r(3, 4)],
  ],
  ["gather: dim -1 of 3-D", (x) => x.gather(-1, long([[[2, 0]], [[1, 1]]])), [r(2, 2, 3)]],
  [
    "scatter: src along dim 0",
    (x, s) =>
      x.scatter(
        0,
        long([
          [0, 1, 2, 0],
          [2, 0, 1, 1],
        ]),
        s,
      ),
    [r(3, 4), r(2, 4)],
  ],
  ["scatter: one value", (x) => x.scatter(1, long([[0], [2], [1]]), 2.5), [r(3, 3)]],
  [
    "scatterAdd: repeated targets",
    (x, s) =>
      x.scatterAdd(
        0,
        long([
          [0, 0, 2, 0],
          [0, 0, 1, 1],
        ]),
        s,
      ),
    [r(3, 4), r(2, 4)],
  ],
  [
    "scatter_: in place on a non-leaf",
    (x, s) =>
      x.mul(1).scatter_(
        1,
        long([
          [0, 2],
          [1, 0],
        ]),
        s,
      ),
    [r(2, 3), r(2, 2)],
  ],
  [
    "scatterAdd_: in place on a non-leaf",
    (x, s) =>
      x.mul(1).scatterAdd_(
        1,
        long([
          [0, 0],
          [1, 0],
        ]),
        s,
      ),
    [r(2, 3), r(2, 2)],
  ],
  ["indexSelect: dim 1 with repeats", (x) => x.indexSelect(1, long([0, 3, 0])), [r(2, 4)]],
  [
    "indexAdd: alpha 2 with repeats",
    (x, s) => x.indexAdd(0, long([0, 2, 0]), s, 2),
    [r(3, 4), r(3, 4)],
  ],
  [
    "indexAdd_: in place on a non-leaf",
    (x, s) => x.mul(1).indexAdd_(1, long([3, 1]), s),
    [r(2, 4), r(2, 2)],
  ],
  ["maskedFill: a value", (x) => x.maskedFill(M23, -1.5), [r(2, 3)]],
  ["maskedFill: a broadcast mask growing the result", (x) => x.maskedFill(M23, 4), [r(3)]],
  ["maskedFill: a 0-dim tensor value", (x, v) => x.maskedFill(M23, v), [r(2, 3), r()]],
  ["maskedFill_: in place on a non-leaf", (x) => x.mul(2).maskedFill_(M23, 9), [r(2, 3)]],
  [
    "where: broadcast of all three",
    (a, b) => torch.where(mask([[true], [false]]), a, b),
    [r(2, 1), r(3)],
  ],
  ["where: a number for the other", (a) => torch.where(M23, a, 0.5), [r(2, 3)]],
  [
    "clamp: tensor min and max",
    (x, lo, hi) => x.clamp(lo, hi),
    [
      values([-1, 0.1, 0.3, 0.7, -0.3, 1], [2, 3]),
      values([-0.5, 0, 0.2], [3]),
      values([0.5, 0.4, -0.1], [3]),
    ],
  ],
  [
    "clamp: tensor min only",
    (x, lo) => x.clamp(lo),
    [values([-1, 0.1, 0.6, 0.7], [4]), values([-0.5], [1])],
  ],
  [
    "clamp_: numbers on a non-leaf",
    (x) => x.mul(1).clamp_(-0.3, 0.4),
    [values([-1, -0.1, 0.2, 0.9], [4])],
  ],
  ["tril: diagonal -1 of a wide matrix", (x) => x.tril(-1), [r(3, 4)]],
  ["triu: diagonal 1 of a batch", (x) => torch.triu(x, 1), [r(2, 3, 3)]],
  ["flip: two dims", (x) => x.flip(0, -1), [r(2, 2, 3)]],
  ["roll: flattened", (x) => x.roll(-4), [r(2, 3)]],
  ["roll: two dims", (x) => x.roll([5, -1], [0, 1]), [r(3, 4)]],
  ["repeat: new leading dims", (x) => x.repeat(3, 1, 2), [r(2)]],
  ["tile: fewer dims than the tensor", (x) => x.tile(2), [r(2, 3)]],
];

for (const [name, f, inputs] of cases) {
  test(`gradcheck: ${name}`, () => gradcheck(f, inputs));
}
