/** buildGraph: PyTorch's backward graph with names, shapes, gradients, modules and failures. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn } from "../../../engine";
import type { GraphDto, GraphNodeDto } from "../../../webview/protocol";
import { buildGraph } from "../../../extension/sandbox/graph/buildGraph";
import { traceOf } from "./traceOf";
import type { TracedOp } from "../../../extension/sandbox/graph/trace";
import { SEED_NODES } from "../runner/fixtures";

const byId = (g: GraphDto): Map<string, GraphNodeDto> => new Map(g.nodes.map((n) => [n.id, n]));

/** Edges as `source → target [shape]`, by label, sorted. */
function edgeList(g: GraphDto): string[] {
  const nodes = byId(g);
  return g.edges
    .map((e) => `${nodes.get(e.source)!.label} → ${nodes.get(e.target)!.label} ${e.label}`)
    .sort();
}

function node(g: GraphDto, label: string): GraphNodeDto {
  const found = g.nodes.filter((n) => n.label === label);
  assert.equal(found.length, 1, `one node labelled ${label}, got ${found.length}`);
  return found[0];
}

test("graph: the seed example is PyTorch's graph, Mean → Mul → Mul → Sub → AccumulateGrad(x), with y, z, a", () => {
  let x!: torch.Tensor;
  const trace = traceOf(
    (name) => {
      x = name(
        "x",
        torch.tensor(
          [
            [1, 2],
            [3, 4],
          ],
          { requiresGrad: true },
        ),
      );
      const y = name("y", x.sub(2));
      const z = name("z", y.mul(y).mul(3));
      return name("a", z.mean());
    },
    { backward: true },
  );
  const g = buildGraph(trace);
  assert.deepEqual(
    g.nodes.map((n) => `${n.kind}:${n.label}`),
    SEED_NODES,
  );
  assert.deepEqual(edgeList(g), [
    "AccumulateGrad → SubBackward0 [2, 2]",
    "MeanBackward0 → a []",
    "MulBackward0 → MulBackward0 [2, 2]",
    "MulBackward0 → z [2, 2]",
    "SubBackward0 → y [2, 2]",
    "x → AccumulateGrad [2, 2]",
    "y → MulBackward0 [2, 2]",
    "y → MulBackward0 [2, 2]",
    "z → MeanBackward0 [2, 2]",
  ]);
  assert.equal(g.root, node(g, "a").id);
  assert.equal(g.hasGradients, true);
  assert.deepEqual(node(g, "x").grad!.values, Array.from(x.grad!._values));
  assert.deepEqual(node(g, "x").grad!.values, [-1.5, 0, 1.5, 3]);
  assert.deepEqual(node(g, "y").grad!.values, [-1.5, 0, 1.5, 3]); // da/dy = 6y/4
  assert.deepEqual(node(g, "z").grad!.values, [0.25, 0.25, 0.25, 0.25]);
  assert.deepEqual(node(g, "a").value!.values, [4.5]);
  assert.deepEqual(node(g, "y").value, {
    shape: [2, 2],
    dtype: "float32",
    numel: 4,
    min: -1,
    max: 2,
    mean: 0.5,
    norm: Math.sqrt(6),
    values: [-1, 0, 1, 2],
    truncated: false,
  });
});

test("graph: without backward there are no gradient fields; after it, null where none reached", () => {
  const g0 = buildGraph(
    traceOf((name) =>
      name(
        "b",
        name("w", torch.ones(3, { requiresGrad: true }))
          .mul(2)
          .sum(),
      ),
    ),
  );
  assert.equal(g0.hasGradients, false);
  assert.ok(g0.nodes.every((n) => !("grad" in n)));

  const g1 = buildGraph(
    traceOf(
      (name) => {
        const w = name("w", torch.ones(3, { requiresGrad: true }));
        const unused = name("u", torch.ones(3, { requiresGrad: true }).mul(5).sum());
        void unused;
        return name("b", w.mul(2).sum());
      },
      { backward: true },
    ),
  );
  assert.equal(g1.hasGradients, true);
  assert.deepEqual(node(g1, "w").grad!.values, [2, 2, 2]);
  assert.equal(node(g1, "u").grad, null);
});

