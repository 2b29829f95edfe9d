/**
 * The Module API beyond parameters, against PyTorch (module_api.json) where PyTorch has
 * numbers to compare: gradient clipping (norm types 1, 2, 3, inf; values), full backward hooks
 * and a forward hook on a small net (what each hook saw, in order), state_dict keys with
 * buffers, BatchNorm's running statistics as buffers after training steps; and by hand: tensor hooks, retainGrad, apply, registerBuffer, hook removal, and a
 * field typed `nn.Module | null` that is called.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn } from "../../../engine";
import { TensorJson, assertTensorMatches, loadFixture, tensorFrom } from "./nnFixtures";

interface ClipCase {
  fn: "clip_grad_norm_" | "clip_grad_value_";
  kwargs: { max_norm?: number; norm_type?: number | "inf"; clip_value?: number };
  grads: TensorJson[];
  clipped: TensorJson[];
  total_norm: number | null;
}
interface HookCall {
  module: string;
  grad_input: (TensorJson | null)[];
  grad_output: TensorJson[];
}
interface HookCase {
  params: [string, TensorJson][];
  x: TensorJson;
  grad_output: TensorJson;
  backward_hooks: HookCall[];
  forward_output: TensorJson;
  x_grad: TensorJson;
}
interface BufferCase {
  state_dict_keys: string[];
  named_buffers: string[];
  named_parameters: string[];
}
interface BatchNormBuffersCase {
  params: [string, TensorJson][];
  inputs: TensorJson[];
  state_dict: [string, TensorJson][];
  named_buffers: string[];
}
const fixture = loadFixture<{
  clip: ClipCase[];
  hooks: HookCase[];
  buffers: BufferCase[];
  batch_norm_buffers: BatchNormBuffersCase[];
}>("module_api.json");

for (const c of fixture.clip) {
  test(`nn.utils: ${c.fn}(${JSON.stringify(c.kwargs)}) as PyTorch`, () => {
    const params = c.grads.map((g) => {
      const p = torch.zerosLike(tensorFrom(g)).requiresGrad_();
      p.grad = tensorFrom(g);
      return p;
    });
    const { max_norm, norm_type, clip_value } = c.kwargs;
    if (c.fn === "clip_grad_value_") {
      nn.utils.clipGradValue_(params, clip_value!);
    } else {
      const p = norm_type === "inf" ? Infinity : (norm_type ?? 2);
      const total = nn.utils.clipGradNorm_(params, max_norm!, p);
      const want = c.total_norm!;
      assert.ok(
        Math.abs(total.item() - want) <= 1e-6 * want,
        `total norm ${total.item()} vs ${want}`,
      );
    }
    params.forEach((p, i) => assertTensorMatches(p.grad, c.clipped[i], `gradient ${i}`));
  });
}

test("nn.utils: clipGradNorm_ skips parameters without gradients and refuses a non-finite norm if asked", () => {
  const [a, b] = [torch.ones(2, { requiresGrad: true }), torch.ones(2, { requiresGrad: true })];
  assert.equal(nn.utils.clipGradNorm_([a, b], 1).item(), 0);
  a.grad = torch.tensor([3, 4], { dtype: "float32" });
  assert.equal(nn.utils.clipGradNorm_([a, b], 10).item(), 5);
  assert.deepEqual(a.grad.tolist(), [3, 4], "a norm under the limit leaves gradients alone");
  a.grad = torch.tensor([Infinity, 1], { dtype: "float32" });
  assert.throws(
    () => nn.utils.clipGradNorm_(a, 1, { errorIfNonfinite: true }),
    /^RuntimeError: The total norm of order 2.0 for gradients from `parameters` is non-finite/,
  );
});

test("full backward hooks and a forward hook see what PyTorch's see, in the same order", () => {
  const c = fixture.hooks[0];
  const net = new nn.Sequential(new nn.Linear(3, 4), new nn.Tanh(), new nn.Linear(4, 2));
  net.loadStateDict(Object.fromEntries(c.params.map(([n, t]) => [n, tensorFrom(t)])));
  const seen: { module: string; gradInput: (torch.Tensor | null)[]; gradOutput: (torch.Tensor | null)[] }[] = []; // prettier-ignore
  for (const [name, m] of net.namedChildren())
    m.registerFullBackwardHook((_m, gradInput, gradOutput) => void seen.push({ module: name, gradInput, gradOutput })); // prettier-ignore
  const outputs: unknown[] = [];
  net.at(0).registerForwardHook((_m, _inputs, output) => void outputs.push(output));
  const x = tensorFrom(c.x).requiresGrad_();
  const out = net.forward(x);
  assert.equal(out.gradFn!.name, "BackwardHookFunctionBackward");
  assertTensorMatches(outputs[0] as torch.Tensor, c.forward_output, "forward hook's output");
  out.backward(tensorFrom(c.grad_output));
  assert.deepEqual(
    seen.map((s) => s.module),
    c.backward_hooks.map((h) => h.module),
  );
  c.backward_hooks.forEach((want, k) => {
    want.grad_input.forEach((g, i) => assertTensorMatches(seen[k].gradInput[i], g!, `${want.module}: gradInput ${i}`)); // prettier-ignore
    want.grad_output.forEach((g, i) => assertTensorMatches(seen[k].gradOutput[i], g, `${want.module}: gradOutput ${i}`)); // prettier-ignore
  });
  assertTensorMatches(x.grad, c.x_grad, "x.grad");
});

test("a full backward hook may replace the input gradient; removing it restores the plain one", () => {
  const fc = new nn.Linear(2, 1);
  const x = torch.ones(1, 2, { requiresGrad: true });
  const handle = fc.registerFullBackwardHook((_m, [g]) => [g!.mul(10)]);
  fc.forward(x).sum().backward();
  const hooked = x.grad!.tolist() as number[][];
  x.grad = null;
  handle.remove();
  const y = fc.forward(x);
  assert.notEqual(y.gradFn!.name, "BackwardHookFunctionBackward");
  y.sum().backward();
  const plain = x.grad!.tolist() as number[][];
  assert.deepEqual(
    hooked[0].map((v) => Math.fround(v / 10)),
    plain[0].map(Math.fround),
  );
  // the weight's gradient is not the hook's business
  assert.ok(fc.weight.grad);
});

test("a full backward hook on a module whose input needs no gradient gets null for it", () => {
  const fc = new nn.Linear(2, 1);
  const calls: (torch.Tensor | null)[][] = [];
  fc.registerFullBackwardHook((_m, gradInput) => void calls.push(gradInput));
  fc.forward(torch.ones(1, 2)).sum().backward();
  assert.deepEqual(calls, [[null]]);
});

test("forward pre-hooks and forward hooks may replace the input and the output", () => {
  const relu = new nn.ReLU();
  relu.registerForwardPreHook((_m, [x]) => (x as torch.Tensor).sub(1));
  const h = relu.registerForwardHook((_m, _in, out) => (out as torch.Tensor).mul(2));
  assert.deepEqual(relu.forward(torch.tensor([0.5, 3])).tolist(), [0, 4]);
  h.remove();
  h.remove(); // a second remove does nothing
  assert.deepEqual(relu.forward(torch.tensor([0.5, 3])).tolist(), [0, 2]);
});

test("Tensor.registerHook: a leaf's hook changes what reaches .grad; a non-leaf's what flows on", () => {
  const x = torch.tensor([1, 2], { dtype: "float32", requiresGrad: true });
  const y = x.mul(3);
  const seenY: number[][] = [];
  y.registerHook((g) => void seenY.push(g.tolist() as number[]));
  const hy = y.registerHook((g) => g.mul(2)); // d(sum y²)/dy = 2y, doubled
  x.registerHook((g) => g.add(1));
  y.retainGrad();
  y.pow(2).sum().backward(null, { retainGraph: true });
  assert.deepEqual(seenY, [[6, 12]]);
  assert.deepEqual(y.grad!.tolist(), [12, 24], "retainGrad keeps the gradient after the hooks");
  assert.deepEqual(x.grad!.tolist(), [37, 73], "3 · 2 · 2y + 1");
  hy.remove();
  x.grad = null;
  y.pow(2).sum().backward();
  assert.deepEqual(x.grad!.tolist(), [19, 37], "3 · 2y + 1");
});

test("Tensor.registerHook: PyTorch's errors", () => {
  assert.throws(() => torch.ones(2).registerHook(() => undefined), /^RuntimeError: cannot register a hook on a tensor that doesn't require gradient$/); // prettier-ignore
  const x = torch.ones(2, { requiresGrad: true });
  x.registerHook(function halve() {
    return torch.ones(3);
  });
  assert.throws(
    () => x.sum().backward(),
    /^RuntimeError: hook 'halve' has changed the size of value$/,
  );
});

test("a hook that keeps the gradient it was given keeps its values (no later in-place change)", () => {
  const x = torch.ones(2, { requiresGrad: true });
  const kept: torch.Tensor[] = [];
  x.registerHook((g) => void kept.push(g));
  x.mul(2).sum().backward();
  x.mul(2).sum().backward();
  assert.deepEqual(
    kept.map((g) => g.tolist()),
    [
      [2, 2],
      [2, 2],
    ],
  );
  assert.deepEqual(x.grad!.tolist(), [4, 4]);
});

class WithBuffers extends nn.Module {
  fc = new nn.Linear(2, 2);
  declare running: torch.Tensor;
  scale: nn.Parameter;
  sameFc: nn.Linear;
  body: nn.Sequential;
  constructor() {
    super();
    this.registerBuffer("running", torch.zeros(2));
    this.scale = new nn.Parameter(torch.ones(2));
    this.registerBuffer("scratch", torch.zeros(1), false);
    this.registerBuffer("empty", null);
    this.sameFc = this.fc;
    this.body = new nn.Sequential(new nn.Linear(2, 2));
    this.body.registerBuffer("count", torch.tensor(3));
  }
  forward(x: torch.Tensor): torch.Tensor {
    return this.body.forward(this.fc.forward(x).mul(this.scale));
  }
}

test("registerBuffer: stateDict keys, buffers and parameters in PyTorch's order", () => {
  const want = fixture.buffers[0];
  const snake = (k: string) => k.replace("sameFc", "same_fc");
  const m = new WithBuffers();
  assert.deepEqual(Object.keys(m.stateDict()).map(snake), want.state_dict_keys);
  assert.deepEqual(
    m.namedBuffers().map(([n]) => n),
    want.named_buffers,
  );
  assert.deepEqual(
    m.namedParameters().map(([n]) => snake(n)),
    want.named_parameters,
  );
  // loadStateDict fills buffers too, and wants them
  const state = m.stateDict();
  state.running = torch.tensor([5, 6], { dtype: "float32" });
  const other = new WithBuffers();
  other.loadStateDict(state);
  assert.deepEqual(other.running.tolist(), [5, 6]);
  delete state.running;
  assert.throws(() => other.loadStateDict(state), /Missing key\(s\) in state_dict: "running"/);
});

test("registerBuffer: PyTorch's errors", () => {
  const m = new WithBuffers();
  assert.throws(
    () => m.registerBuffer("fc", torch.zeros(1)),
    /^KeyError: attribute 'fc' already exists$/,
  );
  assert.throws(
    () => m.registerBuffer("a.b", torch.zeros(1)),
    /^KeyError: buffer name can't contain "."$/,
  );
  assert.throws(
    () => m.registerBuffer("", torch.zeros(1)),
    /^KeyError: buffer name can't be empty string ""$/,
  );
  assert.throws(
    () => m.registerBuffer("n", 3 as unknown as torch.Tensor),
    /^TypeError: cannot assign 'int' object to buffer 'n' \(torch Tensor or None required\)$/,
  );
  m.registerBuffer("running", torch.ones(2)); // re-registering a buffer replaces it
  assert.deepEqual(m.running.tolist(), [1, 1]);
});

test("apply(fn) visits children first, then the module; requiresGrad_(false) freezes all", () => {
  const net = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.ReLU(), new nn.Linear(2, 1))); // prettier-ignore
  const order: string[] = [];
  assert.equal(
    net.apply((m) => void order.push(m.constructor.name)),
    net,
  );
  assert.deepEqual(order, ["Linear", "ReLU", "Linear", "Sequential", "Sequential"]);
  net.apply((m) => m instanceof nn.Linear && m.bias!.data.fill_(0.5));
  assert.deepEqual(net.parameters().filter((p) => p.dim() === 1).map((p) => p.tolist()), [[0.5, 0.5], [0.5]]); // prettier-ignore
  net.requiresGrad_(false);
  assert.ok(net.parameters().every((p) => !p.requiresGrad));
});

class Block extends nn.Module {
  conv = new nn.Linear(4, 4);
  /** Typed as in ResNet's BasicBlock: a module or nothing. */
  downsample: nn.Module | null;
  constructor(down: boolean) {
    super();
    this.downsample = down ? new nn.Linear(4, 4, { bias: false }) : null;
  }
  forward(x: torch.Tensor): torch.Tensor {
    const identity = this.downsample ? this.downsample.forward(x) : x; // compiles: not `never`
    return this.conv.forward(x).relu().add(identity);
  }
}

