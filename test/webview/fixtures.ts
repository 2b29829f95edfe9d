/**
 * Graphs for the page tests, written by hand from what PyTorch records for the same code
 * (the seed example) or generated (the 2,000-node model).
 */
import type { GraphDto, GraphNodeDto, TensorSummary } from "../../webview/protocol";

const FILE = "/workspace/model.ts";

/** A TensorSummary of row-major `values` (all of them sent). */
export function summary(shape: number[], values: number[]): TensorSummary {
  const numel = values.length;
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    shape,
    dtype: "float32",
    numel,
    min: Math.min(...values),
    max: Math.max(...values),
    mean: sum / numel,
    norm: Math.sqrt(values.reduce((a, b) => a + b * b, 0)),
    values: Float32Array.from(values),
    truncated: false,
  };
}

const at = (line: number, column: number) => ({ file: FILE, line, column });

/** a * b = c: five nodes, four edges. */
export function tinyGraph(): GraphDto {
  return {
    file: FILE,
    hasGradients: false,
    runMs: 2,
    root: "c",
    nodes: [
      { id: "a", kind: "leaf", label: "a", shape: [3], value: summary([3], [1, 2, 3]) },
      { id: "b", kind: "leaf", label: "b", shape: [3], value: summary([3], [4, 5, 6]) },
      { id: "mul", kind: "op", label: "MulBackward0", shape: [3], location: at(3, 13) },
      { id: "c", kind: "tensor", label: "c", shape: [3], value: summary([3], [4, 10, 18]) },
      { id: "k", kind: "constant", label: "2", shape: [] },
    ],
    edges: [
      { id: "e1", source: "a", target: "mul", label: "[3]" },
      { id: "e2", source: "b", target: "mul", label: "[3]" },
      { id: "e3", source: "mul", target: "c", label: "[3]" },
      { id: "e4", source: "k", target: "c", label: "[]" },
    ],
  };
}

/**
 * test/fixtures/workspace/model.ts, as PyTorch records it:
 *   x = tensor([[1, 2], [3, 4]], requires_grad)   y = x - 2   z = y * y * 3   loss = z.mean()
 * x → SubBackward0 → y → MulBackward0 (y·y) → t → MulBackward0 (·3) → z → MeanBackward0 → loss.
 * loss = 4.5; ∂loss/∂x = 1.5·(x − 2) = [[-1.5, 0], [1.5, 3]].
 */
