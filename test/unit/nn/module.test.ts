/**
 * nn.Module against PyTorch (nn_modules.json): initial parameters after `manualSeed` bit for
 * bit (one layer per seed, and several layers drawing one after another), parameter and module
 * names and order, printing, the lecture's MLP gradients; and Module behaviour: train/eval,
 * zeroGrad, Parameter, stateDict, and the trace hook around forward.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn } from "../../../engine";
import {
  TensorJson,
  GraphJson,
  assertTensorMatches,
  camelKeys,
  graphOf,
  loadFixture,
} from "./nnFixtures";

type Named = [string, TensorJson][];
interface InitCase { seed: number; cls: string; args: unknown[]; kwargs: Record<string, unknown>; params: Named; then_randn: TensorJson } // prettier-ignore
interface Structure { name: string; parameters: [string, number[]][]; modules: string[]; children: string[]; output_shape: number[]; repr: string } // prettier-ignore
interface MlpCase {
  input: TensorJson;
  output: TensorJson;
  loss: number;
  graph: GraphJson;
  fc1_weight_row_sums: TensorJson;
  fc1_weight_sample_at: number[];
  fc1_weight_sample: number[];
  fc3_weight_init: TensorJson;
  grads: Record<string, TensorJson>;
}
const fixture = loadFixture<{ inits: InitCase[]; sequence: { seed: number; count: number; params: Named[] }[]; structures: Structure[]; mlp: MlpCase[] }>("nn_modules.json"); // prettier-ignore

/** The layer PyTorch built from (class, args, kwargs). */
function build(cls: string, args: unknown[], kwargs: Record<string, unknown>): nn.Module {
  const Ctor = (nn as unknown as Record<string, new (...a: unknown[]) => nn.Module>)[cls];
  return new Ctor(...args, camelKeys(kwargs));
}

/** Parameters equal PyTorch's bit for bit (the fixture holds every float32 exactly). */
function assertSameParameters(m: nn.Module, expected: Named, label: string): void {
  assert.deepEqual(
    m.namedParameters().map(([n]) => n),
    expected.map(([n]) => n),
    `${label}: names`,
  );
  m.namedParameters().forEach(([name, p], i) => {
    assert.deepEqual(p.shape, expected[i][1].shape, `${label}: ${name} shape`);
    const want = Float32Array.from((expected[i][1].values as number[][]).flat(4));
    assert.deepEqual(Array.from(p._values), Array.from(want), `${label}: ${name} values`);
  });
}

for (const c of fixture.inits) {
  test(`init: manualSeed(${c.seed}); new nn.${c.cls}(${c.args.join(", ")}) gives PyTorch's numbers`, () => {
    torch.manualSeed(c.seed);
    const m = build(c.cls, c.args, c.kwargs);
    assertSameParameters(m, c.params, c.cls);
    // the generator is left where PyTorch leaves it
    assertTensorMatches(torch.randn(3), c.then_randn, "randn after the layer");
  });
}

test("init: several layers after one manualSeed draw one after another as in PyTorch", () => {
  const seq = fixture.sequence[0];
  torch.manualSeed(seq.seed);
  const layers = fixture.inits.slice(0, seq.count).map((c) => build(c.cls, c.args, c.kwargs));
  layers.forEach((m, i) => assertSameParameters(m, seq.params[i], `layer ${i}`));
});

test("init: torch.manualSeed(0); new nn.Linear(3, 2) is PyTorch's weight and bias", () => {
  torch.manualSeed(0);
  const fc = new nn.Linear(3, 2);
  // printed by PyTorch 1.13 for the same two lines
  assert.deepEqual(fc.weight.shape, [2, 3]);
  assert.ok(Math.abs(fc.weight._values[0] - -0.0043225) < 1e-6);
  assert.ok(Math.abs(fc.bias!._values[1] - 0.4578) < 1e-4);
});