test("a field typed nn.Module | null can be called", () => {
  const x = torch.ones(2, 4);
  assert.deepEqual(new Block(true).forward(x).shape, [2, 4]);
  assert.deepEqual(new Block(false).forward(x).shape, [2, 4]);
  const m: nn.Module = new nn.Linear(4, 3);
  assert.deepEqual((m.forward(x) as torch.Tensor).shape, [2, 3]);
});

test("BatchNorm: running statistics are buffers under PyTorch's names, in stateDict after training", () => {
  const [c] = fixture.batch_norm_buffers;
  const makeNet = () =>
    new nn.Sequential(
      new nn.Linear(3, 4),
      new nn.BatchNorm1d(4, { momentum: 0.2 }),
      new nn.BatchNorm1d(4, { affine: false, trackRunningStats: false }),
    );
  const net = makeNet();
  net.loadStateDict({
    ...net.stateDict(),
    ...Object.fromEntries(c.params.map(([n, t]) => [n, tensorFrom(t)])),
  });
  for (const x of c.inputs) net.forward(tensorFrom(x));
  assert.deepEqual(
    net.namedBuffers().map(([n]) => n),
    c.named_buffers,
  );
  const state = net.stateDict();
  assert.deepEqual(
    Object.keys(state),
    c.state_dict.map(([k]) => k),
  );
  for (const [k, t] of c.state_dict) assertTensorMatches(state[k], t, `state_dict ${k}`);
  // the camelCase fields are the same tensors
  const bn = net.at(1) as nn.BatchNorm1d;
  assert.equal(bn.runningMean, bn.buffers()[0]);
  assert.equal(bn.numBatchesTracked!.item(), 2);
  // a fresh net loaded from the state dict normalizes in eval mode as the trained one does
  const copy = makeNet();
  copy.loadStateDict(state);
  const probe = tensorFrom(c.inputs[0]);
  assert.deepEqual(copy.eval().forward(probe).tolist(), net.eval().forward(probe).tolist());
});
