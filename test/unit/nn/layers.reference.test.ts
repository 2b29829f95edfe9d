/**
 * The tutorial layers against PyTorch (nn_layers.json, make_nn_layers_reference.py): each
 * functional case's values, backward graph and gradients; each module case's parameters right
 * after `manualSeed` (bit for bit), then per training or eval step its output, graph, the
 * gradients of input and parameters, and the running statistics; dropout masks after a seed;
 * and PyTorch's error messages.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { Tensor, nn } from "../../../engine";
import {
  ErrorCase,
  FunctionalCase,
  GraphJson,
  TensorJson,
  assertSameFloats,
  assertTensorMatches,
  camelKeys,
  checkCase,
  checkErrors,
  leavesOf,
  loadFixture,
  tensorFrom,
} from "./nnFixtures";

interface Step {
  input: TensorJson & { requires_grad: boolean };
  output: TensorJson;
  graph: GraphJson | null;
  grad_output: TensorJson;
  grads: Record<string, TensorJson | null>;
  buffers: Record<string, TensorJson>;
}

interface ModuleCase {
  name: string;
  cls: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  seed: number;
  mode: "train" | "eval";
  init: [string, TensorJson][];
  steps: Step[];
  then_rand: TensorJson;
  /** How PyTorch prints the layer. */
  repr: string;
}

const fixture = loadFixture<{
  functional: FunctionalCase[];
  modules: ModuleCase[];
  dropout: ModuleCase[];
  errors: ErrorCase[];
}>("nn_layers.json");
const F = nn.functional;

/** How each fixture op is called here (options in this API's spelling). */
const OPS: Record<string, (t: Record<string, Tensor>, kw: Record<string, unknown>) => Tensor> = {
  leaky_relu: ({ input }, kw) => F.leakyRelu(input, kw.negativeSlope as number | undefined),
  elu: ({ input }, kw) => F.elu(input, kw.alpha as number | undefined),
  gelu: ({ input }, kw) => F.gelu(input, kw.approximate as "none" | "tanh" | undefined),
  silu: ({ input }) => F.silu(input),
  softplus: ({ input }, kw) =>
    F.softplus(input, kw.beta as number | undefined, kw.threshold as number | undefined),
  hardtanh: ({ input }, kw) =>
    F.hardtanh(input, kw.minVal as number | undefined, kw.maxVal as number | undefined),
  softmax: ({ input }, kw) => F.softmax(input, kw.dim as number),
  layer_norm: ({ input, weight, bias }, kw) =>
    F.layerNorm(input, kw.normalizedShape as number[], weight, bias, kw.eps as number),
  group_norm: ({ input, weight, bias }, kw) =>
    F.groupNorm(input, kw.numGroups as number, weight, bias, kw.eps as number),
  embedding: ({ input, weight }, kw) =>
    F.embedding(input, weight, kw.paddingIdx as number | undefined),
  adaptive_avg_pool2d: ({ input }, kw) =>
    F.adaptiveAvgPool2d(input, kw.outputSize as nn.functional.AdaptiveSize),
  adaptive_max_pool2d: ({ input }, kw) =>
    F.adaptiveMaxPool2d(input, kw.outputSize as nn.functional.AdaptiveSize),
  avg_pool1d: ({ input }, { kernelSize, ...o }) => F.avgPool1d(input, kernelSize as number, o),
  max_pool1d: ({ input }, { kernelSize, ...o }) => F.maxPool1d(input, kernelSize as number, o),
  interpolate: ({ input }, kw) => F.interpolate(input, kw),
  unflatten: ({ input }, kw) =>
    F.unflatten(input, kw.dim as number, kw.unflattenedSize as number[]),
};

for (const c of fixture.functional) {
  test(`PyTorch reference: ${c.name}`, () => {
    const leaves = leavesOf(c.inputs);
    checkCase(c.name, OPS[c.op](leaves, camelKeys(c.kwargs)), c, leaves);
  });
}

/** The layer built as the fixture's Python built it: positional args, then keyword options. */
function build(c: ModuleCase): nn.Module {
  const Cls = (nn as unknown as Record<string, new (...a: unknown[]) => nn.Module>)[c.cls];
  const kw = camelKeys(c.kwargs);
  return Object.keys(kw).length ? new Cls(...c.args, kw) : new Cls(...c.args);
}

/** The module's tensors by PyTorch's buffer names. */
function buffersOf(m: nn.Module): Record<string, Tensor | null> {
  const b = m as unknown as Record<string, Tensor | null>;
  return {
    running_mean: b.runningMean,
    running_var: b.runningVar,
    num_batches_tracked: b.numBatchesTracked,
  };
}