export function seedGraph(withGradients = true): GraphDto {
  const g = (shape: number[], v: number[]) => (withGradients ? summary(shape, v) : undefined);
  const nodes: GraphNodeDto[] = [
    {
      id: "x",
      kind: "leaf",
      label: "x",
      shape: [2, 2],
      location: at(2, 11),
      value: summary([2, 2], [1, 2, 3, 4]),
      grad: g([2, 2], [-1.5, 0, 1.5, 3]),
    },
    { id: "c2", kind: "constant", label: "2", shape: [], value: summary([], [2]) },
    {
      id: "sub",
      kind: "op",
      label: "SubBackward0",
      shape: [2, 2],
      location: at(3, 13),
      grad: g([2, 2], [-1.5, 0, 1.5, 3]),
    },
    {
      id: "y",
      kind: "tensor",
      label: "y",
      shape: [2, 2],
      location: at(3, 7),
      value: summary([2, 2], [-1, 0, 1, 2]),
      grad: g([2, 2], [-1.5, 0, 1.5, 3]),
    },
    {
      id: "mul1",
      kind: "op",
      label: "MulBackward0",
      shape: [2, 2],
      location: at(4, 13),
      grad: g([2, 2], [0.75, 0.75, 0.75, 0.75]),
    },
    {
      id: "t",
      kind: "tensor",
      label: "y.mul(y)",
      shape: [2, 2],
      value: summary([2, 2], [1, 0, 1, 4]),
      grad: g([2, 2], [0.75, 0.75, 0.75, 0.75]),
    },
    { id: "c3", kind: "constant", label: "3", shape: [], value: summary([], [3]) },
    {
      id: "mul2",
      kind: "op",
      label: "MulBackward0",
      shape: [2, 2],
      location: at(4, 20),
      grad: g([2, 2], [0.25, 0.25, 0.25, 0.25]),
    },
    {
      id: "z",
      kind: "tensor",
      label: "z",
      shape: [2, 2],
      location: at(4, 7),
      value: summary([2, 2], [3, 0, 3, 12]),
      grad: g([2, 2], [0.25, 0.25, 0.25, 0.25]),
    },
    {
      id: "mean",
      kind: "op",
      label: "MeanBackward0",
      shape: [],
      location: at(5, 21),
      grad: g([], [1]),
    },
    {
      id: "loss",
      kind: "tensor",
      label: "loss",
      shape: [],
      location: at(5, 14),
      value: summary([], [4.5]),
      grad: g([], [1]),
    },
  ];
  const e = (id: string, source: string, target: string, label: string) => ({
    id,
    source,
    target,
    label,
  });
  return {
    file: FILE,
    hasGradients: withGradients,
    runMs: 3,
    root: "loss",
    nodes,
    edges: [
      e("x-sub", "x", "sub", "[2, 2]"),
      e("c2-sub", "c2", "sub", "[]"),
      e("sub-y", "sub", "y", "[2, 2]"),
      e("y-mul1.0", "y", "mul1", "[2, 2]"),
      e("y-mul1.1", "y", "mul1", "[2, 2]"),
      e("mul1-t", "mul1", "t", "[2, 2]"),
      e("t-mul2", "t", "mul2", "[2, 2]"),
      e("c3-mul2", "c3", "mul2", "[]"),
      e("mul2-z", "mul2", "z", "[2, 2]"),
      e("z-mean", "z", "mean", "[2, 2]"),
      e("mean-loss", "mean", "loss", "[]"),
    ],
  };
}

/** The seed graph's gradients, as a later `gradients` message sends them. */
export function seedGradients(): Record<string, TensorSummary | null> {
  const grads: Record<string, TensorSummary | null> = {};
  for (const n of seedGraph(true).nodes) if (n.grad !== undefined) grads[n.id] = n.grad;
  grads.c2 = null; // constants get none
  return grads;
}

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 31 - 1);
}

/**
 * A conv layer's graph: input → ConvolutionBackward0 (weight [4, 2, 3, 3], bias) → out, for the
 * slice selectors, plus one op that failed and one parameter that got no gradient.
 */
export function convGraph(): GraphDto {
  const w = values(4 * 2 * 3 * 3, 7);
  return {
    file: FILE,
    hasGradients: true,
    runMs: 9,
    root: "out",
    nodes: [
      { id: "conv", kind: "module", label: "conv (Conv2d)", location: at(8, 14) },
      { id: "inp", kind: "constant", label: "input", shape: [1, 2, 6, 6] },
      {
        id: "w",
        kind: "param",
        label: "conv.weight",
        parent: "conv",
        shape: [4, 2, 3, 3],
        value: summary([4, 2, 3, 3], w),
        grad: summary(
          [4, 2, 3, 3],
          values(72, 11).map((v) => v * 0.1),
        ),
      },
      {
        id: "bias",
        kind: "param",
        label: "conv.bias",
        parent: "conv",
        shape: [4],
        value: summary([4], values(4, 3)),
        grad: null,
      },
      {
        id: "cv",
        kind: "op",
        label: "ConvolutionBackward0",
        parent: "conv",
        shape: [1, 4, 4, 4],
        location: at(9, 17),
      },
      { id: "out", kind: "tensor", label: "out", shape: [1, 4, 4, 4], location: at(9, 7) },
      {
        id: "mm",
        kind: "op",
        label: "MmBackward0",
        shape: [1, 10],
        failed: true,
        location: at(10, 17),
      },
    ],
    edges: [
      { id: "1", source: "inp", target: "cv", label: "[1, 2, 6, 6]" },
      { id: "2", source: "w", target: "cv", label: "[4, 2, 3, 3]" },
      { id: "3", source: "bias", target: "cv", label: "[4]" },
      { id: "4", source: "cv", target: "out", label: "[1, 4, 4, 4]" },
      { id: "5", source: "out", target: "mm", label: "[1, 64]" },
    ],
  };
}

