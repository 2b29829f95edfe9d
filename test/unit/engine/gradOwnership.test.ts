/**
 * Backward may give a leaf the gradient array a built-in op made instead of a copy (as
 * PyTorch's AccumulateGrad steals one). Each test here is a way the same array could be
 * reachable from somewhere else; `.grad` must then still be a copy of its own.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import type { Tensor } from "../../../engine";
import { defineOp } from "../../../engine/autograd/apply";

const three = () => torch.tensor([1, 2, 3], { requiresGrad: true });

test("grad ownership: one gradient reaching two leaves (AddBackward0) gives each its own", () => {
  const a = three();
  const b = three();
  a.add(b).mul(2).sum().backward();
  a.grad!.add_(1);
  assert.deepEqual(b.grad!.tolist(), [2, 2, 2]);
  // a second pass accumulates in place: into two arrays, not one twice
  a.add(b).mul(2).sum().backward();
  assert.deepEqual(a.grad!.tolist(), [5, 5, 5]);
  assert.deepEqual(b.grad!.tolist(), [4, 4, 4]);
});

test("grad ownership: the gradient argument of backward() is not taken", () => {
  const x = three();
  const g = torch.tensor([[1], [2], [3]]);
  x.view(3, 1).backward(g); // ViewBackward0 passes g on as it is
  g.mul_(0);
  assert.deepEqual(x.grad!.tolist(), [1, 2, 3]);
  const leaf = three();
  const h = torch.tensor([4, 5, 6]);
  leaf.backward(h);
  h.mul_(0);
  assert.deepEqual(leaf.grad!.tolist(), [4, 5, 6]);
});

test("grad ownership: a gradient a user's Function returns is not taken", () => {
  const kept = torch.tensor([1, 1, 1]);
  let made: Tensor | null = null;
  class Kept extends torch.autograd.Function {
    static override forward(_ctx: torch.autograd.Context, x: Tensor) {
      return x.mul(1);
    }
    static override backward() {
      return kept;
    }
  }
  class Made extends torch.autograd.Function {
    static override forward(_ctx: torch.autograd.Context, x: Tensor) {
      return x.mul(1);
    }
    static override backward(_ctx: torch.autograd.Context, g: Tensor) {
      made = g.mul(2); // a new tensor, but the user holds it
      return made;
    }
  }
  const x = three();
  Kept.apply(x).sum().backward();
  Kept.apply(x).sum().backward();
  assert.deepEqual(kept.tolist(), [1, 1, 1]);
  assert.deepEqual(x.grad!.tolist(), [2, 2, 2]);
  const y = three();
  Made.apply(y).sum().backward();
  y.grad!.add_(1);
  assert.deepEqual(made!.tolist(), [2, 2, 2]);
});

test("grad ownership: a gradient a trace listener was given is not taken", () => {
  const seen: Tensor[] = [];
  const previous = torch.trace.setTraceListener({
    onGrad: (e) => void (e.node.name === "AccumulateGrad" && seen.push(e.grad)),
  });
  const x = three();
  try {
    x.mul(2).sum().backward();
    x.mul(2).sum().backward();
  } finally {
    torch.trace.setTraceListener(previous);
  }
  assert.deepEqual(
    seen[0].tolist(),
    [2, 2, 2],
    "the first pass's gradient, as the listener saw it",
  );
  assert.deepEqual(x.grad!.tolist(), [4, 4, 4]);
});

test("grad ownership: a transpose view's source is not taken (the user's, through TBackward0)", () => {
  const source = torch.tensor([
    [1, 2],
    [3, 4],
  ]);
  const w = torch.zeros([2, 2]).requiresGrad_();
  // g is a lazy transpose view of source; TBackward0 hands back source's own array
  w.t().backward(source.t());
  source.mul_(0);
  assert.deepEqual(w.grad!.tolist(), [
    [1, 2],
    [3, 4],
  ]);
});

test("grad ownership: a retained gradient and the leaves' gradients stay apart over two passes", () => {
  const a = three();
  const b = three();
  const y = a.add(b);
  y.retainGrad();
  const z = y.mul(3).sum();
  z.backward(undefined, { retainGraph: true });
  z.backward();
  assert.deepEqual(y.grad!.tolist(), [6, 6, 6]);
  assert.deepEqual(a.grad!.tolist(), [6, 6, 6]);
  assert.deepEqual(b.grad!.tolist(), [6, 6, 6]);
});

test("grad ownership: Linear's weight gradient (taken) is right and apart from the bias's", () => {
  torch.manualSeed(1);
  const lin = new torch.nn.Linear(3, 2);
  const x = torch.randn([4, 3]);
  lin.forward(x).sum().backward();
  const first = lin.weight.grad!.tolist() as number[][];
  lin.forward(x).sum().backward();
  const expected = x.sum(0).tolist() as number[];
  (lin.weight.grad!.tolist() as number[][]).forEach((row, i) =>
    row.forEach((v, j) => {
      assert.ok(Math.abs(v - 2 * expected[j]) < 1e-5);
      assert.ok(Math.abs(first[i][j] - expected[j]) < 1e-5);
    }),
  );
  assert.deepEqual(lin.bias!.grad!.tolist(), [8, 8]);
});

test("grad ownership: a tensor a leaf's hook returns (the user keeps it) is not taken", () => {
  const kept = torch.tensor([5, 5, 5]);
  const x = three();
  x.registerHook(() => kept);
  x.mul(2).sum().backward();
  x.grad!.add_(1);
  assert.deepEqual(kept.tolist(), [5, 5, 5]);
  assert.deepEqual(x.grad!.tolist(), [6, 6, 6]);
});

test("grad ownership: a hook's tensor passed on unchanged by a view is not taken", () => {
  const kept = torch.tensor([[1], [2], [3]]);
  const x = three();
  const z = x.view(3, 1);
  z.registerHook(() => kept); // ViewBackward0 hands kept's array on to x as it is
  z.sum().backward();
  x.grad!.mul_(10);
  assert.deepEqual(kept.tolist(), [[1], [2], [3]]);
  assert.deepEqual(x.grad!.tolist(), [10, 20, 30]);
});

test("grad ownership: a retained grad on a view and the leaf below it stay apart", () => {
  const x = three();
  const y = x.view(3, 1);
  y.retainGrad();
  y.mul(4).sum().backward(); // MulBackward0's new gradient reaches y (retained) and, as a view, x
  x.grad!.add_(1);
  assert.deepEqual(y.grad!.tolist(), [[4], [4], [4]]);
  assert.deepEqual(x.grad!.tolist(), [5, 5, 5]);
});

test("grad ownership: a fresh gradient a built-in op made becomes .grad without a copy", () => {
  let made: Float32Array | null = null;
  const Triple = defineOp({
    name: "TripleBackward0",
    forward(_ctx, [x]) {
      return torch.tensor(Array.from(x._values, (v) => 3 * v));
    },
    backward(_ctx, [g]) {
      const gx = torch.tensor(Array.from(g._values, (v) => 3 * v));
      made = gx._values; // only the array, as a test can see it: the engine cannot
      return [gx];
    },
  });
  const x = three();
  Triple.apply([x], undefined).sum().backward();
  assert.equal(x.grad!._values, made, "the leaf took the array its gradient came in");
  assert.deepEqual(x.grad!.tolist(), [3, 3, 3]);
});
