// d2l.ai, "Transposed Convolution" (PyTorch version), as written there, with Python's slices
// turned into `index` / `indexPut_`: `Y[i: i + h, j: j + w] += X[i, j] * K` writes through a
// view of Y, exactly as in PyTorch.
import * as torch from "gradlens";
import { nn } from "gradlens";

function trans_conv(X: torch.Tensor, K: torch.Tensor): torch.Tensor {
  const [h, w] = K.shape;
  const Y = torch.zeros([X.shape[0] + h - 1, X.shape[1] + w - 1]);
  for (let i = 0; i < X.shape[0]; i++) {
    for (let j = 0; j < X.shape[1]; j++) {
      Y.index(`${i}:${i + h}`, `${j}:${j + w}`).add_(X.index(i, j).mul(K));
    }
  }
  return Y;
}

let X = torch.tensor([[0.0, 1.0], [2.0, 3.0]], { dtype: "float32" });
let K = torch.tensor([[0.0, 1.0], [2.0, 3.0]], { dtype: "float32" });
console.log(trans_conv(X, K));

// the same with the high-level API
X = X.reshape(1, 1, 2, 2);
K = K.reshape(1, 1, 2, 2);
let tconv = new nn.ConvTranspose2d(1, 1, 2, { bias: false });
tconv.weight.data = K;
console.log(tconv.forward(X));

// padding, strides and multiple channels
tconv = new nn.ConvTranspose2d(1, 1, 2, { padding: 1, bias: false });
tconv.weight.data = K;
console.log(tconv.forward(X));
tconv = new nn.ConvTranspose2d(1, 1, 2, { stride: 2, bias: false });
tconv.weight.data = K;
console.log(tconv.forward(X));

const X3 = torch.rand([1, 10, 16, 16]);
const conv = new nn.Conv2d(10, 20, 5, { padding: 2, stride: 3 });
const tconv3 = new nn.ConvTranspose2d(20, 10, 5, { padding: 2, stride: 3 });
console.log(tconv3.forward(conv.forward(X3)).shape.join() === X3.shape.join());

// connection to matrix transposition
function corr2d(X: torch.Tensor, K: torch.Tensor): torch.Tensor {
  const [h, w] = K.shape;
  const Y = torch.zeros([X.shape[0] - h + 1, X.shape[1] - w + 1]);
  for (let i = 0; i < Y.shape[0]; i++) {
    for (let j = 0; j < Y.shape[1]; j++) {
      Y.indexPut_([i, j], X.index(`${i}:${i + h}`, `${j}:${j + w}`).mul(K).sum());
    }
  }
  return Y;
}

const X2 = torch.arange(9.0, { dtype: "float32" }).reshape(3, 3);
const K2 = torch.tensor([[1.0, 2.0], [3.0, 4.0]], { dtype: "float32" });
const Y2 = corr2d(X2, K2);
console.log(Y2);

function kernel2matrix(K: torch.Tensor): torch.Tensor {
  const k = torch.zeros(5);
  const W = torch.zeros([4, 9]);
  k.indexPut_([":2"], K.index(0, ":"));
  k.indexPut_(["3:5"], K.index(1, ":"));
  W.indexPut_([0, ":5"], k);
  W.indexPut_([1, "1:6"], k);
  W.indexPut_([2, "3:8"], k);
  W.indexPut_([3, "4:"], k);
  return W;
}

const W = kernel2matrix(K2);
console.log(W);
console.log(Y2.eq(torch.matmul(W, X2.reshape(-1)).reshape(2, 2)));
const Z = trans_conv(Y2, K2);
console.log(Z.eq(torch.matmul(W.T, Y2.reshape(-1)).reshape(3, 3)));

// the gradient of the loop's output with respect to its input, through every view it wrote
const Xg = torch.tensor([[0.0, 1.0], [2.0, 3.0]], { requiresGrad: true });
export const loss = trans_conv(Xg, K2).pow(2).sum();
