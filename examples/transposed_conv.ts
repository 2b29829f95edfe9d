// The transposed convolution: each input value scales the kernel and adds it into the output,
// which makes it a convolution's adjoint (multiplication by the transposed "kernel matrix").
import * as torch from "gradlens";
import { nn } from "gradlens";
const F = nn.functional;

const X = torch
  .tensor(
    [
      [0, 1],
      [2, 3],
    ],
    { dtype: "float32", requiresGrad: true },
  )
  .reshape(1, 1, 2, 2);
const K = torch
  .tensor(
    [
      [0, 1],
      [2, 3],
    ],
    { dtype: "float32" },
  )
  .reshape(1, 1, 2, 2);

const Y = F.convTranspose2d(X, K); // [[0, 0, 1], [0, 4, 6], [4, 12, 9]]
const Ypad = F.convTranspose2d(X, K, null, { padding: 1 }); // [[4]]: padding crops the output
const Ystride = F.convTranspose2d(X, K, null, { stride: 2 }); // [[0,0,0,1],[0,0,2,3],[0,2,0,3],[4,6,6,9]]
console.log(Y.toString(), Ypad.toString(), Ystride.toString());

// A convolution as a matrix product: conv2d(arange(9) as 3×3, [[1, 2], [3, 4]]) = W · vec(X).
const img = torch.arange(9, { dtype: "float32" }).reshape(1, 1, 3, 3);
const k = torch
  .tensor(
    [
      [1, 2],
      [3, 4],
    ],
    { dtype: "float32" },
  )
  .reshape(1, 1, 2, 2);
const conv = F.conv2d(img, k); // [[27, 37], [57, 67]]
const back = F.convTranspose2d(conv, k); // = Wᵀ · vec(conv), back to 3×3
console.log(conv.toString(), back.toString());

// A strided convolution shrinks [16, 16] to [6, 6]; the transposed one with the same
// settings brings it back to [16, 16].
const down = new nn.Conv2d(10, 20, 5, { padding: 2, stride: 3 });
const up = new nn.ConvTranspose2d(20, 10, 5, { padding: 2, stride: 3 });
const Z = up.forward(down.forward(torch.randn(1, 10, 16, 16)));
console.log(Z.shape); // [1, 10, 16, 16]

export const loss = Y.sum().add(Ystride.sum()).add(Z.pow(2).mean());