test("graph: a custom Function is a node named MyAddBackward, and a two-output one gives two outputs", () => {
  class MyAdd extends torch.autograd.Function {
    static override forward(_ctx: torch.autograd.Context, a: torch.Tensor, b: torch.Tensor) {
      return a.add(b);
    }
    static override backward(_ctx: torch.autograd.Context, g: torch.Tensor) {
      return [g, g];
    }
  }
  class MySplit extends torch.autograd.Function {
    static override forward(_ctx: torch.autograd.Context, x: torch.Tensor) {
      return [x.clone(), x.clone()];
    }
    static override backward(_ctx: torch.autograd.Context, g1: torch.Tensor, g2: torch.Tensor) {
      return g1.add(g2);
    }
  }
  const g = buildGraph(
    traceOf((name) => {
      const a = name("a", torch.tensor([1, 2, 3], { requiresGrad: true }));
      const b = name("b", torch.tensor([4, 5, 6], { requiresGrad: true }));
      const y = name("y", MyAdd.apply(a, b));
      const [y1, y2] = name(["y1", "y2"] as never, MySplit.apply(y) as torch.Tensor[]);
      return name("s", y1.mul(y2).sum());
    }),
  );
  assert.deepEqual(edgeList(g), [
    "AccumulateGrad → MyAddBackward [3]",
    "AccumulateGrad → MyAddBackward [3]",
    "MulBackward0 → SumBackward0 [3]",
    "MyAddBackward → y [3]",
    "MySplitBackward → y1 [3]",
    "MySplitBackward → y2 [3]",
    "SumBackward0 → s []",
    "a → AccumulateGrad [3]",
    "b → AccumulateGrad [3]",
    "y → MySplitBackward [3]",
    "y1 → MulBackward0 [3]",
    "y2 → MulBackward0 [3]",
  ]);
});

test("graph: modules are compound nodes with parameters labelled by the module's name and path", () => {
  class Net extends nn.Module {
    fc1 = new nn.Linear(4, 3);
    fc2 = new nn.Linear(3, 2);
    forward(x: torch.Tensor) {
      return this.fc2.forward(this.fc1.forward(x).relu());
    }
  }
  torch.manualSeed(0);
  const g = buildGraph(
    traceOf(
      (name) => {
        const net = name("net", new Net());
        const input = name("input", torch.randn(5, 4));
        return name("loss", net.forward(input).sum());
      },
      { backward: true },
    ),
  );
  const nodes = byId(g);
  const parentLabel = (label: string): string | undefined => {
    const p = node(g, label).parent;
    return p === undefined ? undefined : nodes.get(p)!.label;
  };
  assert.equal(parentLabel("fc1 (Linear)"), "net (Net)");
  assert.equal(parentLabel("fc2 (Linear)"), "net (Net)");
  assert.equal(parentLabel("net (Net)"), undefined);
  assert.equal(parentLabel("ReluBackward0"), "net (Net)");
  assert.equal(parentLabel("net.fc1.weight"), "fc1 (Linear)");
  assert.equal(node(g, "net.fc1.weight").kind, "param");
  assert.equal(parentLabel("input"), undefined);
  assert.equal(node(g, "input").kind, "constant");
  assert.equal(parentLabel("loss"), undefined);
  assert.deepEqual(
    g.nodes
      .filter((n) => n.parent === node(g, "fc1 (Linear)").id)
      .map((n) => n.label)
      .sort(),
    [
      "AccumulateGrad",
      "AccumulateGrad",
      "AddmmBackward0",
      "TBackward0",
      "net.fc1.bias",
      "net.fc1.weight",
    ],
  );
  assert.ok(node(g, "net.fc1.weight").grad, "parameters carry their gradient");
});

test("graph: structurally identical blocks share a foldKey; different shapes do not", () => {
  const g = buildGraph(
    traceOf((name) => {
      const a = name("a", new nn.Linear(3, 3));
      const b = name("b", new nn.Linear(3, 3));
      const c = name("c", new nn.Linear(3, 2));
      const x = torch.randn(2, 3, { requiresGrad: true });
      return c.forward(b.forward(a.forward(x))).sum();
    }),
  );
  const key = (l: string): string | undefined => node(g, l).foldKey;
  assert.ok(key("a (Linear)"));
  assert.equal(key("a (Linear)"), key("b (Linear)"));
  assert.notEqual(key("a (Linear)"), key("c (Linear)"));
});

test("graph: a training loop shows only its latest iteration", () => {
  const trace = traceOf((name) => {
    const w = name("w", torch.tensor([1, 2], { requiresGrad: true }));
    let last: torch.Tensor | null = null;
    for (let i = 0; i < 5; i++) {
      const loss = name("loss", w.mul(w).sum());
      loss.backward();
      torch.noGrad(() => w.sub_(w.grad!.mul(0.1)));
      w.grad!.zero_();
      last = loss;
    }
    return last;
  });
  const g = buildGraph(trace);
  assert.deepEqual(
    g.nodes.map((n) => n.label),
    ["w", "AccumulateGrad", "MulBackward0", "SumBackward0", "loss"],
  );
  assert.equal(g.root, node(g, "loss").id);
});

