/**
 * PyTorch's positional arguments (fixtures from make_positional_reference.py): every layer and
 * functional called as a tutorial calls it (`new nn.Conv2d(20, 16, [3, 5], 1, [1, 2])`,
 * `F.conv2d(x, w, b, 2, 1)`, positional arguments then keywords) keeps PyTorch's settings and
 * gives PyTorch's output; the options-object form gives the same; a setting given both ways is
 * Python's TypeError. Also an unbound `MyFn.apply`.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn, Tensor } from "../../../engine";
import { TensorJson, assertTensorMatches, camelKeys, loadFixture, tensorFrom } from "./nnFixtures";

type Value = number | boolean | string | null | number[];

interface LayerCase {
  name: string;
  layer: string;
  required: Value[];
  args: Value[];
  kwargs: Record<string, Value>;
  settings: Record<string, Value>;
  input: TensorJson;
  outputs: TensorJson[];
}

interface FunctionalCase {
  name: string;
  fn: string;
  required: Value[];
  weight?: TensorJson;
  bias?: TensorJson | null;
  args: Value[];
  kwargs: Record<string, Value>;
  input: TensorJson;
  outputs: TensorJson[];
}

const fixture = loadFixture<{
  layers: LayerCase[];
  functionals: FunctionalCase[];
  errors: { name: string; type: string; message: string }[];
}>("nn_positional.json");

type Layer = nn.Module & { forward(x: Tensor): Tensor | Tensor[] };
const LAYERS = nn as unknown as Record<string, new (...args: unknown[]) => Layer>;
const F = nn.functional as unknown as Record<string, (...args: unknown[]) => Tensor | Tensor[]>;
/** PyTorch's snake_case function names in this API's spelling. */
const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The trailing arguments: the positional ones, then the keywords as an options object. */
const trailing = (c: { args: Value[]; kwargs: Record<string, Value> }): unknown[] =>
  Object.keys(c.kwargs).length > 0 ? [...c.args, camelKeys(c.kwargs)] : c.args;

function checkOutputs(out: Tensor | Tensor[], want: TensorJson[], label: string): void {
  const list = Array.isArray(out) ? out : [out];
  assert.equal(list.length, want.length, `${label}: number of outputs`);
  list.forEach((o, i) => assertTensorMatches(o, want[i], `${label}: output ${i}`));
}

/** The layer's kept settings, in the fixture's snake_case names. */
function settingsOf(m: Layer, want: Record<string, Value>): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const key of Object.keys(want)) {
    const value =
      key === "bias"
        ? "weight" in m
          ? (m as unknown as { bias: unknown }).bias !== null
          : null
        : (m as unknown as Record<string, Value>)[camel(key)];
    out[key] = value as Value;
  }
  return out;
}

for (const c of fixture.layers) {
  test(`positional: ${c.name} keeps PyTorch's settings and gives its output`, () => {
    torch.manualSeed(0);
    const m = new LAYERS[c.layer](...c.required, ...trailing(c));
    assert.deepEqual(settingsOf(m, c.settings), c.settings);
    checkOutputs(m.forward(tensorFrom(c.input)), c.outputs, c.name);
  });
}

for (const c of fixture.functionals) {
  test(`positional: ${c.name} gives PyTorch's output`, () => {
    const x = tensorFrom(c.input);
    const weights = c.weight ? [tensorFrom(c.weight), c.bias ? tensorFrom(c.bias) : null] : [];
    checkOutputs(F[camel(c.fn)](x, ...weights, ...c.required, ...trailing(c)), c.outputs, c.name);
  });
}

for (const e of fixture.errors) {
  test(`positional: ${e.name} is Python's ${e.type}`, () => {
    assert.throws(
      () => new nn.Conv2d(3, 4, 3, 1, { stride: 1 }),
      (err: Error) => err.name === e.type && err.message === e.message,
    );
  });
}

test("positional: the lecture's Conv2d(20, 16, (3, 5), 1, (1, 2)) equals its options form", () => {
  torch.manualSeed(0);
  const positional = new nn.Conv2d(20, 16, [3, 5], 1, [1, 2]);
  torch.manualSeed(0);
  const options = new nn.Conv2d(20, 16, [3, 5], { stride: 1, padding: [1, 2] });
  const x = torch.randn(1, 20, 50, 100);
  const [a, b] = [positional.forward(x), options.forward(x)];
  assert.deepEqual(a.shape, [1, 16, 50, 100]);
  assert.deepEqual(Array.from(a._values), Array.from(b._values));
  assert.equal(positional.toString(), options.toString());
});

test("positional: more arguments than the signature has is a TypeError", () => {
  assert.throws(() => new nn.Linear(3, 2, ...([true, 1] as unknown as [boolean])), {
    name: "TypeError",
  });
});

class MyAdd extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.Context, x1: Tensor, x2: Tensor) {
    ctx.saveForBackward(x1, x2);
    return x1.add(x2);
  }
  static override backward(_ctx: torch.autograd.Context, g: Tensor) {
    return [g.mul(2), g.mul(3)];
  }
}

test("autograd.Function: an unbound apply runs the op and records its node", () => {
  const myadd = MyAdd.apply;
  const x1 = torch.tensor([1, 2], { requiresGrad: true });
  const x2 = torch.tensor([3, 4], { requiresGrad: true });
  const y = myadd(x1, x2);
  assert.deepEqual(y.tolist(), [4, 6]);
  assert.equal(y.gradFn?.name, "MyAddBackward");
  y.sum().backward();
  assert.deepEqual(x1.grad?.tolist(), [2, 2]);
  assert.deepEqual(x2.grad?.tolist(), [3, 3]);
  assert.equal(MyAdd.apply, myadd, "one bound apply per class");
});
