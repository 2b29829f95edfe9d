/**
 * nn.RNN / LSTM / GRU and their cells against PyTorch 1.13 (nn_sequence.json, written by
 * make_sequence_reference.py): after the case's seed each layer draws PyTorch's parameters bit
 * for bit, under PyTorch's names; outputs and final states match; the backward graph near each
 * output is PyTorch's (to the recorded depth); and one backward through all outputs gives the
 * input, the initial states and every parameter PyTorch's gradients.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn } from "../../../engine";
import {
  MultiOutputCase,
  TensorJson,
  camelKeys,
  checkInitialParameters,
  checkOutputsAndGradients,
  leaf,
  loadFixture,
} from "./nnFixtures";

interface SequenceCase extends MultiOutputCase {
  name: string;
  cls: "RNN" | "LSTM" | "GRU" | "RNNCell" | "LSTMCell" | "GRUCell";
  args: [number, number];
  kwargs: Record<string, unknown>;
  seed: number;
  eval: boolean;
  params: [string, TensorJson][];
  input: TensorJson;
  h0: TensorJson | null;
  c0: TensorJson | null;
}

interface ErrorCase {
  cls: SequenceCase["cls"];
  args: [number, number];
  kwargs: Record<string, unknown>;
  input: number[] | null;
  states: number[][] | null;
  error: string;
  message: string;
}

const fixture = loadFixture<{
  depths: [number];
  layers: SequenceCase[];
  cells: SequenceCase[];
  errors: ErrorCase[];
}>("nn_sequence.json");
const [depth] = fixture.depths;

type AnyRecurrent = { forward(x: torch.Tensor, hx?: unknown): unknown } & nn.Module;

function build(c: Pick<SequenceCase, "cls" | "args" | "kwargs">): AnyRecurrent {
  const Cls = nn[c.cls] as unknown as new (i: number, h: number, o: object) => AnyRecurrent;
  return new Cls(c.args[0], c.args[1], camelKeys(c.kwargs));
}

/** The module's outputs flattened: [output, h_n] / [output, h_n, c_n] / [h'] / [h', c']. */
function flatOutputs(result: unknown): torch.Tensor[] {
  if (result instanceof torch.Tensor) return [result];
  return (result as unknown[]).flatMap((r) => flatOutputs(r));
}

for (const c of [...fixture.layers, ...fixture.cells]) {
  test(`PyTorch reference: ${c.name}`, () => {
    torch.manualSeed(c.seed);
    const m = build(c);
    if (c.eval) m.eval();
    checkInitialParameters(m, c.params);

    const x = leaf(c.input)!;
    const h0 = leaf(c.h0);
    const c0 = leaf(c.c0);
    const state = c0 ? [h0, c0] : h0;
    const outputs = flatOutputs(m.forward(x, state));
    checkOutputsAndGradients(outputs, c, depth, {
      input: x,
      h0,
      c0,
      ...Object.fromEntries(m.namedParameters()),
    });
  });
}

for (const c of fixture.errors) {
  const states = c.states?.map((s) => `[${s}]`).join(", ") ?? "";
  test(`PyTorch's error: ${c.cls}(${c.args}, ${JSON.stringify(c.kwargs)}) on [${c.input ?? ""}] ${states}`, () => {
    assert.throws(
      () => {
        const m = build(c);
        const hs = (c.states ?? []).map((s) => torch.zeros(s));
        m.forward(torch.zeros(c.input!), hs.length === 2 ? hs : hs[0]);
      },
      (e: Error) => e.name === c.error && e.message === c.message,
    );
  });
}