test("graph: the op that threw is marked failed, wired to its inputs", () => {
  const g = buildGraph(
    traceOf((name) => {
      const x = name("x", torch.ones(2, 3, { requiresGrad: true }));
      const y = name("y", x.mul(2));
      const b = name("b", torch.ones(4));
      return y.add(b); // [2, 3] + [4] does not broadcast
    }),
  );
  const failed = g.nodes.filter((n) => n.failed);
  assert.equal(failed.length, 1);
  assert.equal(failed[0].label, "AddBackward0");
  assert.deepEqual(edgeList(g), [
    "AccumulateGrad → MulBackward0 [2, 3]",
    "MulBackward0 → y [2, 3]",
    "b → AddBackward0 [4]",
    "x → AccumulateGrad [2, 3]",
    "y → AddBackward0 [2, 3]",
  ]);
});

test("graph: module nodes carry their layer's settings as Netron shows them, and their output shape", () => {
  const g = buildGraph(
    traceOf((name) => {
      const conv = name("conv", new nn.Conv2d(1, 6, 5, { padding: 2 }));
      const strided = name("strided", new nn.Conv2d(6, 4, [3, 5], { stride: 2 }));
      const pool = name("pool", new nn.MaxPool2d(2));
      const avg = name("avg", new nn.AvgPool2d(3, { stride: 1 }));
      const fc = name("fc", new nn.Linear(4 * 4 * 4, 10));
      const act = name("act", new nn.Sigmoid());
      const x = torch.randn(1, 1, 28, 28);
      const y = avg.forward(pool.forward(strided.forward(conv.forward(x))));
      return act.forward(fc.forward(y.reshape([1, -1]))).sum();
    }),
  );
  const settings = (label: string): [string | undefined, number[] | undefined] => [
    node(g, label).layer,
    node(g, label).shape,
  ];
  assert.deepEqual(settings("conv (Conv2d)"), ["Conv2d 1→6 k5 p2", [1, 6, 28, 28]]);
  assert.deepEqual(settings("strided (Conv2d)"), ["Conv2d 6→4 k3×5 s2", [1, 4, 13, 12]]);
  assert.deepEqual(settings("pool (MaxPool2d)"), ["MaxPool2d 2", [1, 4, 6, 6]]);
  assert.deepEqual(settings("avg (AvgPool2d)"), ["AvgPool2d 3 s1", [1, 4, 4, 4]]);
  assert.deepEqual(settings("fc (Linear)"), ["Linear 64→10", [1, 10]]);
  assert.deepEqual(settings("act (Sigmoid)"), ["Sigmoid", [1, 10]]);
});

test("graph: a parameter two forward passes used sits in the latest pass's module call", () => {
  const g = buildGraph(
    traceOf((name) => {
      const fc = name("fc", new nn.Linear(3, 2));
      // Two batch sizes, so that the passes are not taken for iterations of one loop.
      name("first", fc.forward(torch.randn(4, 3)).sum());
      return name("loss", fc.forward(torch.randn(5, 3)).sum());
    }),
  );
  const calls = g.nodes.filter((n) => n.label === "fc (Linear)");
  assert.equal(calls.length, 2);
  const inside = (id: string) =>
    g.nodes
      .filter((n) => n.parent === id)
      .map((n) => n.label)
      .sort();
  assert.deepEqual(inside(calls[0].id), ["AddmmBackward0", "TBackward0"]);
  assert.deepEqual(inside(calls[1].id), [
    "AccumulateGrad",
    "AccumulateGrad",
    "AddmmBackward0",
    "TBackward0",
    "fc.bias",
    "fc.weight",
  ]);
});

test("graph: no engine-internal stand-in for a failure floats on the page", () => {
  const trace = traceOf((name) => name("loss", torch.ones(2, { requiresGrad: true }).sum()));
  const standIn = (name: string, inputs: torch.Tensor[]): TracedOp => ({
    index: -1,
    name,
    node: null,
    inputs,
    outputs: [],
    attrs: undefined,
    module: null,
    failed: true,
  });
  const drawn = (op: TracedOp) =>
    buildGraph({ ...trace, ops: [...trace.ops, op] })
      .nodes.filter((n) => n.failed)
      .map((n) => n.label);
  assert.deepEqual(drawn(standIn("get savedScalar", [])), [], "an accessor of the engine");
  assert.deepEqual(drawn(standIn("convolution", [])), [], "nothing to place it by");
  assert.deepEqual(drawn(standIn("convolution", [torch.ones(1, 1, 4, 4)])), ["convolution"]);
});