class LeNet extends nn.Module {
  features = new nn.Sequential(new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.Sigmoid(), new nn.AvgPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.Sigmoid(), new nn.AvgPool2d(2)); // prettier-ignore
  flatten = new nn.Flatten();
  classifier = new nn.Sequential(new nn.Linear(400, 120), new nn.Sigmoid(), new nn.Linear(120, 84), new nn.Sigmoid(), new nn.Linear(84, 10)); // prettier-ignore
  forward(x: torch.Tensor): torch.Tensor {
    return this.classifier.forward(this.flatten.forward(this.features.forward(x)));
  }
}

class Mixed extends nn.Module {
  fc = new nn.Linear(3, 2);
  scale = new nn.Parameter(torch.ones(2));
  sameFc = this.fc;
  body = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU());
  forward(x: torch.Tensor): torch.Tensor {
    return this.body.forward(this.fc.forward(x).mul(this.scale));
  }
}

const STRUCTURES: Record<string, [() => nn.Module, torch.Tensor]> = {
  LeNet: [() => new LeNet(), torch.zeros(2, 1, 28, 28)],
  Mixed: [() => new Mixed(), torch.zeros(4, 3)],
};

for (const s of fixture.structures) {
  test(`names: ${s.name} lists parameters, modules and children as PyTorch (own parameters first, shared once)`, () => {
    const [make, x] = STRUCTURES[s.name];
    const m = make();
    assert.deepEqual(
      m.namedParameters().map(([n, p]) => [n, p.shape]),
      s.parameters,
    );
    assert.deepEqual(
      m.namedModules().map(([n]) => n),
      s.modules,
    );
    assert.deepEqual(
      m.namedChildren().map(([n]) => n),
      s.children,
    );
    assert.deepEqual((m.forward as (x: torch.Tensor) => torch.Tensor)(x).shape, s.output_shape);
    assert.equal(m.parameters().length, s.parameters.length);
    assert.equal(m.toString(), s.repr.replace("(same_fc)", "(sameFc)"));
  });
}

class MLP extends nn.Module {
  fc1 = new nn.Linear(600, 60);
  fc2 = new nn.Linear(60, 40);
  fc3 = new nn.Linear(40, 10);
  forward(x: torch.Tensor): torch.Tensor {
    return this.fc3.forward(this.fc2.forward(this.fc1.forward(x).relu()).relu());
  }
}

test("seed: the lecture's MLP on randn(3, 10, 20).view(-1) has PyTorch's output and gradients", () => {
  const c = fixture.mlp[0];
  torch.manualSeed(0);
  const x = torch.randn(3, 10, 20);
  assertTensorMatches(x, c.input, "input");
  const net = new MLP();
  assertTensorMatches(net.fc3.weight, c.fc3_weight_init, "fc3.weight after init");
  const out = net.forward(x.view(-1));
  assertTensorMatches(out, c.output, "output");
  assert.deepEqual(graphOf(out.gradFn), c.graph);
  const loss = out.pow(2).sum();
  assert.ok(Math.abs(loss.item() - c.loss) < 1e-4 * Math.abs(c.loss));
  loss.backward();
  for (const [name, p] of net.namedParameters()) {
    if (name === "fc1.weight") continue;
    assertTensorMatches(p.grad, c.grads[name], `gradient of ${name}`);
  }
  const g1 = net.fc1.weight.grad!;
  assertTensorMatches(g1.sum(1), c.fc1_weight_row_sums, "fc1.weight gradient row sums");
  c.fc1_weight_sample_at.forEach((at, i) => {
    const want = c.fc1_weight_sample[i];
    assert.ok(
      Math.abs(g1._values[at] - want) <= 1e-5 + 1e-4 * Math.abs(want),
      `fc1.weight.grad[${at}]`,
    );
  });
});

test("Module: train()/eval() set training on the whole tree and return the module", () => {
  const net = new LeNet();
  assert.equal(net.training, true);
  assert.equal(net.eval(), net);
  assert.ok(net.modules().every((m) => m.training === false));
  net.train();
  assert.ok(net.modules().every((m) => m.training === true));
  net.classifier.train(false);
  assert.equal(net.features.training, true);
  assert.equal(net.classifier.at(-1).training, false);
});