/**
 * A residual MLP of `blocks` identical blocks, 10 graph nodes each (2,000 nodes for 200):
 * block module ⊃ { fc module ⊃ { weight, bias, AddmmBackward0, h }, ReluBackward0, r,
 * AddBackward0, out }. Blocks share a foldKey. `flat` drops the modules: 1,600 op and tensor
 * nodes with nothing to collapse (the worst case for layout).
 */
export function bigGraph(blocks = 200, flat = false): GraphDto {
  const nodes: GraphNodeDto[] = [];
  const edges: GraphDto["edges"] = [];
  const grad = (n: number, seed: number) =>
    summary(
      [n],
      values(n, seed).map((v) => v * 0.01),
    );
  const node = (n: GraphNodeDto) => {
    if (!flat) nodes.push(n);
    else if (n.kind !== "module") nodes.push({ ...n, parent: undefined, foldKey: undefined });
  };
  const edge = (source: string, target: string, label = "[32, 64]") =>
    void edges.push({ id: `${source}->${target}`, source, target, label });
  node({ id: "x", kind: "constant", label: "x", shape: [32, 64] });
  let prev = "x";
  for (let i = 0; i < blocks; i++) {
    const b = `b${i}`;
    const p = (s: string) => `${b}.${s}`;
    node({ id: b, kind: "module", label: `layers.${i} (Block)`, foldKey: "Block" });
    node({ id: p("fc"), kind: "module", label: `layers.${i}.fc (Linear)`, parent: b });
    node({
      id: p("w"),
      kind: "param",
      label: `layers.${i}.fc.weight`,
      parent: p("fc"),
      shape: [64, 64],
      grad: grad(8, i * 3 + 1),
    });
    node({
      id: p("b"),
      kind: "param",
      label: `layers.${i}.fc.bias`,
      parent: p("fc"),
      shape: [64],
      grad: grad(8, i * 3 + 2),
    });
    node({ id: p("addmm"), kind: "op", label: "AddmmBackward0", parent: p("fc"), shape: [32, 64] });
    node({
      id: p("h"),
      kind: "tensor",
      label: "h",
      parent: p("fc"),
      shape: [32, 64],
      grad: grad(8, i * 3 + 3),
    });
    node({ id: p("relu"), kind: "op", label: "ReluBackward0", parent: b, shape: [32, 64] });
    node({ id: p("r"), kind: "tensor", label: "r", parent: b, shape: [32, 64] });
    node({ id: p("add"), kind: "op", label: "AddBackward0", parent: b, shape: [32, 64] });
    node({ id: p("out"), kind: "tensor", label: "out", parent: b, shape: [32, 64] });
    edge(prev, p("addmm"));
    edge(p("w"), p("addmm"), "[64, 64]");
    edge(p("b"), p("addmm"), "[64]");
    edge(p("addmm"), p("h"));
    edge(p("h"), p("relu"));
    edge(p("relu"), p("r"));
    edge(p("r"), p("add"));
    edge(prev, p("add"));
    edge(p("add"), p("out"));
    prev = p("out");
  }
  return { file: "/workspace/deep.ts", hasGradients: true, runMs: 120, root: prev, nodes, edges };
}

/** A graph whose user-provided strings try to inject markup. */
export function hostileGraph(): GraphDto {
  const evil = "<img src=x onerror=alert(1)>";
  return {
    file: `/workspace/${evil}.ts`,
    hasGradients: false,
    runMs: 1,
    nodes: [
      {
        id: "evil",
        kind: "leaf",
        label: evil,
        shape: [2],
        location: { file: `/w/${evil}`, line: 1, column: 1 },
        value: summary([2], [1, 2]),
      },
      { id: "op", kind: "op", label: `</script><script>alert(2)</script>`, shape: [2] },
    ],
    edges: [{ id: "e", source: "evil", target: "op", label: evil }],
  };
}
