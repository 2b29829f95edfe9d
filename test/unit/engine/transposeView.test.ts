/**
 * A 2-D transpose is a view, as in PyTorch: the GEMM reads it in place (no copy for
 * `F.linear`'s weight.t()), reads see later changes to its base, writes reach the base.
 * Expected values are PyTorch 1.13's for the same statements.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";

test("transpose view: reads see in-place changes of the base, before and after a first read", () => {
  const w = torch.arange(6, { dtype: "float32" }).view(2, 3);
  const v = w.t();
  assert.deepEqual(v.tolist(), [[0, 3], [1, 4], [2, 5]]);
  w.add_(1);
  assert.deepEqual(v.tolist(), [[1, 4], [2, 5], [3, 6]]);
  const fresh = w.t();
  w.mul_(10);
  assert.deepEqual(fresh.tolist(), [[10, 40], [20, 50], [30, 60]], "never read before the change");
});

test("transpose view: an in-place op on the view writes through to its base", () => {
  const w = torch.arange(6, { dtype: "float32" }).view(2, 3).add(1);
  const v = w.t();
  v.mul_(2);
  assert.deepEqual(w.tolist(), [[2, 4, 6], [8, 10, 12]]);
  assert.equal(v.isContiguous(), false);
  assert.equal(v.t().isContiguous(), true);
});

test("transpose view: a matmul through it equals the product with the copied transpose", () => {
  torch.manualSeed(3);
  const a = torch.randn(4, 5);
  const w = torch.randn(3, 5);
  const viaView = a.matmul(w.t()).tolist() as number[][];
  const copied = torch.tensor(w.t().tolist() as number[][], { dtype: "float32" });
  const viaCopy = a.matmul(copied).tolist() as number[][];
  viaView.flat().forEach((x, i) => assert.ok(Math.abs(x - viaCopy.flat()[i]) < 1e-5));
});

test("transpose view: modifying a weight after linear's forward makes backward fail as in PyTorch", () => {
  const w = torch.randn(3, 5, { requiresGrad: true });
  const x = torch.randn(2, 5, { requiresGrad: true });
  const y = torch.nn.functional.linear(x, w).sum();
  torch.noGrad(() => w.add_(1));
  assert.throws(() => y.backward(), /modified by an inplace operation/);
});
