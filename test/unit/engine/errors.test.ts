/**
 * Each mistake of the engine-core issue, made with the engine, throws PyTorch's error type with
 * PyTorch's message word for word (first line; fixtures in core_errors.json, made by the same
 * mistake in PyTorch 1.13 under the same id).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { loadFixture } from "./torchFixtures";

interface ErrorCase {
  id: string;
  name: string;
  type: string;
  message: string;
}

const x3 = () => torch.tensor([1, 2, 3], { requiresGrad: true });
const f = (data: torch.NestedData) => torch.tensor(data, { dtype: "float32" });

/** A custom Function whose backward returns one gradient for two inputs. */
class MyFn extends torch.autograd.Function {
  static override forward(_ctx: torch.autograd.Context, a: torch.Tensor, b: torch.Tensor) {
    return a.add(b);
  }
  static override backward(_ctx: torch.autograd.Context, g: torch.Tensor) {
    return g;
  }
}

/** A custom Function whose backward returns a gradient of the wrong shape. */
class WrongShape extends torch.autograd.Function {
  static override forward(_ctx: torch.autograd.Context, a: torch.Tensor) {
    return a.mul(2);
  }
  static override backward() {
    return torch.ones(2);
  }
}

/** The same mistakes as ERRORS in make_core_reference_extra.py, by id. */
const MISTAKES: Record<string, () => unknown> = {
  backward_no_grad_fn: () => f([1, 2]).sum().backward(),
  backward_implicit_non_scalar: () => x3().mul(2).backward(),
  backward_twice: () => {
    const y = x3().mul(x3()).sum();
    y.backward();
    y.backward();
  },
  backward_grad_shape: () => x3().mul(2).backward(torch.ones(2)),
  broadcast_mismatch: () => x3().add(torch.ones(4)),
  broadcast_mismatch_inner: () => torch.ones(2, 3).mul(torch.ones(2, 2)),
  mm_mismatch: () => torch.ones(2, 3).mm(torch.ones(4, 5)),
  matmul_2d_mismatch: () => torch.ones(2, 3).matmul(torch.ones(4, 5)),
  matmul_1d_2d_mismatch: () => torch.ones(3).matmul(torch.ones(4, 5)),
  matmul_3d_2d_mismatch: () => torch.ones(2, 2, 3).matmul(torch.ones(4, 5)),
  matmul_3d_3d_mismatch: () => torch.ones(2, 2, 3).matmul(torch.ones(2, 4, 5)),
  matmul_batch_mismatch: () => torch.ones(3, 2, 3).matmul(torch.ones(4, 3, 2)),
  matmul_0d: () => f(2).matmul(torch.ones(3)),
  mv_mismatch: () => torch.ones(2, 3).mv(torch.ones(4)),
  dot_mismatch: () => torch.ones(3).dot(torch.ones(4)),
  bmm_not_3d: () => torch.ones(2, 3).bmm(torch.ones(2, 3, 4)),
  view_after_transpose: () => torch.ones(2, 3).t().view(6),
  view_after_narrow: () => torch.ones(3, 4).narrow(1, 0, 2).view(-1),
  pow_int_negative: () => torch.tensor([1, 2]).pow(-1),
  view_invalid_shape: () => x3().view(2, 2),
  reshape_two_inferred: () => torch.ones(2, 3).reshape(-1, -1),
  custom_function_gradient_count: () => MyFn.apply(x3(), x3()).sum().backward(),
  custom_function_gradient_shape: () => WrongShape.apply(x3()).sum().backward(),
  inplace_on_leaf: () => x3().add_(1),
  inplace_on_view_of_leaf: () => x3().view(3, 1).mul_(2),
  inplace_on_slice_of_leaf: () => x3().narrow(0, 1, 2).zero_(),
  modified_saved_output: () => {
    const y = x3().exp();
    y.add_(1);
    y.sum().backward();
  },
  modified_saved_input: () => {
    const a = x3().mul(1);
    const y = a.mul(a);
    a.mul_(2);
    y.sum().backward();
  },
  modified_via_detach: () => {
    const x = x3();
    const y = x.mul(x);
    x.detach().mul_(2);
    y.sum().backward();
  },
  requires_grad_non_leaf: () => x3().mul(2).requiresGrad_(false),
  requires_grad_int: () => torch.tensor([1, 2]).requiresGrad_(),
  retain_grad_without_grad: () => torch.ones(2).retainGrad(),
  dim_out_of_range: () => x3().sum(2),
  select_out_of_range: () => x3().select(0, 5),
  item_many_elements: () => x3().item(),
  mean_int: () => torch.tensor([1, 2]).mean(),
  cat_mismatch: () => torch.cat([torch.ones(2, 3), torch.ones(2, 4)], 0),
  stack_mismatch: () => torch.stack([torch.ones(2, 3), torch.ones(2, 4)]),
  expand_mismatch: () => torch.ones(2, 3).expand(4, 3),
  split_sizes_mismatch: () => torch.ones(4).split([1, 2]),
  flatten_bad_range: () => torch.ones(2, 3, 4).flatten(2, 1),
  permute_wrong_count: () => torch.ones(2, 3).permute(0),
  permute_repeated: () => torch.ones(2, 3).permute(0, 0),
  unsqueeze_out_of_range: () => torch.ones(3).unsqueeze(3),
  transpose_out_of_range: () => torch.ones(2, 3).transpose(0, 2),
  softmax_out_of_range: () => torch.ones(3).softmax(1),
  t_of_3d: () => torch.ones(2, 2, 2).t(),
  narrow_too_long: () => torch.ones(3, 4).narrow(1, 2, 3),
  expand_fewer_dims: () => torch.ones(2, 3).expand(3),
  mm_not_matrix: () => torch.ones(3).mm(torch.ones(3, 2)),
  dot_not_1d: () => torch.ones(2, 2).dot(torch.ones(2, 2)),
  bmm_batch_mismatch: () => torch.ones(2, 2, 3).bmm(torch.ones(3, 3, 2)),
  cat_empty: () => torch.cat([]),
  cat_dims_mismatch: () => torch.cat([torch.ones(3), torch.ones(1, 3)]),
  inplace_broadcast_grow: () => torch.ones(3).add_(torch.ones(2, 3)),
  copy_mismatch: () => torch.zeros(3).copy_(torch.ones(4)),
  copy_grow: () => torch.zeros(2, 3).copy_(torch.ones(2, 1, 3)),
  inplace_int_float: () => torch.tensor([1, 2]).add_(0.5),
  select_0d: () => f(1).select(0, 0),
  split_size_zero: () => torch.ones(3).split(0),
  reshape_invalid: () => torch.ones(2, 3).reshape(4, 2),
  view_ambiguous: () => torch.ones(6).view(-1, 4),
  grad_input_without_grad: () => torch.autograd.grad(x3().mul(2).sum(), [torch.ones(2)]),
  neg_bool: () => torch.tensor([true, false]).neg(),
  sub_bool: () => torch.tensor([true]).sub(torch.tensor([false])),
  grad_unused_input: () =>
    torch.autograd.grad(x3().mul(2).sum(), [torch.ones(2, { requiresGrad: true })]),
};

const { cases } = loadFixture<{ cases: ErrorCase[] }>("core_errors.json");

for (const c of cases) {
  test(`error: ${c.name} throws PyTorch's ${c.type} word for word`, () => {
    const mistake = MISTAKES[c.id];
    assert.ok(mistake, `no engine reproduction for fixture error ${c.id}`);
    assert.throws(mistake, (error: Error) => {
      assert.equal(error.message.split("\n")[0], c.message);
      assert.equal(error.name, c.type);
      return true;
    });
  });
}

test("error: every reproduction has a PyTorch fixture", () => {
  assert.deepEqual(Object.keys(MISTAKES).sort(), cases.map((c) => c.id).sort());
});
