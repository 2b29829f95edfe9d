/** The seed examples of the nn issue, each with its exact values (hand-derived or from the lecture). */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn } from "../../../engine";
import { assertClose } from "../helpers";

const F = nn.functional;
const floats = (v: number[][]): torch.Tensor => torch.tensor(v, { dtype: "float32" });

test("seed: Conv1d(2, 16, 3) has weight [16, 2, 3] and bias [16]; on [1, 2, 64] gives [1, 16, 62]", () => {
  const conv = new nn.Conv1d(2, 16, 3);
  assert.deepEqual(conv.weight.shape, [16, 2, 3]);
  assert.deepEqual(conv.bias!.shape, [16]);
  const y = conv.forward(torch.randn(1, 2, 64));
  assert.deepEqual(y.shape, [1, 16, 62]);
  assert.equal(y.gradFn!.name, "ConvolutionBackward0");
  assert.deepEqual(new nn.Conv1d(2, 16, 5).forward(torch.randn(1, 2, 64)).shape, [1, 16, 60]);
});

test("seed: Conv2d(20, 16, [3, 5]) on [1, 20, 64, 128] gives [1, 16, 62, 124]; padding [1, 2] keeps [64, 128]", () => {
  const conv = new nn.Conv2d(20, 16, [3, 5]);
  assert.deepEqual(conv.weight.shape, [16, 20, 3, 5]);
  const x = torch.randn(1, 20, 64, 128);
  assert.deepEqual(torch.noGrad(() => conv.forward(x)).shape, [1, 16, 62, 124]);
  const padded = new nn.Conv2d(20, 16, [3, 5], { stride: 1, padding: [1, 2] });
  assert.deepEqual(torch.noGrad(() => padded.forward(x)).shape, [1, 16, 64, 128]);
});

test("seed: transposed convolution of X = K = [[0, 1], [2, 3]], plain, with padding 1 and with stride 2", () => {
  const X = floats([
    [0, 1],
    [2, 3],
  ]).reshape(1, 1, 2, 2);
  const K = X.clone();
  assertClose(F.convTranspose2d(X, K), [
    [
      [
        [0, 0, 1],
        [0, 4, 6],
        [4, 12, 9],
      ],
    ],
  ]);
  assertClose(F.convTranspose2d(X, K, null, { padding: 1 }), [[[[4]]]]);
  assertClose(F.convTranspose2d(X, K, null, { stride: 2 }), [
    [
      [
        [0, 0, 0, 1],
        [0, 0, 2, 3],
        [0, 2, 0, 3],
        [4, 6, 6, 9],
      ],
    ],
  ]);
  // the same through the layer, with the kernel as its weight and no bias
  const tconv = new nn.ConvTranspose2d(1, 1, 2, { bias: false });
  tconv.loadStateDict({ weight: K });
  assertClose(tconv.forward(X), [
    [
      [
        [0, 0, 1],
        [0, 4, 6],
        [4, 12, 9],
      ],
    ],
  ]);
});

test("seed: Conv2d(10, 20, 5, padding 2, stride 3) then ConvTranspose2d back gives [1, 10, 16, 16] from [1, 20, 6, 6]", () => {
  const conv = new nn.Conv2d(10, 20, 5, { padding: 2, stride: 3 });
  const tconv = new nn.ConvTranspose2d(20, 10, 5, { padding: 2, stride: 3 });
  const X = torch.randn(1, 10, 16, 16);
  const middle = conv.forward(X);
  assert.deepEqual(middle.shape, [1, 20, 6, 6]);
  assert.deepEqual(tconv.forward(middle).shape, [1, 10, 16, 16]);
});

/** The 4×9 matrix whose rows place the 2×2 kernel at each of the 4 positions in a 3×3 input. */
function kernel2matrix(k: number[][]): torch.Tensor {
  const W = Array.from({ length: 4 }, () => new Array<number>(9).fill(0));
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      const row = i * 2 + j;
      for (let a = 0; a < 2; a++)
        for (let b = 0; b < 2; b++) W[row][(i + a) * 3 + (j + b)] = k[a][b];
    }
  }
  return floats(W);
}

test("seed: conv2d of arange(9) with [[1, 2], [3, 4]] is [[27, 37], [57, 67]], a product with kernel2matrix", () => {
  const X = torch.arange(9, { dtype: "float32" }).reshape(1, 1, 3, 3);
  const k = [
    [1, 2],
    [3, 4],
  ];
  const K = floats(k).reshape(1, 1, 2, 2);
  const Y = F.conv2d(X, K);
  assertClose(Y, [
    [
      [
        [27, 37],
        [57, 67],
      ],
    ],
  ]);
  const W = kernel2matrix(k);
  assertClose(W.matmul(X.reshape(9)).reshape(1, 1, 2, 2), Y.tolist());
  // the transposed convolution is multiplication by Wᵀ
  const Z = F.convTranspose2d(Y, K);
  assertClose(Z, W.t().matmul(Y.reshape(4)).reshape(1, 1, 3, 3).tolist());
  assertClose(Z, [
    [
      [
        [27, 91, 74],
        [138, 400, 282],
        [171, 429, 268],
      ],
    ],
  ]);
});

test("seed: an nn.Module subclass finds its layers in definition order with PyTorch's names", () => {
  class MLP extends nn.Module {
    fc1 = new nn.Linear(600, 60);
    fc2 = new nn.Linear(60, 40);
    fc3 = new nn.Linear(40, 10);
    forward(x: torch.Tensor): torch.Tensor {
      return this.fc3.forward(F.relu(this.fc2.forward(F.relu(this.fc1.forward(x)))));
    }
  }
  const net = new MLP();
  const names = net.namedParameters().map(([n, p]) => `${n} ${p.shape.join("×")}`);
  assert.deepEqual(names, [
    "fc1.weight 60×600",
    "fc1.bias 60",
    "fc2.weight 40×60",
    "fc2.bias 40",
    "fc3.weight 10×40",
    "fc3.bias 10",
  ]);
  const x = torch.randn(3, 10, 20);
  const out = net.forward(x.view(-1));
  assert.deepEqual(out.shape, [10]);
  out.sum().backward();
  assert.ok(
    net.parameters().every((p) => p.grad !== null && p.grad.shape.join() === p.shape.join()),
  );
  assert.throws(() => net.fc1.forward(torch.randn(1, 1000)), {
    message: "mat1 and mat2 shapes cannot be multiplied (1x1000 and 600x60)",
  });
});
