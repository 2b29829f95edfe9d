/**
 * The TensorFlow front end: every example of the d2l autograd chapter's TensorFlow tab with its
 * printed values, and TensorFlow's rules where they differ from PyTorch's. TensorFlow is not
 * installed here: the expected values are the chapter's printed ones, which are the same math
 * as its PyTorch tab (y = 2x·x → 4x, sum → 1, x*x summed → 2x).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "../../../engine/tf";
import * as torch from "../../../engine";
import { assertClose } from "../helpers";

const xOf = (): tf.Variable => new tf.Variable(tf.range(4, { dtype: tf.float32 }));

test("tf d2l: y = 2 tensordot(x, x) is 28 and t.gradient(y, x) is 4x = [0, 4, 8, 12]", () => {
  const x = xOf();
  const t = new tf.GradientTape();
  const y = t.record(() => tf.tensordot(x, x, 1).mul(2));
  assert.equal(y.item(), 28);
  assertClose(t.gradient(y, x), [0, 4, 8, 12]);
});

test("tf d2l: a new tape gives new gradients: reduceSum → ones, x*x (not a scalar: summed) → 2x", () => {
  const x = xOf();
  let t = new tf.GradientTape();
  let y = t.record(() => tf.reduceSum(x));
  assertClose(t.gradient(y, x), [1, 1, 1, 1]);
  t = new tf.GradientTape();
  y = t.record(() => x.mul(x));
  assertClose(t.gradient(y, x), [0, 2, 4, 6]);
});

test("tf d2l: stopGradient with a persistent tape: dz/dx = u, then dy/dx = 2x", () => {
  const x = xOf();
  const t = new tf.GradientTape({ persistent: true });
  const { y, u, z } = t.record(() => {
    const y = x.mul(x);
    const u = tf.stopGradient(y);
    return { y, u, z: u.mul(x) };
  });
  assertClose(t.gradient(z, x), u.tolist());
  assertClose(t.gradient(y, x), [0, 2, 4, 6]);
});

test("tf d2l: control flow (while norm < 1000, if sum > 0): d_grad == d / a", () => {
  torch.manualSeed(42);
  const f = (a: tf.Tensor): tf.Tensor => {
    let b = a.mul(2);
    while (tf.norm(b).item() < 1000) b = b.mul(2);
    return tf.reduceSum(b).item() > 0 ? b : b.mul(100);
  };
  const a = new tf.Variable(tf.random.normal([]));
  const t = new tf.GradientTape();
  const d = t.record(() => f(a));
  assertClose(t.gradient(d, a), d.div(a).item());
});

test("tf: a non-persistent tape gives one set of gradients, with TensorFlow's error after", () => {
  const x = xOf();
  const t = new tf.GradientTape();
  const y = t.record(() => x.mul(x));
  t.gradient(y, x);
  assert.throws(() => t.gradient(y, x), {
    name: "RuntimeError",
    message: "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)",
  });
});

test("tf: only what runs inside record is recorded; an unconnected source gives null", () => {
  const x = xOf();
  const w = new tf.Variable([1, 2, 3, 4]);
  const before = x.mul(x); // outside any tape: a constant
  assert.equal(before.gradFn, null);
  const t = new tf.GradientTape({ persistent: true });
  const y = t.record(() => before.mul(x));
  assertClose(t.gradient(y, x), [0, 1, 4, 9]); // d(c·x)/dx = c, not 3x²
  assert.equal(t.gradient(y, w), null);
  assert.deepEqual(t.gradient(before, [x, w]), [null, null]);
  assert.equal(x.requiresGrad, false);
});

test("tf: a list of sources gives a list; a constant counts only when watched", () => {
  const x = xOf();
  const c = tf.constant([1, 2, 3, 4], tf.float32);
  const t = new tf.GradientTape({ persistent: true });
  const y = t.record(() => {
    t.watch(c);
    return tf.reduceSum(x.mul(c));
  });
  const [dx, dc] = t.gradient(y, [x, c]);
  assertClose(dx, [1, 2, 3, 4]);
  assertClose(dc, [0, 1, 2, 3]);
  assert.equal(c.requiresGrad, false, "watching lasts as long as the tape records");
  const unwatched = tf.constant([1, 1, 1, 1], tf.float32);
  const y2 = t.record(() => tf.reduceSum(x.mul(unwatched)));
  assert.equal(t.gradient(y2, unwatched), null);
});

test("tf: a non-trainable Variable is not watched; assign/assignAdd/assignSub change it in place", () => {
  const x = new tf.Variable([1, 2], { trainable: false });
  const t = new tf.GradientTape();
  const y = t.record(() => x.mul(x));
  assert.equal(t.gradient(y, x), null);
  x.assign([5, 6]).assignAdd([1, 1]).assignSub(tf.constant([2, 4], tf.float32));
  assertClose(x, [4, 3]);
});

test("tf: square, reduceMean, matmul and outputGradients give TensorFlow's gradients", () => {
  const w = new tf.Variable([[1, 2], [3, 4]]);
  const v = tf.constant([[1], [-1]], tf.float32);
  const t = new tf.GradientTape({ persistent: true });
  const loss = t.record(() => tf.reduceMean(tf.square(tf.matmul(w, v))));
  assert.equal(loss.item(), 1); // Wv = [-1, -1]
  assertClose(t.gradient(loss, w), [[-1, 1], [-1, 1]]); // d mean(r²)/dW = (2r/2) vᵀ
  const y = t.record(() => w.mul(3));
  assertClose(t.gradient(y, w, tf.constant([[1, 0], [0, 2]], tf.float32)), [[3, 0], [0, 6]]);
});

test("tf: tf.grad and tf.valueAndGrad (TF.js) differentiate a function of a tensor", () => {
  const f = (x: tf.Tensor): tf.Tensor => tf.reduceSum(x.pow(3));
  const x = tf.constant([1, 2, 3], tf.float32);
  assertClose(tf.grad(f)(x), [3, 12, 27]);
  const { value, grad } = tf.valueAndGrad(f)(x);
  assert.equal(value.item(), 36);
  assertClose(grad, [3, 12, 27]);
  assert.equal(x.requiresGrad, false);
  assert.throws(() => tf.grad(() => tf.constant(1, tf.float32))(x), /Cannot compute gradient of y=f\(x\)/);
});

test("tf: tensordot over two axes matches the sum of products", () => {
  const a = new tf.Variable([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
  const b = tf.constant([[1, 0], [0, 1]], tf.float32);
  const t = new tf.GradientTape();
  const y = t.record(() => tf.tensordot(a, b, 2));
  assertClose(y, [5, 13]);
  assertClose(t.gradient(y, a), [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]);
});
