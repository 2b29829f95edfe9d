/**
 * The indexing copies and element-wise choices against PyTorch 1.13 (fixtures from
 * test/fixtures/torch/make_index_reference.py): values, dtype, printed form, grad_fn name, the
 * backward graph and every input's gradient, one test per case; then each wrong call's
 * error type and message.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { Tensor } from "../../../engine";
import { loadFixture } from "./torchFixtures";
import { Input, OpCase, OpTable, runOpCase } from "./opCases";

/** An op's arguments as the fixtures store them (index tensors and masks as nested lists). */
interface Args {
  dim?: number;
  dims?: number | number[];
  index?: torch.NestedData;
  mask?: torch.NestedData;
  value?: number;
  alpha?: number;
  diagonal?: number;
  bounds?: ("min" | "max")[];
  min?: number;
  max?: number;
  shifts?: number | number[];
  sizes?: number[];
}

const T = (x: Input | undefined): Tensor => {
  assert.ok(x instanceof Tensor, "expected a tensor input");
  return x;
};
const index = (a: Args) => torch.tensor(a.index!);
const mask = (a: Args) => torch.tensor(a.mask!, { dtype: "bool" });
/** The second input when the case has one, else the number in `value`. */
const valueOf = (xs: Input[], a: Args) => (xs.length > 1 ? xs[1] : a.value!);

const OPS: OpTable<Args> = {
  clone: ([x]) => T(x).clone(),
  t: ([x]) => T(x).t(),
  gather: ([x], a) => torch.gather(T(x), a.dim!, index(a)),
  scatter: (xs, a) => torch.scatter(T(xs[0]), a.dim!, index(a), valueOf(xs, a)),
  scatterAdd: ([x, src], a) => torch.scatterAdd(T(x), a.dim!, index(a), T(src)),
  indexSelect: ([x], a) => torch.indexSelect(T(x), a.dim!, index(a)),
  indexAdd: ([x, src], a) => torch.indexAdd(T(x), a.dim!, index(a), T(src), a.alpha),
  indexAdd_: ([x, src], a) => T(x).indexAdd_(a.dim!, index(a), T(src), a.alpha),
  maskedFill: (xs, a) => T(xs[0]).maskedFill(mask(a), valueOf(xs, a)),
  maskedFill_: (xs, a) => T(xs[0]).maskedFill_(mask(a), valueOf(xs, a)),
  where: ([x, y], a) => torch.where(mask(a), x, y),
  whereIndices: ([c]) => torch.where(T(c)),
  tril: ([x], a) => torch.tril(T(x), a.diagonal),
  triu: ([x], a) => T(x).triu(a.diagonal),
  clampTensor: ([x, ...bounds], a) => {
    const [lo, hi] =
      a.bounds!.length === 2
        ? bounds
        : a.bounds![0] === "min"
          ? [bounds[0], null]
          : [null, bounds[0]];
    return T(x).clamp(lo, hi);
  },
  clamp_: ([x], a) => T(x).clamp_(a.min, a.max),
  flip: ([x], a) => torch.flip(T(x), a.dims!),
  roll: ([x], a) => T(x).roll(a.shifts!, a.dims),
  repeat: ([x], a) => T(x).repeat(a.sizes!),
  tile: ([x], a) => torch.tile(T(x), a.dims as number[]),
};

for (const family of ["gather_scatter", "masked", "reorder"]) {
  const { cases } = loadFixture<{ cases: OpCase<Args>[] }>(`index_ops_${family}.json`);
  for (const c of cases) {
    const what = c.outputs.some((o) => o.upstream) ? "values, graph and gradient" : "values";
    test(`${c.name}, ${what} match PyTorch`, () => runOpCase(c, OPS));
  }
}

const long = (v: torch.NestedData) => torch.tensor(v);
const x34 = () => torch.ones([3, 4], { requiresGrad: true });
const bools = (...shape: number[]) => torch.ones(shape, { dtype: "bool" });

