// d2l "Automatic Differentiation", the MXNet tab: attach_grad marks x, autograd.record records,
// backward writes x.grad. Beside d2l_autograd.ts (PyTorch) and d2l_autograd_tf.ts (TensorFlow).
import { np, npx, autograd, type NDArray } from "gradlens/mxnet";
npx.setNp();

const x = np.arange(4.0);
console.log("x:", x.tolist()); // [0, 1, 2, 3]
x.attachGrad();
console.log("x.grad:", x.grad!.tolist()); // [0, 0, 0, 0]

// with autograd.record(): y = 2 * np.dot(x, x)
let y = autograd.record(() => np.dot(x, x).mul(2));
console.log("y:", y.item()); // 28
y.backward();
console.log("x.grad:", x.grad!.tolist()); // [0, 4, 8, 12]
console.log("x.grad == 4x:", x.grad!.eq(x.mul(4)).tolist()); // all true

// each backward overwrites x.grad (grad_req="write")
y = autograd.record(() => x.sum());
y.backward();
console.log("x.grad:", x.grad!.tolist()); // [1, 1, 1, 1]

// a head that is not a scalar is summed: the same as y = sum(x * x)
y = autograd.record(() => x.mul(x));
y.backward();
console.log("x.grad:", x.grad!.tolist()); // [0, 2, 4, 6]

// detach: u is a constant for the gradient
const { y: y2, u, z } = autograd.record(() => {
  const y2 = x.mul(x);
  const u = y2.detach();
  return { y: y2, u, z: u.mul(x) };
});
z.backward();
console.log("x.grad == u:", x.grad!.eq(u).tolist()); // all true
y2.backward();
console.log("x.grad == 2x:", x.grad!.eq(x.mul(2)).tolist()); // all true

// Python control flow: the gradient of the path taken
function f(a: NDArray): NDArray {
  let b = a.mul(2);
  while (np.linalg.norm(b).item() < 1000) b = b.mul(2);
  return (b.sum().item() > 0 ? b : b.mul(100)) as NDArray;
}
const a = np.random.normal();
a.attachGrad();
const d = autograd.record(() => f(a));
d.backward();
console.log("a.grad == d / a:", a.grad!.eq(d.div(a)).tolist()); // true
