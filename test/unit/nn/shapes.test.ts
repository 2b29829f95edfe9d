/**
 * torch.shapes against PyTorch (nn_shapes.json: output sizes PyTorch computed by running conv1d,
 * conv2d, conv_transpose1d/2d, max_pool2d and avg_pool2d on random configurations, with
 * "same" padding, dilation, output padding and ceil mode), the formulas rendered for the
 * editor's hints, and the layers agreeing with the formulas.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn, shapes } from "../../../engine";
import { loadFixture } from "./nnFixtures";

interface ShapeCase {
  kind: "conv1d" | "conv2d" | "convTranspose1d" | "convTranspose2d" | "maxPool2d" | "avgPool2d";
  size: number[];
  options: {
    kernel: number[];
    stride: number[];
    padding: number[] | "same";
    dilation?: number[];
    output_padding?: number[];
    ceil_mode?: boolean;
  };
  out: number[];
}

const { cases } = loadFixture<{ cases: ShapeCase[] }>("nn_shapes.json");

/** What torch.shapes says for a case, per spatial dim. */
function ours(c: ShapeCase): number[] {
  const o = c.options;
  const pick = (v: number[] | undefined, i: number, dflt: number): number => (v ? v[i] : dflt);
  const pair = (v: number[]): [number, number] => [v[0], v[1]];
  switch (c.kind) {
    case "conv1d":
      return [shapes.conv1dOut(c.size[0], o.kernel[0], { stride: o.stride[0], padding: o.padding === "same" ? "same" : o.padding[0], dilation: o.dilation![0] })];
    case "conv2d":
      return shapes.conv2dOut(pair(c.size), pair(o.kernel), { stride: pair(o.stride), padding: o.padding === "same" ? "same" : pair(o.padding), dilation: pair(o.dilation!) });
    case "convTranspose1d":
      return [shapes.convTranspose1dOut(c.size[0], o.kernel[0], { stride: o.stride[0], padding: pick(o.padding as number[], 0, 0), dilation: o.dilation![0], outputPadding: o.output_padding![0] })];
    case "convTranspose2d":
      return shapes.convTranspose2dOut(pair(c.size), pair(o.kernel), { stride: pair(o.stride), padding: pair(o.padding as number[]), dilation: pair(o.dilation!), outputPadding: pair(o.output_padding!) });
    default:
      return shapes.pool2dOut(pair(c.size), pair(o.kernel), { stride: pair(o.stride), padding: pair(o.padding as number[]), dilation: o.dilation ? pair(o.dilation) : 1, ceilMode: o.ceil_mode });
  } // prettier-ignore
}

/** The per-dim formula strings for a case (what the editor shows). */
function formulas(c: ShapeCase): string[] {
  const o = c.options;
  return c.size.map((n, i) => {
    const common = { stride: o.stride[i], dilation: o.dilation ? o.dilation[i] : 1 };
    if (c.kind.startsWith("convT")) return shapes.convTransposeOutFormula(n, o.kernel[i], { ...common, padding: (o.padding as number[])[i], outputPadding: o.output_padding![i] }); // prettier-ignore
    if (c.kind.startsWith("conv")) return shapes.convOutFormula(n, o.kernel[i], { ...common, padding: o.padding === "same" ? "same" : o.padding[i] }); // prettier-ignore
    return shapes.poolOutFormula(n, o.kernel[i], {
      ...common,
      padding: (o.padding as number[])[i],
      ceilMode: o.ceil_mode,
    });
  });
}

test(`shapes: ${cases.length} random configurations give PyTorch's output sizes`, () => {
  for (const c of cases) assert.deepEqual(ours(c), c.out, `${c.kind} ${JSON.stringify(c)}`);
});

test("shapes: every rendered formula ends in PyTorch's size", () => {
  for (const c of cases) {
    formulas(c).forEach((f, i) =>
      assert.ok(f.endsWith(`= ${c.out[i]}`), `${f} (expected ${c.out[i]})`),
    );
  }
});

test("shapes: the fixture covers same padding, output padding, dilation and ceil mode", () => {
  const kinds = new Set(cases.map((c) => c.kind));
  assert.equal(kinds.size, 6);
  assert.ok(cases.some((c) => c.options.padding === "same"));
  assert.ok(cases.some((c) => c.options.ceil_mode && c.kind === "maxPool2d"));
  assert.ok(cases.some((c) => c.options.ceil_mode && c.kind === "avgPool2d"));
  assert.ok(cases.some((c) => (c.options.output_padding ?? []).some((p) => p > 0)));
});

test("shapes: formulas with the numbers filled in, as the editor shows them", () => {
  assert.equal(shapes.convOutFormula(64, 3), "⌊(64 + 2·0 − 1·(3 − 1) − 1)/1⌋ + 1 = 62");
  assert.equal(
    shapes.convOutFormula(128, 5, { padding: 2 }),
    "⌊(128 + 2·2 − 1·(5 − 1) − 1)/1⌋ + 1 = 128",
  );
  assert.equal(
    shapes.convOutFormula(16, 5, { padding: 2, stride: 3 }),
    "⌊(16 + 2·2 − 1·(5 − 1) − 1)/3⌋ + 1 = 6",
  );
  assert.equal(
    shapes.convOutFormula(10, 4, { padding: "same" }),
    "padding='same': L_out = L_in = 10",
  );
  assert.equal(
    shapes.convTransposeOutFormula(6, 5, { padding: 2, stride: 3 }),
    "(6 − 1)·3 − 2·2 + 1·(5 − 1) + 0 + 1 = 16",
  );
  assert.equal(shapes.poolOutFormula(28, 2), "⌊(28 + 2·0 − 1·(2 − 1) − 1)/2⌋ + 1 = 14");
  assert.equal(
    shapes.poolOutFormula(5, 2, { ceilMode: true }),
    "⌈(5 + 2·0 − 1·(2 − 1) − 1)/2⌉ + 1 = 3",
  );
  // the last window would start in the right padding: PyTorch drops it
  assert.equal(shapes.poolOutSize(4, 2, { stride: 3, padding: 1, ceilMode: true }), 2);
  assert.match(
    shapes.poolOutFormula(4, 2, { stride: 3, padding: 1, ceilMode: true }),
    /− 1 \(last window starts in the padding\) = 2$/,
  );
});

