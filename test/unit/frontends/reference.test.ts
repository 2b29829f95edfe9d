/**
 * The front ends against PyTorch 1.13 (test/fixtures/torch/frontends.json, written by
 * make_frontends_reference.py) for the same math, and finite-difference gradchecks of the
 * functions they compose from the engine's ops (tensordot, dot, square, reduceMean).
 */
import { test } from "node:test";
import * as tf from "../../../engine/tf";
import { np, autograd } from "../../../engine/mxnet";
import * as torch from "../../../engine";
import { assertClose } from "../helpers";
import { gradcheck } from "../gradcheck";
import { loadFixture, type TensorJson } from "../engine/torchFixtures";

interface Fixture {
  tensordot: { a: TensorJson; b: TensorJson; axes: number; y: TensorJson; gradA: TensorJson; gradB: TensorJson }[];
  d2l: Record<"dot" | "sum" | "square" | "detached", { y: TensorJson; grad: TensorJson }>;
  meanSquareMatmul: { w: TensorJson; v: TensorJson; loss: number; gradW: TensorJson };
}
const ref = loadFixture<Fixture>("frontends.json");
const constant = (t: TensorJson): torch.Tensor => tf.constant(t.values as torch.NestedData);

for (const c of ref.tensordot) {
  test(`tf.tensordot ${JSON.stringify(c.a.shape)} · ${JSON.stringify(c.b.shape)}, axes ${c.axes}: PyTorch's values and gradients`, () => {
    const [a, b] = [constant(c.a), constant(c.b)];
    const t = new tf.GradientTape();
    t.watch([a, b]);
    const y = t.record(() => tf.tensordot(a, b, c.axes));
    assertClose(y, c.y.values);
    const [ga, gb] = t.gradient(y, [a, b]);
    assertClose(ga, c.gradA.values);
    assertClose(gb, c.gradB.values);
  });
}

const D2L: [keyof Fixture["d2l"], (x: torch.Tensor) => torch.Tensor][] = [
  ["dot", (x) => tf.tensordot(x, x, 1).mul(2)],
  ["sum", (x) => tf.reduceSum(x)],
  ["square", (x) => x.mul(x)],
  ["detached", (x) => tf.stopGradient(x.mul(x)).mul(x)],
];

for (const [name, f] of D2L) {
  test(`d2l ${name}: tf's t.gradient and mxnet's backward give PyTorch's gradient of y.sum()`, () => {
    const { y: wantY, grad } = ref.d2l[name];
    const v = new tf.Variable(tf.range(4, { dtype: tf.float32 }));
    const t = new tf.GradientTape();
    const y = t.record(() => f(v));
    assertClose(y, wantY.values);
    assertClose(t.gradient(y, v), grad.values);
    const x = np.arange(4.0);
    x.attachGrad();
    autograd.record(() => f(x)).backward();
    assertClose(x.grad, grad.values);
  });
}

test("tf: reduceMean(square(matmul(w, v))) has PyTorch's loss and gradient", () => {
  const c = ref.meanSquareMatmul;
  const w = new tf.Variable(c.w.values as torch.NestedData);
  const t = new tf.GradientTape();
  const loss = t.record(() => tf.reduceMean(tf.square(tf.matmul(w, constant(c.v)))));
  assertClose(loss, c.loss);
  assertClose(t.gradient(loss, w), c.gradW.values);
});

test("gradcheck: tf.tensordot (axes 0, 1, 2), np.dot, tf.square, tf.reduceMean", () => {
  torch.manualSeed(3);
  gradcheck((a, b) => tf.tensordot(a, b, 2), [torch.randn(2, 3, 4), torch.randn(3, 4, 2)]);
  gradcheck((a, b) => tf.tensordot(a, b, 1), [torch.randn(2, 3), torch.randn(3)]);
  gradcheck((a, b) => tf.tensordot(a, b, 0), [torch.randn(2), torch.randn(3)]);
  // ndarrays ask for gradients only while recording: the whole check runs inside record
  autograd.record(() => gradcheck((a, b) => np.dot(a, b), [torch.randn(3, 2), torch.randn(2, 4)]));
  gradcheck((a) => tf.reduceMean(tf.square(a), 1), [torch.randn(3, 4)]);
});
