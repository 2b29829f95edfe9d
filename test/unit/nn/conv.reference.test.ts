/**
 * Convolutions against PyTorch (nn_conv.json): random shapes, strides, paddings (numbers, pairs,
 * "same", "valid"), dilations, groups, output paddings and padding modes, functional and as
 * modules, batched and unbatched. Each case checks the output, the backward graph (names and
 * structure), and the gradients of input, weight and bias; module cases also check the
 * initial weights drawn after `manualSeed`.
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
  leaf,
  loadFixture,
  tensorFrom,
} from "./nnFixtures";

interface ConvCase extends RecordedCase {
  kind: "conv1d" | "conv2d" | "convTranspose1d" | "convTranspose2d";
  module: boolean;
  options: Record<string, unknown>;
  padding_mode: nn.PaddingMode;
  seed: number;
  init: [string, TensorJson][] | null;
  input: TensorJson;
  weight: TensorJson;
  bias: TensorJson | null;
  needs: [boolean, boolean, boolean];
}

const { cases } = loadFixture<{ cases: ConvCase[] }>("nn_conv.json");
const F = nn.functional;

/** The module PyTorch built, from the same seed; its initial parameters are checked exactly. */
function moduleFor(c: ConvCase): nn.Conv1d | nn.Conv2d {
  const w = c.weight.shape;
  const groups = c.options.groups as number;
  const kernel = w.slice(2);
  const options = {
    ...camelKeys(c.options),
    bias: c.bias !== null,
    paddingMode: c.padding_mode,
  } as nn.ConvModuleOptions;
  torch.manualSeed(c.seed);
  const m =
    c.kind === "conv1d"
      ? new nn.Conv1d(w[1] * groups, w[0], kernel[0], options)
      : new nn.Conv2d(w[1] * groups, w[0], kernel as [number, number], options);
  const names = m.namedParameters().map(([n]) => n);
  assert.deepEqual(
    names,
    c.init!.map(([n]) => n),
    `${c.name}: parameter names`,
  );
  for (const [name, p] of m.namedParameters()) {
    const expected = c.init!.find(([n]) => n === name)![1];
    // bit for bit: the fixture holds each float32 exactly
    assert.deepEqual(
      Array.from(p._values),
      Array.from(Float32Array.from((expected.values as number[][]).flat(4))),
      `${c.name}: initial ${name}`,
    );
  }
  return m;
}

for (const c of cases) {
  test(`PyTorch reference: ${c.name}`, () => {
    const x = leaf(c.input, c.needs[0])!;
    let w: torch.Tensor;
    let b: torch.Tensor | null;
    let out: torch.Tensor;
    if (c.module) {
      const m = moduleFor(c);
      w = m.weight.requiresGrad_(c.needs[1]);
      b = m.bias ? m.bias.requiresGrad_(c.needs[2]) : null;
      out = m.forward(x);
    } else {
      w = leaf(c.weight, c.needs[1])!;
      b = leaf(c.bias, c.needs[2]);
      const fn = {
        conv1d: F.conv1d,
        conv2d: F.conv2d,
        convTranspose1d: F.convTranspose1d,
        convTranspose2d: F.convTranspose2d,
      }[c.kind];
      out = fn(x, w, b, camelKeys(c.options));
    }
    assertTensorMatches(w, c.weight, `${c.name}: weight`);
    checkOutputAndGraph(out, c);
    checkGradients(out, c, { input: x, weight: w, bias: b });
  });
}

test("PyTorch reference: the fixture covers every kind, padding mode and option form", () => {
  const kinds = new Set(cases.map((c) => c.kind));
  assert.deepEqual([...kinds].sort(), ["conv1d", "conv2d", "convTranspose1d", "convTranspose2d"]);
  const modes = new Set(cases.filter((c) => c.module).map((c) => c.padding_mode));
  assert.deepEqual([...modes].sort(), ["circular", "reflect", "replicate", "zeros"]);
  const paddings = new Set(cases.map((c) => String(c.options.padding)));
  assert.ok(paddings.has("same") && paddings.has("valid"));
  assert.ok(cases.some((c) => (c.options.groups as number) > 1 && c.kind.startsWith("convT")));
  assert.ok(
    cases.some((c) => c.input.shape.length === c.weight.shape.length - 1),
    "an unbatched case",
  );
  assert.ok(cases.some((c) => c.bias === null));
  assert.ok(cases.some((c) => !c.needs[0]) && cases.some((c) => !c.needs[1]));
  assert.ok(tensorFrom(cases[0].input).numel() > 0);
});