test("Module: zeroGrad() zeroes gradients in place; zeroGrad(true) sets them to null", () => {
  const net = new Mixed();
  net.forward(torch.ones(4, 3)).sum().backward();
  const g = net.fc.weight.grad!;
  assert.ok(Array.from(g._values).some((v) => v !== 0));
  net.zeroGrad();
  assert.equal(net.fc.weight.grad, g, "the same tensor, zeroed");
  assert.ok(Array.from(g._values).every((v) => v === 0));
  net.zeroGrad(true);
  assert.equal(net.fc.weight.grad, null);
});

test("Parameter: a leaf that requires grad, sharing storage, printed as PyTorch prints it", () => {
  const t = torch.tensor([1.5, 2], { dtype: "float32" });
  const p = new nn.Parameter(t);
  assert.ok(p.isLeaf && p.requiresGrad && p instanceof torch.Tensor);
  assert.equal(p._values, t._values);
  assert.ok(p.toString().startsWith("Parameter containing:\ntensor([1.5000, 2.0000]"));
  assert.equal(new nn.Parameter(t, false).requiresGrad, false);
});

// PyTorch 1.13 prints this, same_fc included: state_dict lists a module held twice under both names
test("Module: stateDict/loadStateDict copy by dotted name, with PyTorch's errors", () => {
  const a = new Mixed();
  const b = new Mixed();
  b.loadStateDict(a.stateDict());
  assert.deepEqual(b.fc.weight.tolist(), a.fc.weight.tolist());
  assert.throws(() => b.loadStateDict({ scale: torch.ones(3) }), {
    message:
      'Error(s) in loading state_dict for Mixed:\n\tMissing key(s) in state_dict: "fc.weight", "fc.bias", "sameFc.weight", "sameFc.bias", "body.0.weight", "body.0.bias". \n\tsize mismatch for scale: copying a param with shape torch.Size([3]) from checkpoint, the shape in current model is torch.Size([2]).',
  });
});

test("Module: forward runs inside traceModule, so a listener sees each module's ops", () => {
  const events: string[] = [];
  const previous = torch.trace.setTraceListener({
    onModuleEnter: (m) => events.push(`enter ${m.constructor.name}`),
    onModuleExit: (m) => events.push(`exit ${m.constructor.name}`),
    onOp: (e) => events.push(e.name),
  });
  try {
    new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU()).forward(torch.ones(1, 2));
  } finally {
    torch.trace.setTraceListener(previous);
  }
  assert.deepEqual(events, [
    "enter Sequential", "enter Linear", "TBackward0", "AddmmBackward0", "exit Linear",
    "enter ReLU", "ReluBackward0", "exit ReLU", "exit Sequential",
  ]); // prettier-ignore
});

test("Sequential: at(i) with negative indices, length, iteration, and PyTorch's IndexError", () => {
  const seq = new nn.Sequential(new nn.ReLU(), new nn.Tanh());
  assert.ok(seq.at(-1) instanceof nn.Tanh);
  assert.equal(seq.length, 2);
  assert.equal([...seq].length, 2);
  assert.throws(() => seq.at(3), { name: "IndexError", message: "index 3 is out of range" });
});

test("ConvTranspose2d: outputSize picks the output padding (min (4 − 1)·2 + 3 = 9, max 9 + 2 − 1 = 10)", () => {
  const up = new nn.ConvTranspose2d(2, 3, 3, { stride: 2 });
  const x = torch.randn(1, 2, 4, 4);
  assert.deepEqual(up.forward(x).shape, [1, 3, 9, 9]);
  assert.deepEqual(up.forward(x, [10, 9]).shape, [1, 3, 10, 9]);
  assert.deepEqual(up.forward(x, [1, 3, 10, 10]).shape, [1, 3, 10, 10]);
});
