/**
 * Losses, linear and activations against PyTorch (nn_functional.json): values, backward graphs
 * (`NllLossBackward0` after `LogSoftmaxBackward0`, `NllLoss2DBackward0`, `MseLossBackward0`,
 * `AddmmBackward0` with `TBackward0`, ...) and gradients, through nn.functional and the
 * matching modules.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn } from "../../../engine";
import {
  RecordedCase,
  TensorJson,
  assertTensorMatches,
  camelKeys,
  checkGradients,
  checkOutputAndGraph,
  graphOf,
  leaf,
  loadFixture,
  tensorFrom,
} from "./nnFixtures";

interface LossCase extends RecordedCase {
  fn: "mse_loss" | "cross_entropy" | "nll_loss";
  kwargs: Record<string, unknown>;
  input: TensorJson;
  target: TensorJson;
  target_grad: boolean;
}
interface LinearCase extends RecordedCase {
  input: TensorJson;
  transpose: [number, number] | null;
  weight: TensorJson;
  bias: TensorJson | null;
}
interface ActivationCase extends RecordedCase {
  input: TensorJson;
}

const fixture = loadFixture<{
  losses: LossCase[];
  linear: LinearCase[];
  activations: ActivationCase[];
}>("nn_functional.json");
const F = nn.functional;

/** The loss options in this API's spelling, class weights as tensors. */
function lossOptions(kwargs: Record<string, unknown>): Record<string, unknown> {
  const o = camelKeys(kwargs);
  if (o.weight) o.weight = tensorFrom(o.weight as TensorJson);
  return o;
}

function runLoss(
  c: LossCase,
  asModule: boolean,
): { out: torch.Tensor; x: torch.Tensor; t: torch.Tensor } {
  const x = leaf(c.input)!;
  const t = leaf(c.target, c.target_grad)!;
  const o = lossOptions(c.kwargs);
  let out: torch.Tensor;
  if (c.fn === "mse_loss") {
    out = asModule
      ? new nn.MSELoss(o).forward(x, t)
      : F.mseLoss(x, t, o.reduction as nn.functional.Reduction);
  } else if (c.fn === "cross_entropy") {
    out = asModule ? new nn.CrossEntropyLoss(o).forward(x, t) : F.crossEntropy(x, t, o);
  } else {
    out = asModule ? new nn.NLLLoss(o).forward(x, t) : F.nllLoss(x, t, o);
  }
  return { out, x, t };
}

// mse with a broadcast target warns, as PyTorch does; keep the test output clean
const quiet = <T>(fn: () => T): T => {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return fn();
  } finally {
    console.warn = warn;
  }
};

for (const c of fixture.losses) {
  test(`PyTorch reference: ${c.name}`, () => {
    const { out, x, t } = quiet(() => runLoss(c, false));
    checkOutputAndGraph(out, c);
    checkGradients(out, c, { input: x, target: t });
    const viaModule = quiet(() => runLoss(c, true));
    assertTensorMatches(viaModule.out, c.output, `${c.name}: through the module`);
  });
}

function linearRun(c: LinearCase): {
  out: torch.Tensor;
  x0: torch.Tensor;
  w: torch.Tensor;
  b: torch.Tensor | null;
} {
  const x0 = leaf(c.input)!;
  const x = c.transpose ? x0.transpose(...c.transpose) : x0;
  const w = leaf(c.weight)!;
  const b = leaf(c.bias);
  return { out: F.linear(x, w, b), x0, w, b };
}

for (const c of fixture.linear) {
  test(`PyTorch reference: ${c.name}: values and gradients`, () => {
    const { out, x0, w, b } = linearRun(c);
    assertTensorMatches(out, c.output, `${c.name}: output`);
    checkGradients(out, c, { input: x0, weight: w, bias: b });
  });
  test(`PyTorch reference: ${c.name}: backward graph`, () => {
    const { out } = linearRun(c);
    assert.deepEqual(graphOf(out.gradFn), c.graph);
  });
}

const ACTIVATIONS: Record<string, (x: torch.Tensor) => torch.Tensor> = {
  relu: (x) => new nn.ReLU().forward(x),
  tanh: (x) => new nn.Tanh().forward(x),
  sigmoid: (x) => new nn.Sigmoid().forward(x),
  softmax: (x) => new nn.Softmax(1).forward(x),
  log_softmax: (x) => new nn.LogSoftmax(1).forward(x),
  flatten: (x) => new nn.Flatten().forward(x),
};

for (const c of fixture.activations) {
  test(`PyTorch reference: nn activation ${c.name}: values and gradients`, () => {
    const x = leaf(c.input)!;
    const out = ACTIVATIONS[c.name](x);
    assertTensorMatches(out, c.output, `${c.name}: output`);
    checkGradients(out, c, { input: x });
  });
  test(`PyTorch reference: nn activation ${c.name}: backward graph`, () => {
    const out = ACTIVATIONS[c.name](leaf(c.input)!);
    assert.deepEqual(graphOf(out.gradFn), c.graph);
  });
}
