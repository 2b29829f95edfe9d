/**
 * Higher-order gradients against PyTorch 1.13 (autograd_higher_order.json, written by
 * make_higher_order_reference.py): a double backward of each element-wise, matmul, reduction,
 * view, activation and loss op; a WGAN-GP gradient penalty into a critic's parameters; a
 * Hessian-vector product; `backward({ createGraph: true })` and a backward of `x.grad`.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { Tensor, nn } from "../../../engine";
import { TensorJson, assertTensorMatches, loadFixture, tensorFrom } from "./torchFixtures";
import { HIGHER_ORDER_OPS } from "./higherOrderOps";

interface OpCase {
  name: string;
  inputs: TensorJson[];
  output: TensorJson;
  w1: TensorJson;
  firsts: TensorJson[];
  w2: TensorJson[];
  seconds: (TensorJson | null)[];
}
type Params = [string, TensorJson][];
interface Fixture {
  ops: OpCase[];
  penalty: [
    {
      params: Params;
      x: TensorJson;
      score: TensorJson;
      grad_x: TensorJson;
      penalty: TensorJson;
      grads: Record<string, TensorJson | null>;
    },
  ];
  hvp: [
    {
      params: Params;
      x: TensorJson;
      target: TensorJson;
      loss: TensorJson;
      grads: TensorJson[];
      v: TensorJson[];
      hv: TensorJson[];
    },
  ];
  backward: [
    {
      x: TensorJson;
      w: TensorJson;
      first_x: TensorJson;
      first_w: TensorJson;
      x_grad: TensorJson;
      w_grad: TensorJson;
    },
  ];
}

const fixture = loadFixture<Fixture>("autograd_higher_order.json");
const leaf = (t: TensorJson): Tensor => tensorFrom(t).requiresGrad_(true);

/** Copies PyTorch's initial parameters into `m`, checking their names. */
function loadParams(m: nn.Module, params: Params): void {
  assert.deepEqual(
    m.namedParameters().map(([n]) => n),
    params.map(([n]) => n),
  );
  m.loadStateDict(Object.fromEntries(params.map(([n, t]) => [n, tensorFrom(t)])));
}

for (const c of fixture.ops) {
  test(`double backward, PyTorch reference: ${c.name}`, () => {
    const f = HIGHER_ORDER_OPS[c.name];
    assert.ok(f, `no TypeScript spelling of ${c.name}`);
    const inputs = c.inputs.map(leaf);
    const out = f(...inputs);
    assertTensorMatches(out, c.output, "output");
    const firsts = torch.autograd.grad(out, inputs, tensorFrom(c.w1), { createGraph: true });
    firsts.forEach((g, i) => {
      assertTensorMatches(g, c.firsts[i], `first gradient ${i}`);
      assert.ok(g!.gradFn, `first gradient ${i} has a grad_fn`);
    });
    const differentiable = firsts.filter((g) => g!.requiresGrad) as Tensor[];
    const weights = c.w2.map(tensorFrom).filter((_, i) => firsts[i]!.requiresGrad);
    const seconds = torch.autograd.grad(differentiable, inputs, weights, { allowUnused: true });
    seconds.forEach((s, i) => {
      const want = c.seconds[i];
      if (want === null) assert.equal(s, null, `second gradient ${i}: none`);
      else assertTensorMatches(s ?? torch.zerosLike(inputs[i]), want, `second gradient ${i}`);
    });
  });
}

test("gradient penalty (WGAN-GP) into a critic's parameters, as PyTorch", () => {
  const [c] = fixture.penalty;
  const critic = new nn.Sequential(
    new nn.Linear(3, 8),
    new nn.LeakyReLU(0.2),
    new nn.Linear(8, 8),
    new nn.Tanh(),
    new nn.Linear(8, 1),
  );
  loadParams(critic, c.params);
  const x = leaf(c.x);
  const score = critic.forward(x) as Tensor;
  assertTensorMatches(score, c.score, "critic score");
  const [gradX] = torch.autograd.grad(score, x, torch.onesLike(score), { createGraph: true });
  assertTensorMatches(gradX, c.grad_x, "∇x D(x)");
  const penalty = gradX!.pow(2).sum(1).sqrt().sub(1).pow(2).mean();
  assertTensorMatches(penalty, c.penalty, "penalty");
  penalty.backward();
  for (const [name, p] of critic.namedParameters()) {
    const want = c.grads[name];
    // the last bias does not change ∇x D(x): no gradient, as in PyTorch
    if (want === null) assert.equal(p.grad, null, `${name} gets no gradient`);
    else assertTensorMatches(p.grad, want, `gradient of ${name}`);
  }
});

test("Hessian-vector product of a cross-entropy loss, as PyTorch", () => {
  const [c] = fixture.hvp;
  const model = new nn.Sequential(new nn.Linear(4, 6), new nn.Sigmoid(), new nn.Linear(6, 3));
  loadParams(model, c.params);
  const loss = nn.functional.crossEntropy(
    model.forward(tensorFrom(c.x)) as Tensor,
    tensorFrom(c.target),
  );
  assertTensorMatches(loss, c.loss, "loss");
  const params = model.parameters();
  const grads = torch.autograd.grad(loss, params, null, { createGraph: true });
  grads.forEach((g, i) => assertTensorMatches(g, c.grads[i], `gradient ${i}`));
  const hv = torch.autograd.grad(grads as Tensor[], params, c.v.map(tensorFrom));
  hv.forEach((h, i) => assertTensorMatches(h, c.hv[i], `Hessian-vector product ${i}`));
});

test("backward({ createGraph: true }) leaves differentiable .grad, and retains the graph", () => {
  const [c] = fixture.backward;
  const x = leaf(c.x);
  const w = leaf(c.w);
  const y = x.pow(3).mul(w).sum();
  y.backward(null, { createGraph: true });
  assertTensorMatches(x.grad, c.first_x, "x.grad");
  assertTensorMatches(w.grad, c.first_w, "w.grad");
  assert.ok(x.grad!.gradFn, "x.grad has a grad_fn");
  const z = x.grad!.pow(2).sum();
  x.grad = null;
  w.grad = null;
  z.backward();
  assertTensorMatches(x.grad, c.x_grad, "x.grad after the second backward");
  assertTensorMatches(w.grad, c.w_grad, "w.grad after the second backward");
  y.backward(); // retainGraph defaulted to createGraph: the first graph is still there
});