function runModuleCase(c: ModuleCase, exact = false): void {
  torch.manualSeed(c.seed);
  const m = build(c);
  const params = m.namedParameters();
  assert.deepEqual(
    params.map(([n]) => n),
    c.init.map(([n]) => n),
    `${c.name}: parameter names`,
  );
  params.forEach(([n, p], i) =>
    assertSameFloats(p, c.init[i][1], `${c.name}: ${n} after manualSeed`),
  );
  if (c.mode === "eval") m.eval();
  for (const [k, step] of c.steps.entries()) {
    const label = `${c.name}, step ${k + 1}`;
    const x = tensorFrom(step.input).requiresGrad_(step.input.requires_grad);
    m.zeroGrad();
    const out = (m.forward as (x: Tensor) => Tensor)(x);
    checkCase(label, out, step, { input: x, ...Object.fromEntries(params) }, exact);
    const buffers = buffersOf(m);
    for (const [name, expected] of Object.entries(step.buffers))
      assertTensorMatches(buffers[name], expected, `${label}: ${name}`);
  }
  // the layer drew from the generator exactly as PyTorch's did
  assertSameFloats(torch.rand(3), c.then_rand, `${c.name}: torch.rand after the steps`);
  assert.equal(m.toString(), c.repr, `${c.name}: printed as PyTorch prints it`);
}

for (const c of fixture.modules) test(`PyTorch reference: nn.${c.name}`, () => runModuleCase(c));
for (const c of fixture.dropout)
  test(`PyTorch reference: nn.${c.name}, masks after manualSeed`, () => runModuleCase(c, true));

/** Each error case, by the fixture's id. */
const ERRORS: Record<string, () => unknown> = {
  "BatchNorm2d channels": () => new nn.BatchNorm2d(4).forward(torch.randn(2, 3, 5, 5)),
  "BatchNorm2d rank": () => new nn.BatchNorm2d(3).forward(torch.randn(2, 3, 5)),
  "BatchNorm1d rank": () => new nn.BatchNorm1d(3).forward(torch.randn(2, 3, 5, 5)),
  "BatchNorm1d channels": () => new nn.BatchNorm1d(8).forward(torch.randn(2, 3)),
  "BatchNorm1d one value per channel": () => new nn.BatchNorm1d(3).forward(torch.randn(1, 3)),
  "LayerNorm shape": () => new nn.LayerNorm(8).forward(torch.randn(2, 3, 5)),
  "LayerNorm shape 2-D": () => new nn.LayerNorm([4, 5]).forward(torch.randn(2, 3, 5)),
  "GroupNorm divisible": () => new nn.GroupNorm(3, 4),
  "GroupNorm channels": () => new nn.GroupNorm(2, 4).forward(torch.randn(2, 6, 3)),
  "Embedding index out of range": () => new nn.Embedding(10, 3).forward(torch.tensor([1, 10])),
  "Embedding negative index": () => new nn.Embedding(10, 3).forward(torch.tensor([-1])),
  "Embedding float index": () => new nn.Embedding(10, 3).forward(torch.tensor([1.5]).float()),
  "Embedding padding_idx": () => new nn.Embedding(10, 3, { paddingIdx: 10 }),
  "Dropout p": () => new nn.Dropout(1.5),
  "dropout p": () => F.dropout(torch.randn(3), -0.1),
  "adaptive_avg_pool2d rank": () => F.adaptiveAvgPool2d(torch.randn(3, 4), 2),
  "adaptive_max_pool2d rank": () => F.adaptiveMaxPool2d(torch.randn(3, 4), 2),
  "interpolate size and scale": () =>
    F.interpolate(torch.randn(1, 1, 3, 3), { size: 4, scaleFactor: 2 }),
  "interpolate neither": () => F.interpolate(torch.randn(1, 1, 3, 3)),
  "interpolate align_corners nearest": () =>
    F.interpolate(torch.randn(1, 1, 3, 3), { scaleFactor: 2, alignCorners: true }),
  "interpolate bilinear 3-D": () =>
    F.interpolate(torch.randn(1, 3, 3), { scaleFactor: 2, mode: "bilinear" }),
  "interpolate mode": () =>
    F.interpolate(torch.randn(1, 1, 3, 3), {
      scaleFactor: 2,
      mode: "cubic" as nn.functional.InterpolateMode,
    }),
  "unflatten size": () => new nn.Unflatten(1, [2, 4]).forward(torch.randn(2, 6)),
  "avg_pool1d rank": () => F.avgPool1d(torch.randn(2, 3, 4, 5), 2),
  "max_pool1d rank": () => F.maxPool1d(torch.randn(2, 3, 4, 5), 2),
};

