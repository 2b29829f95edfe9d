/**
 * An output that carries no gradient (an op's indices) gets no zeros in backward: its slot of
 * the op's gradOutputs is an empty placeholder, as PyTorch passes an undefined tensor, so max
 * pooling's backward no longer allocates a zero tensor the size of its output on every pass.
 * An output of a user's Function that no gradient reached still gets zeros.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import type { Tensor } from "../../../engine";
import { defineOp } from "../../../engine/autograd/apply";

test("backward: an op's output that carries no gradient gets an empty placeholder, not zeros", () => {
  const seen: number[][][] = [];
  const DoubleWithIndex = defineOp({
    name: "DoubleWithIndexBackward0",
    nonDifferentiableOutputs: [1],
    forward(_ctx, [x]) {
      const values = Array.from(x._values, (v) => 2 * v);
      return [
        torch.tensor(values),
        torch.tensor(
          values.map(() => 7),
          { dtype: "int64" },
        ),
      ];
    },
    backward(_ctx, gradOutputs) {
      seen.push(gradOutputs.map((g) => g.shape));
      return [torch.tensor(Array.from(gradOutputs[0]._values, (v) => 2 * v))];
    },
  });
  const x = torch.tensor([1, 2, 3], { requiresGrad: true });
  const [y] = DoubleWithIndex.applyMulti([x], undefined);
  y.sum().backward();
  assert.deepEqual(seen, [[[3], [0]]]);
  assert.deepEqual(x.grad!.tolist(), [2, 2, 2]);
});

test("backward: max pooling's and max(dim)'s gradients are unchanged without zeros for their indices", () => {
  const x = torch.tensor(
    [
      [
        [
          [1, 5, 2, 2],
          [3, 0, 2, 9],
        ],
      ],
    ],
    { requiresGrad: true },
  );
  torch.nn.functional.maxPool2d(x, 2).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [
    [
      [
        [0, 1, 0, 0],
        [0, 0, 0, 1],
      ],
    ],
  ]);
  const v = torch.tensor(
    [
      [1, 4],
      [6, 2],
    ],
    { requiresGrad: true },
  );
  v.max(1)[0].mul(3).sum().backward();
  assert.deepEqual(v.grad!.tolist(), [
    [0, 3],
    [3, 0],
  ]);
});

test("backward: a user's Function output that no gradient reached still gets zeros", () => {
  let received: number[][] = [];
  class Split extends torch.autograd.Function {
    static override forward(_ctx: torch.autograd.Context, x: Tensor) {
      return [x.mul(1), x.mul(2)];
    }
    static override backward(_ctx: torch.autograd.Context, a: Tensor, b: Tensor) {
      received = [a.tolist() as number[], b.tolist() as number[]];
      return a.add(b.mul(2));
    }
  }
  const x = torch.tensor([1, 2], { requiresGrad: true });
  const [first] = Split.apply(x) as unknown as Tensor[];
  first.sum().backward();
  assert.deepEqual(received, [
    [1, 1],
    [0, 0],
  ]);
});
