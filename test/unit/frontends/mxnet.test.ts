/**
 * The MXNet front end: every example of the d2l autograd chapter's MXNet tab with its printed
 * values, and MXNet's rules where they differ from PyTorch's. MXNet is not installed here: the
 * expected values are the chapter's printed ones (the same math as its PyTorch tab).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { np, npx, autograd, NDArray } from "../../../engine/mxnet";
import * as torch from "../../../engine";
import { assertClose } from "../helpers";

test("mxnet d2l: x = arange(4.0) with attachGrad has zero grad; 2 dot(x, x) = 28 gives 4x", () => {
  npx.setNp();
  const x = np.arange(4.0);
  x.attachGrad();
  assertClose(x.grad, [0, 0, 0, 0]);
  const y = autograd.record(() => np.dot(x, x).mul(2));
  assert.equal(y.item(), 28);
  y.backward();
  assertClose(x.grad, [0, 4, 8, 12]);
});

test("mxnet d2l: each backward overwrites x.grad (sum → ones), a non-scalar head is summed (x*x → 2x)", () => {
  const x = np.arange(4.0);
  x.attachGrad();
  autograd.record(() => np.dot(x, x).mul(2)).backward();
  autograd.record(() => x.sum()).backward();
  assertClose(x.grad, [1, 1, 1, 1]);
  const y = autograd.record(() => x.mul(x));
  assert.ok(y instanceof NDArray, "ops on an ndarray give an ndarray");
  y.backward();
  assertClose(x.grad, [0, 2, 4, 6]);
});

test("mxnet d2l: detach: z = u·x gives x.grad == u, then y.backward() gives 2x", () => {
  const x = np.arange(4.0);
  x.attachGrad();
  const { y, u, z } = autograd.record(() => {
    const y = x.mul(x);
    const u = y.detach();
    return { y, u, z: u.mul(x) };
  });
  assert.ok(u instanceof NDArray);
  z.backward();
  assertClose(x.grad, u.tolist());
  y.backward();
  assertClose(x.grad, [0, 2, 4, 6]);
});

test("mxnet d2l: control flow (while norm < 1000, if sum > 0): a.grad == d / a", () => {
  torch.manualSeed(7);
  const f = (a: NDArray): NDArray => {
    let b = a.mul(2) as NDArray;
    while (np.linalg.norm(b).item() < 1000) b = b.mul(2) as NDArray;
    return b.sum().item() > 0 ? b : (b.mul(100) as NDArray);
  };
  const a = np.random.normal();
  assert.deepEqual(a.shape, []);
  a.attachGrad();
  const d = autograd.record(() => f(a));
  d.backward();
  assertClose(a.grad, d.div(a).item());
});

test('mxnet: gradReq "add" accumulates across backward calls', () => {
  const x = np.array([1, 2, 3]);
  x.attachGrad("add");
  autograd.record(() => x.mul(x)).backward();
  autograd.record(() => x.mul(x)).backward();
  assertClose(x.grad, [4, 8, 12]);
});

test("mxnet: only what runs inside record is recorded; a head made outside fails with MXNet's message", () => {
  const x = np.arange(4.0);
  x.attachGrad();
  assert.equal(autograd.isRecording(), false);
  assert.equal(autograd.record(() => autograd.isRecording()), true);
  const y = x.mul(x);
  assert.equal(y.requiresGrad, false);
  assert.throws(() => y.backward(), {
    name: "MXNetError",
    message: /Cannot differentiate node because it is not in a computational graph\. You need to set is_recording to true or use autograd\.record\(\)/,
  });
  const recorded = autograd.record(() => x.mul(x));
  const after = recorded.mul(2); // made outside record from a recorded array: not recorded either
  assert.equal(after.gradFn, null);
  assert.throws(() => after.backward(), { name: "MXNetError" });
  const c = x.mul(2); // a constant for the record below
  autograd.record(() => c.mul(x)).backward();
  assertClose(x.grad, [0, 2, 4, 6]); // d(c·x)/dx = c, not 4x
});

test("mxnet: backward takes an outGrad for a non-scalar head", () => {
  const x = np.array([1, 2]);
  x.attachGrad();
  autograd.record(() => x.mul(3)).backward(np.array([1, -1]));
  assertClose(x.grad, [3, -3]);
});
