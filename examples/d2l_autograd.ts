// d2l "Automatic Differentiation", the PyTorch tab: requiresGrad marks x, backward fills x.grad.
// Beside d2l_autograd_tf.ts (TensorFlow) and d2l_autograd_mxnet.ts (MXNet).
import * as torch from "gradlens";

const x = torch.arange(4.0, { dtype: torch.float32 });
console.log("x:", x.tolist()); // [0, 1, 2, 3]
x.requiresGrad_(true);
console.log("x.grad:", x.grad); // null

let y = torch.dot(x, x).mul(2);
console.log("y:", y.item()); // 28
y.backward();
console.log("x.grad:", x.grad!.tolist()); // [0, 4, 8, 12]
console.log("x.grad == 4x:", x.grad!.eq(x.mul(4)).tolist()); // all true

// PyTorch adds into .grad: zero it first
x.grad!.zero_();
y = x.sum();
y.backward();
console.log("x.grad:", x.grad!.tolist()); // [1, 1, 1, 1]

// a non-scalar y needs a gradient vector: ones give the gradient of y.sum()
x.grad!.zero_();
y = x.mul(x);
y.backward(torch.onesLike(y));
console.log("x.grad:", x.grad!.tolist()); // [0, 2, 4, 6]

// detach: u is a constant for the gradient
x.grad!.zero_();
const y2 = x.mul(x);
const u = y2.detach();
const z = u.mul(x);
z.sum().backward();
console.log("x.grad == u:", x.grad!.eq(u).tolist()); // all true
x.grad!.zero_();
y2.sum().backward();
console.log("x.grad == 2x:", x.grad!.eq(x.mul(2)).tolist()); // all true

// Python control flow: the gradient of the path taken
function f(a: torch.Tensor): torch.Tensor {
  let b = a.mul(2);
  while (b.norm().item() < 1000) b = b.mul(2);
  return b.sum().item() > 0 ? b : b.mul(100);
}
const a = torch.randn([], { requiresGrad: true });
const d = f(a);
d.backward();
console.log("a.grad == d / a:", a.grad!.eq(d.div(a)).tolist()); // true