/** Each mistake of index_errors.json, made the same way with the engine. */
const MISTAKES: Record<string, () => unknown> = {
  gather_out_of_bounds: () =>
    x34().gather(
      0,
      long([
        [0, 1],
        [2, 5],
      ]),
    ),
  gather_float_index: () => x34().gather(0, torch.tensor([[0.5]])),
  gather_dims: () => x34().gather(0, long([0])),
  gather_index_too_big: () => x34().gather(0, torch.zeros([4, 5], { dtype: "int64" })),
  gather_dim_out_of_range: () => x34().gather(2, torch.zeros([1, 1], { dtype: "int64" })),
  scatter_out_of_bounds: () =>
    torch.ones(3, 4).scatter(
      0,
      long([
        [0, 1],
        [2, 5],
      ]),
      1,
    ),
  scatter_src_too_small: () =>
    torch.ones(3, 4).scatter(0, torch.zeros([2, 2], { dtype: "int64" }), torch.ones(1, 1)),
  scatter_dims: () =>
    torch.ones(3, 4).scatter(0, torch.zeros([2], { dtype: "int64" }), torch.ones(2)),
  scatter_float_index: () => torch.ones(3, 4).scatter(0, torch.zeros(2, 2), torch.ones(2, 2)),
  scatter_src_larger_backward: () =>
    torch
      .ones(2, 4)
      .scatter(
        1,
        long([
          [3, 0],
          [1, 2],
        ]),
        torch.ones([2, 3], { requiresGrad: true }),
      )
      .sum()
      .backward(),
  scatter_add_out_of_bounds: () =>
    torch.ones(3, 4).scatterAdd(
      0,
      long([
        [0, 1],
        [2, 5],
      ]),
      torch.ones(2, 2),
    ),
  index_select_out_of_range: () => x34().indexSelect(0, long([3])),
  index_select_negative_dim_0: () => x34().indexSelect(0, long([-1])),
  index_select_negative_dim_1: () => x34().indexSelect(1, long([-1])),
  index_select_float: () => x34().indexSelect(0, torch.tensor([0.5])),
  index_select_matrix: () => x34().indexSelect(0, long([[0]])),
  index_add_out_of_range: () => torch.ones(3, 4).indexAdd_(0, long([3]), torch.ones(1, 4)),
  index_add_slice_mismatch: () => torch.ones(3, 4).indexAdd_(0, long([0]), torch.ones(1, 3)),
  index_add_count: () => torch.ones(3, 4).indexAdd_(0, long([0, 1]), torch.ones(1, 4)),
  index_add_leaf: () => x34().indexAdd_(0, long([0]), torch.ones(1, 4)),
  masked_fill_broadcast: () => x34().maskedFill(bools(2, 4), 0),
  masked_fill_in_place_grows: () => torch.ones(3, 4).maskedFill_(bools(2, 3, 4), 0),
  masked_fill_value_not_0d: () => x34().maskedFill(bools(3, 4), torch.tensor([1.5])),
  where_float_condition: () => torch.where(torch.ones(3, 4), x34(), x34()),
  where_broadcast: () => torch.where(bools(3, 4), x34(), torch.ones(2, 4)),
  tril_1d: () => torch.ones(3).tril(),
  flip_repeated_dim: () => x34().flip([0, 0]),
  flip_dim_out_of_range: () => x34().flip(2),
  roll_misaligned: () => x34().roll([1, 2], 0),
  roll_no_shifts: () => x34().roll([], []),
  repeat_too_few: () => x34().repeat(2),
  repeat_negative: () => x34().repeat(-1, 2),
  clamp_no_bounds: () => x34().clamp(),
  clamp_on_leaf: () => x34().clamp_(0, 1),
};

const { cases: errors } = loadFixture<{ cases: { id: string; type: string; message: string }[] }>(
  "index_errors.json",
);
for (const e of errors) {
  test(`error: ${e.id} is PyTorch's ${e.type}`, () => {
    const mistake = MISTAKES[e.id];
    assert.ok(mistake, `no engine mistake for ${e.id}`);
    assert.throws(mistake, (err: Error) => {
      assert.equal(err.name, e.type);
      assert.equal(err.message, e.message);
      return true;
    });
  });
}
