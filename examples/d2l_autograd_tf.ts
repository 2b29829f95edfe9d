// d2l "Automatic Differentiation", the TensorFlow tab: a tape records the ops on a Variable,
// t.gradient reads it back. Beside d2l_autograd.ts (PyTorch) and d2l_autograd_mxnet.ts (MXNet).
import * as tf from "gradlens/tf";

const x = new tf.Variable(tf.range(4, { dtype: tf.float32 }));
console.log("x:", x.tolist()); // [0, 1, 2, 3]

// with tf.GradientTape() as t: y = 2 * tf.tensordot(x, x, axes=1)
let t = new tf.GradientTape();
let y = t.record(() => tf.tensordot(x, x, 1).mul(2));
console.log("y:", y.item()); // 28
const xGrad = t.gradient(y, x)!;
console.log("dy/dx:", xGrad.tolist()); // [0, 4, 8, 12]
console.log("dy/dx == 4x:", xGrad.eq(x.mul(4)).tolist()); // all true

// a new tape computes new gradients
t = new tf.GradientTape();
y = t.record(() => tf.reduceSum(x));
console.log("d sum(x)/dx:", t.gradient(y, x)!.tolist()); // [1, 1, 1, 1]

// a target that is not a scalar is summed: the same as y = tf.reduce_sum(x * x)
t = new tf.GradientTape();
y = t.record(() => x.mul(x));
console.log("d(x*x)/dx:", t.gradient(y, x)!.tolist()); // [0, 2, 4, 6]

// tf.stop_gradient: u is a constant for the tape; persistent=True allows two gradient calls
const tp = new tf.GradientTape({ persistent: true });
const { y: y2, u, z } = tp.record(() => {
  const y2 = x.mul(x);
  const u = tf.stopGradient(y2);
  return { y: y2, u, z: u.mul(x) };
});
console.log("dz/dx == u:", tp.gradient(z, x)!.eq(u).tolist()); // all true
console.log("dy/dx == 2x:", tp.gradient(y2, x)!.eq(x.mul(2)).tolist()); // all true

// Python control flow: the gradient of the path taken
function f(a: tf.Tensor): tf.Tensor {
  let b = a.mul(2);
  while (tf.norm(b).item() < 1000) b = b.mul(2);
  return tf.reduceSum(b).item() > 0 ? b : b.mul(100);
}
const a = new tf.Variable(tf.random.normal([]));
t = new tf.GradientTape();
const d = t.record(() => f(a));
const dGrad = t.gradient(d, a)!;
console.log("d_grad == d / a:", dGrad.eq(d.div(a)).tolist()); // true
