/** The seed examples of the engine-core issue, with their exact values. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { MyAdd } from "./myAdd";
import { assertClose } from "../helpers";

test("seed: y = x - 2, z = 3y², a = mean(z) gives x.grad = [[-1.5, 0], [1.5, 3]]", () => {
  const x = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
  const y = x.sub(2);
  const z = y.mul(y).mul(3);
  const a = z.mean();
  a.backward();
  assertClose(x.grad, [[-1.5, 0], [1.5, 3]]);
  assert.equal(y.gradFn!.name, "SubBackward0");
  assert.equal(z.gradFn!.name, "MulBackward0");
  assert.equal(a.gradFn!.name, "MeanBackward0");
  const [leafEdge] = y.gradFn!.nextFunctions;
  assert.ok(leafEdge[0] instanceof torch.autograd.AccumulateGrad);
  assert.equal((leafEdge[0] as torch.autograd.AccumulateGrad).variable, x);
  assert.equal(y.toString(), "tensor([[-1.,  0.],\n        [ 1.,  2.]], gradFn=<SubBackward0>)");
});

test("seed: doubling y until its norm reaches 1000, then a vector-Jacobian product", () => {
  const x = torch.tensor([0.3, -1.2, 0.05], { requiresGrad: true });
  let y = x.mul(2);
  let doublings = 0;
  while (y.data.norm().item() < 1000) {
    y = y.mul(2);
    doublings++;
  }
  assert.equal(doublings, 9);
  y.backward(torch.tensor([0.1, 1.0, 0.0001]));
  assertClose(x.grad, [102.4, 1024, 0.1024]);
});

test("seed: w·x is DotBackward0 and gives x.grad = 1, w.grad = x; under noGrad backward fails", () => {
  const x = torch.arange(1, 6, { requiresGrad: true });
  const w = torch.ones(5, { requiresGrad: true });
  const z = w.matmul(x);
  assert.equal(z.gradFn!.name, "DotBackward0");
  z.backward();
  assertClose(x.grad, [1, 1, 1, 1, 1]);
  assertClose(w.grad, [1, 2, 3, 4, 5]);
  const z2 = torch.noGrad(() => w.matmul(x));
  assert.equal(z2.requiresGrad, false);
  assert.throws(() => z2.backward(), { message: "element 0 of tensors does not require grad and does not have a grad_fn" });
});

test("seed: a custom MyAdd Function gives both inputs the output gradient", () => {
  const a = torch.tensor([1, 2, 3], { requiresGrad: true });
  const b = torch.tensor([4, 5, 6], { requiresGrad: true });
  const y = MyAdd.apply(a, b);
  assert.equal(y.gradFn!.name, "MyAddBackward");
  y.backward(torch.tensor([0.5, 1, 2]));
  assertClose(a.grad, [0.5, 1, 2]);
  assertClose(b.grad, [0.5, 1, 2]);
});

test("seed: z = 6x² − 2y³ with a ones gradient; without requiresGrad backward fails", () => {
  const x = torch.tensor([1, 2], { requiresGrad: true });
  const y = torch.tensor([2, 4], { requiresGrad: true });
  const z = x.pow(2).mul(6).sub(y.pow(3).mul(2));
  assert.equal(z.gradFn!.name, "SubBackward0");
  z.backward(torch.tensor([1, 1]));
  assertClose(x.grad, [12, 24]);
  assertClose(y.grad, [-24, -96]);
  const x2 = torch.tensor([1, 2]);
  const y2 = torch.tensor([2, 4]);
  const z2 = x2.pow(2).mul(6).sub(y2.pow(3).mul(2));
  assert.throws(() => z2.backward(torch.tensor([1, 1])), {
    message: "element 0 of tensors does not require grad and does not have a grad_fn",
  });
});

test("seed: dot(x, x)·2, zero_, sum, and detach keeps u out of the graph", () => {
  const x = torch.arange(4, { requiresGrad: true });
  const y = torch.dot(x, x).mul(2);
  assert.equal(y.item(), 28);
  y.backward();
  assertClose(x.grad, [0, 4, 8, 12]);
  x.grad!.zero_();
  x.sum().backward();
  assertClose(x.grad, [1, 1, 1, 1]);
  x.grad!.zero_();
  const y2 = x.mul(x);
  const u = y2.detach();
  u.mul(x).sum().backward();
  assertClose(x.grad, u.tolist());
});

test("seed: gradients through a loop and a branch: a.grad = f(a)/a", () => {
  const f = (a: torch.Tensor) => {
    let b = a.mul(2);
    while (b.norm().item() < 1000) b = b.mul(2);
    return b.sum().item() > 0 ? b : b.mul(100);
  };
  const a = torch.tensor(-0.37, { requiresGrad: true });
  const d = f(a);
  d.backward();
  assertClose(a.grad, d.div(a).detach().tolist(), { atol: 0, rtol: 1e-6 });
  assertClose(a.grad, 409600, { atol: 0, rtol: 1e-6 });
});
