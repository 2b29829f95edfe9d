/**
 * Autograd behaviour as PyTorch defines it: retained graphs, accumulation into .grad, non-leaf
 * and retained gradients, autograd.grad, grad mode, detach/data, requiresGrad rules, and users'
 * Functions (several outputs, needsInputGrad, the number of gradients). Expected values are
 * PyTorch 1.13's for the same code.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { assertClose } from "../helpers";

const x3 = () => torch.tensor([1, 2, 3], { requiresGrad: true });

test("autograd: retainGraph lets backward run twice; gradients add up", () => {
  const x = x3();
  const w = x.mul(x).sum();
  w.backward(undefined, { retainGraph: true });
  w.backward();
  assertClose(x.grad, [4, 8, 12]); // 2 · 2x
  assert.throws(() => w.backward(), /Trying to backward through the graph a second time/);
});

test("autograd: a graph that saved nothing can run backward twice without retainGraph", () => {
  const x = x3();
  const y = x.add(1).sum();
  y.backward();
  y.backward();
  assertClose(x.grad, [2, 2, 2]);
});

test("autograd: .grad accumulates across backward calls until zero_()", () => {
  const x = x3();
  x.mul(3).sum().backward();
  x.mul(x).sum().backward();
  assertClose(x.grad, [5, 7, 9]); // 3 + 2x
  x.grad!.zero_();
  assertClose(x.grad, [0, 0, 0]);
  x.mul(2).sum().backward();
  assertClose(x.grad, [2, 2, 2]);
});

test("autograd: a non-leaf keeps .grad null unless retainGrad() was called", () => {
  const x = x3();
  const y = x.mul(2);
  const z = x.mul(3);
  z.retainGrad();
  assert.equal(z.retainsGrad, true);
  y.mul(z).sum().backward();
  assert.equal(y.grad, null);
  assert.equal(y.isLeaf, false);
  assertClose(z.grad, [2, 4, 6]); // dL/dz = y
  assertClose(x.grad, [12, 24, 36]); // d(6x²)/dx
});

test("autograd: autograd.grad returns gradients and leaves .grad untouched", () => {
  const x = x3();
  const w = torch.tensor([0.5, -1], { requiresGrad: true });
  const y = x.mul(x).sum().add(w.sum().mul(2));
  const [dx, dw] = torch.autograd.grad(y, [x, w]);
  assertClose(dx, [2, 4, 6]);
  assertClose(dw, [2, 2]);
  assert.equal(x.grad, null);
  assert.equal(w.grad, null);
});

test("autograd: autograd.grad with an upstream gradient and a non-leaf input", () => {
  const x = x3();
  const h = x.mul(2);
  const y = h.mul(h);
  const [dh] = torch.autograd.grad(y, h, torch.tensor([1, 0, 2], { dtype: "float32" }));
  assertClose(dh, [4, 0, 24]); // 2h · v
  assert.equal(x.grad, null);
});

test("autograd: noGrad turns recording off inside and restores it, even after a throw", () => {
  const x = x3();
  assert.equal(torch.isGradEnabled(), true);
  const y = torch.noGrad(() => {
    assert.equal(torch.isGradEnabled(), false);
    return x.mul(2);
  });
  assert.equal(y.requiresGrad, false);
  assert.equal(y.gradFn, null);
  assert.throws(() =>
    torch.noGrad(() => {
      throw new Error("inside");
    }),
  );
  assert.equal(torch.isGradEnabled(), true);
  assert.equal(x.mul(2).requiresGrad, true);
});

test("autograd: detach() and .data share storage with the original", () => {
  const x = x3();
  const d = x.detach();
  assert.equal(d.requiresGrad, false);
  assert.equal(d.isLeaf, true);
  d._values[0] = 10;
  assert.deepEqual(x.tolist(), [10, 2, 3]);
  x.data.mul_(2);
  assertClose(x, [20, 4, 6]);
  assert.equal(x.data.requiresGrad, false);
});

test("autograd: .data changes are invisible to version checks (PyTorch's silent wrong gradient)", () => {
  const x = x3();
  const y = x.mul(x);
  x.data.mul_(2);
  y.sum().backward();
  assertClose(x.grad, [4, 8, 12]); // 2 · (modified x), as PyTorch gives
});

test("autograd: requiresGrad_ on a non-leaf: true is accepted, false throws", () => {
  const y = x3().mul(2);
  assert.equal(y.requiresGrad_(true), y);
  assert.throws(
    () => y.requiresGrad_(false),
    /you can only change requires_grad flags of leaf variables/,
  );
});

test("autograd: AccumulateGrad nodes point at their leaf, once per leaf", () => {
  const x = x3();
  const c = torch.tensor([1, 1, 1], { dtype: "float32" });
  const y = x.mul(x);
  const [[a0], [a1]] = y.gradFn!.nextFunctions;
  assert.ok(a0 instanceof torch.autograd.AccumulateGrad);
  assert.equal(a0, a1);
  assert.equal((a0 as torch.autograd.AccumulateGrad).variable, x);
  assert.deepEqual(x.mul(c).gradFn!.nextFunctions[1], [null, 0]);
});

class MySplit extends torch.autograd.Function {
  static override forward(_ctx: torch.autograd.Context, x: torch.Tensor) {
    return [x.clone(), x.clone()];
  }
  static override backward(_ctx: torch.autograd.Context, g1: torch.Tensor, g2: torch.Tensor) {
    return g1.add(g2);
  }
}

test("custom Function: MySplit gives two outputs of one node, and sums their gradients", () => {
  const x = x3();
  const [y1, y2] = MySplit.apply(x);
  assert.equal(y1.gradFn!.name, "MySplitBackward");
  assert.equal(y1.gradFn, y2.gradFn);
  assert.deepEqual([y1.outputNr, y2.outputNr], [0, 1]);
  y1.sum().add(y2.mul(2).sum()).backward();
  assertClose(x.grad, [3, 3, 3]);
});

test("custom Function: an output no gradient reached gets zeros", () => {
  const x = x3();
  const [y1] = MySplit.apply(x);
  y1.sum().backward();
  assertClose(x.grad, [1, 1, 1]);
});

test("custom Function: needsInputGrad tells which forward arguments need a gradient", () => {
  let seen: readonly boolean[] = [];
  class Scale extends torch.autograd.Function {
    static override forward(
      ctx: torch.autograd.Context,
      a: torch.Tensor,
      b: torch.Tensor,
      k: number,
    ) {
      seen = ctx.needsInputGrad.slice();
      return a.mul(b).mul(k);
    }
    static override backward(ctx: torch.autograd.Context, g: torch.Tensor) {
      seen = ctx.needsInputGrad.slice();
      return [g, null, null];
    }
  }
  const a = x3();
  const b = torch.ones(3);
  Scale.apply(a, b, 2).sum().backward();
  assert.deepEqual(seen, [true, false, false]);
  assertClose(a.grad, [1, 1, 1]);
});

test("custom Function: a bare tensor is one gradient; two for one input is an error", () => {
  class Twice extends torch.autograd.Function {
    static override forward(_ctx: torch.autograd.Context, a: torch.Tensor) {
      return a.mul(2);
    }
    static override backward(_ctx: torch.autograd.Context, g: torch.Tensor) {
      return g.mul(2);
    }
  }
  class TooMany extends torch.autograd.Function {
    static override forward(_ctx: torch.autograd.Context, a: torch.Tensor) {
      return a.mul(2);
    }
    static override backward(_ctx: torch.autograd.Context, g: torch.Tensor) {
      return [g, g];
    }
  }
  const x = x3();
  Twice.apply(x).sum().backward();
  assertClose(x.grad, [2, 2, 2]);
  assert.throws(
    () => TooMany.apply(x3()).sum().backward(),
    /^RuntimeError: function TooManyBackward returned an incorrect number of gradients \(expected 1, got 2\)$/,
  );
});

test("custom Function: saved tensors come back in backward and are checked for in-place changes", () => {
  class Square extends torch.autograd.Function {
    static override forward(ctx: torch.autograd.Context, a: torch.Tensor) {
      ctx.saveForBackward(a);
      return a.mul(a);
    }
    static override backward(ctx: torch.autograd.Context, g: torch.Tensor) {
      const [a] = ctx.savedTensors;
      return g.mul(a).mul(2);
    }
  }
  const x = x3();
  Square.apply(x).sum().backward();
  assertClose(x.grad, [2, 4, 6]);
  const h = x3().mul(1);
  const y = Square.apply(h);
  h.mul_(2);
  assert.throws(() => y.sum().backward(), /has been modified by an inplace operation/);
});

test("relu: NaN passes through forward and backward, as in PyTorch", () => {
  const x = torch.tensor([NaN, -1, 0, 2], { requiresGrad: true });
  const y = x.relu();
  y.backward(torch.ones(4));
  const values = y.tolist() as number[];
  assert.ok(Number.isNaN(values[0]));
  assert.deepEqual(values.slice(1), [0, 0, 2]);
  assert.deepEqual(x.grad!.tolist(), [1, 0, 0, 1]);
});

test("createGraph: an op without a double backward gives PyTorch's NotImplemented grad_fn and error", () => {
  const x = torch.randn(2, 4).requiresGrad_();
  const y = torch.nn.functional.layerNorm(x, [4]).pow(2).sum();
  const [gx] = torch.autograd.grad(y, x, null, { createGraph: true });
  assert.equal(gx!.gradFn!.name, "NotImplemented");
  assert.throws(
    () => gx!.sum().backward(),
    /^RuntimeError: derivative for aten::native_layer_norm_backward is not implemented$/,
  );
});

test("createGraph: retainGraph defaults to it (a second backward works), and to false without it", () => {
  const x = torch.tensor([1, 2], { dtype: "float32", requiresGrad: true });
  const y = x.mul(x).sum();
  y.backward(null, { createGraph: true });
  y.backward();
  assert.deepEqual(x.grad!.tolist(), [4, 8]);
  assert.throws(() => y.backward(), /Trying to backward through the graph a second time/);
});

test("createGraph off: gradients carry no graph (the kernels ran)", () => {
  const x = torch.tensor([1, 2], { dtype: "float32", requiresGrad: true });
  const [g] = torch.autograd.grad(x.mul(x).sum(), x);
  assert.equal(g!.gradFn, null);
  assert.equal(g!.requiresGrad, false);
});

test("createGraph: a user's Function whose backward uses tensor ops is differentiated twice", () => {
  class Cube extends torch.autograd.Function {
    static override forward(ctx: torch.autograd.Context, x: torch.Tensor) {
      ctx.saveForBackward(x);
      return x.pow(3);
    }
    static override backward(ctx: torch.autograd.Context, g: torch.Tensor) {
      const [x] = ctx.savedTensors;
      return g.mul(x.pow(2).mul(3));
    }
  }
  const x = torch.tensor([1, -2], { dtype: "float32", requiresGrad: true });
  const [g] = torch.autograd.grad(Cube.apply(x).sum(), x, null, { createGraph: true });
  assert.deepEqual(g!.tolist(), [3, 12]);
  const [h] = torch.autograd.grad(g!.sum(), x);
  assert.deepEqual(h!.tolist(), [6, -12]); // d²(x³)/dx² = 6x
});