test("PyTorch reference: the layers' error messages", () => checkErrors(fixture.errors, ERRORS));

test("positional arguments mean what PyTorch's do", () => {
  const bn = new nn.BatchNorm2d(3, 1e-3, null, false);
  assert.deepEqual(
    [bn.eps, bn.momentum, bn.affine, bn.trackRunningStats],
    [1e-3, null, false, true],
  );
  assert.equal(
    bn.toString(),
    "BatchNorm2d(3, eps=0.001, momentum=None, affine=False, track_running_stats=True)",
  );
  assert.equal(
    new nn.BatchNorm1d(4).toString(),
    "BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
  );
  assert.equal(
    new nn.LayerNorm(8, 1e-6, false).toString(),
    "LayerNorm((8,), eps=1e-06, elementwise_affine=False)",
  );
  assert.equal(new nn.Dropout(0.2).p, 0.2);
  assert.equal(new nn.Embedding(5, 2, 1).paddingIdx, 1);
  assert.equal(new nn.LeakyReLU(0.2).toString(), "LeakyReLU(negative_slope=0.2)");
  const up = new nn.Upsample(null, 2, "bilinear", true);
  assert.deepEqual(up.forward(torch.ones(1, 1, 2, 2)).shape, [1, 1, 4, 4]);
  assert.deepEqual(new nn.MaxPool1d(3, 1, 1).forward(torch.randn(1, 2, 6)).shape, [1, 2, 6]);
  assert.deepEqual(
    new nn.AvgPool1d(2, { stride: 1 }).forward(torch.randn(1, 2, 6)).shape,
    [1, 2, 5],
  );
});

test("functional forms take PyTorch's positional arguments too, meaning the same as the options", () => {
  const x = torch.randn(1, 2, 3, 4);
  const same = (a: Tensor, b: Tensor) => assert.deepEqual(a.tolist(), b.tolist());
  same(F.interpolate(x, [6, 8]), F.interpolate(x, { size: [6, 8] }));
  same(
    F.interpolate(x, null, 2, "bilinear", true),
    F.interpolate(x, { scaleFactor: 2, mode: "bilinear", alignCorners: true }),
  );
  const s = torch.randn(2, 3, 9);
  same(F.maxPool1d(s, 3, 2, 1), F.maxPool1d(s, 3, { stride: 2, padding: 1 }));
  same(
    F.avgPool1d(s, 3, 2, 1, true, false),
    F.avgPool1d(s, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  );
  const [w, b] = [torch.rand(2), torch.rand(2)];
  const [m1, v1, m2, v2] = [torch.zeros(2), torch.ones(2), torch.zeros(2), torch.ones(2)];
  same(
    F.batchNorm(x, m1, v1, w, b, true, 0.2),
    F.batchNorm(x, m2, v2, { weight: w, bias: b, training: true, momentum: 0.2 }),
  );
  same(m1, m2);
  assert.notDeepEqual(m1.tolist(), [0, 0], "the running mean moved");
  const [p, t, bw] = [torch.rand(3, 2), torch.rand(3, 2), torch.rand(2)];
  same(F.binaryCrossEntropy(p, t, bw), F.binaryCrossEntropy(p, t, { weight: bw }));
  assert.notDeepEqual(F.binaryCrossEntropy(p, t, bw).tolist(), F.binaryCrossEntropy(p, t).tolist());
});

test("ModuleDict: parameters named by key, in insertion order; lookups", () => {
  const d = new nn.ModuleDict({ enc: new nn.Linear(3, 2), act: new nn.ReLU() });
  d.set("dec", new nn.Linear(2, 3, { bias: false }));
  assert.deepEqual(
    d.namedParameters().map(([n]) => n),
    ["enc.weight", "enc.bias", "dec.weight"],
  );
  assert.deepEqual(d.keys(), ["enc", "act", "dec"]);
  assert.equal(d.length, 3);
  assert.ok(d.get("act") instanceof nn.ReLU);
  assert.throws(() => d.get("nope"), { name: "KeyError" });
  class Net extends nn.Module {
    heads = new nn.ModuleDict([["a", new nn.Linear(2, 1)]]);
    forward(x: Tensor): Tensor {
      return (this.heads.get("a").forward as (x: Tensor) => Tensor)(x);
    }
  }
  assert.deepEqual(
    new Net().namedParameters().map(([n]) => n),
    ["heads.a.weight", "heads.a.bias"],
  );
  assert.deepEqual(new Net().forward(torch.randn(4, 2)).shape, [4, 1]);
});