/** The per-dim size terms for a case, in the input size `L` (what a layer's construction hint shows). */
function terms(c: ShapeCase): string[] {
  const o = c.options;
  return c.size.map((_, i) => {
    const common = { stride: o.stride[i], dilation: o.dilation ? o.dilation[i] : 1 };
    if (c.kind.startsWith("convT")) return shapes.convTransposeOutTerm("L", o.kernel[i], { ...common, padding: (o.padding as number[])[i], outputPadding: o.output_padding![i] }); // prettier-ignore
    if (c.kind.startsWith("conv")) return shapes.convOutTerm("L", o.kernel[i], { ...common, padding: o.padding === "same" ? "same" : o.padding[i] }); // prettier-ignore
    return shapes.poolOutTerm("L", o.kernel[i], { ...common, padding: (o.padding as number[])[i], ceilMode: o.ceil_mode }); // prettier-ignore
  });
}

/** A size term such as `⌊(L + 1)/2⌋` or `2·L − 3` evaluated at L = n. */
function evaluateTerm(term: string, n: number): number {
  const js = term
    .replace(/L/g, String(n))
    .replace(/[⌊]/g, "Math.floor(")
    .replace(/[⌈]/g, "Math.ceil(")
    .replace(/[⌋⌉]/g, ")")
    .replace(/·/g, "*")
    .replace(/−/g, "-");
  assert.match(js, /^[-+*/() 0-9Mathflorcei.]+$/, `a term of numbers and operators: ${term}`);
  return (new Function(`return ${js};`) as () => number)();
}

test("shapes: the size terms in the input size give PyTorch's sizes", () => {
  let checked = 0;
  for (const c of cases) {
    terms(c).forEach((term, i) => {
      const o = c.options;
      const dropsLastWindow =
        c.kind.endsWith("Pool2d") &&
        o.ceil_mode &&
        shapes.poolOutFormula(c.size[i], o.kernel[i], { stride: o.stride[i], padding: (o.padding as number[])[i], dilation: o.dilation?.[i] ?? 1, ceilMode: true }).includes("last window"); // prettier-ignore
      if (dropsLastWindow) return; // NOTE: the term leaves out PyTorch's dropped last window
      assert.equal(evaluateTerm(term, c.size[i]), c.out[i], `${term} at L = ${c.size[i]}: ${JSON.stringify(c)}`);
      checked++;
    });
  }
  assert.ok(checked > cases.length, `checked ${checked} sizes`);
});

test("shapes: size terms as the layer hints show them", () => {
  assert.equal(shapes.convOutTerm("H", 5), "H − 4");
  assert.equal(shapes.convOutTerm("H", 3, { stride: 2, padding: 1 }), "⌊(H + 1)/2⌋");
  assert.equal(shapes.convOutTerm("H", 3, { padding: "same" }), "H");
  assert.equal(shapes.poolOutTerm("H", 2), "⌊H/2⌋");
  assert.equal(shapes.poolOutTerm("H", 3, { stride: 2, ceilMode: true }), "⌈(H − 1)/2⌉");
  assert.equal(shapes.convTransposeOutTerm("H", 4, { stride: 2, padding: 1 }), "2·H");
  assert.equal(shapes.convTransposeOutTerm("L", 2), "L + 1");
});

test("shapes: the seed examples' sizes from the formulas and from the layers agree", () => {
  assert.equal(shapes.conv1dOut(64, 3), 62);
  assert.equal(shapes.conv1dOut(64, 5), 60);
  assert.deepEqual(shapes.conv2dOut([64, 128], [3, 5]), [62, 124]);
  assert.deepEqual(shapes.conv2dOut([64, 128], [3, 5], { stride: 1, padding: [1, 2] }), [64, 128]);
  assert.deepEqual(shapes.conv2dOut(16, 5, { padding: 2, stride: 3 }), [6, 6]);
  assert.deepEqual(shapes.convTranspose2dOut(6, 5, { padding: 2, stride: 3 }), [16, 16]);
  assert.equal(shapes.convTranspose1dOut(2, 2), 3);
  const conv = new nn.Conv2d(20, 16, [3, 5]);
  assert.deepEqual(
    torch.noGrad(() => conv.forward(torch.zeros(1, 20, 64, 128))).shape.slice(2),
    shapes.conv2dOut([64, 128], [3, 5]),
  );
});

test("shapes: the documented formulas name PyTorch's terms", () => {
  assert.match(shapes.CONV_DOC, /dilation·\(kernel_size − 1\)/);
  assert.match(shapes.CONV_TRANSPOSE_DOC, /output_padding/);
  assert.match(shapes.POOL_DOC, /ceil_mode/);
});
