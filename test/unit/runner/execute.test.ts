/** A run of a model file, in-process: graph, names, locations, errors, imports and the sandbox. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as torch from "../../../engine";
import { at, MODELS, model, nodeLabelled, runHere, runSource, SEED_NODES } from "./fixtures";

test("run: the seed file gives PyTorch's graph with y, z, a and the engine's gradients", async () => {
  const r = await runHere("seed", { backward: {} });
  assert.equal(r.ok, true);
  assert.deepEqual(r.logs, ["4.5"]);
  const g = r.graph;
  assert.deepEqual(
    g.nodes.map((n) => `${n.kind}:${n.label}`),
    SEED_NODES,
  );
  assert.equal(g.edges.length, 9);
  assert.equal(g.root, nodeLabelled(g, "a").id);
  assert.deepEqual(r.roots, ["a"]);
  // the same computation, straight on the engine
  const x = torch.tensor(
    [
      [1, 2],
      [3, 4],
    ],
    { requiresGrad: true },
  );
  const y = x.sub(2);
  y.retainGrad();
  y.mul(y).mul(3).mean().backward();
  assert.deepEqual(Array.from(nodeLabelled(g, "x").grad!.values!), Array.from(x.grad!._values));
  assert.deepEqual(Array.from(nodeLabelled(g, "y").grad!.values!), Array.from(y.grad!._values));
  assert.deepEqual(Array.from(nodeLabelled(g, "y").value!.values!), Array.from(y._values));
});

test("run: ops carry the .ts line and column of their call, through the source map", async () => {
  const r = await runHere("seed");
  const ops = r.graph.nodes.filter((n) => n.kind === "op" && n.label !== "AccumulateGrad");
  assert.deepEqual(
    ops.map((n) => `${n.label}@${at(n.location)}`),
    ["SubBackward0@5:13", "MulBackward0@6:13", "MulBackward0@6:20", "MeanBackward0@7:13"],
  );
  assert.equal(at(nodeLabelled(r.graph, "x").location), "4:7");
  assert.equal(
    at(nodeLabelled(r.graph, "y").location),
    "5:7",
    "a named tensor points at its declaration",
  );
  // interfaces, type aliases and annotations vanish in the JavaScript: lines must still match
  const typed = await runHere("typed");
  const lines = typed.graph.nodes
    .filter((n) => n.kind === "op" && n.location)
    .map((n) => `${n.label}@${at(n.location)}`);
  assert.deepEqual(lines, ["MulBackward0@18:34", "AddBackward0@19:17", "SumBackward0@23:37"]);
  assert.equal(
    typed.graph.nodes.find((n) => n.location)!.location!.file,
    path.join(MODELS, "typed.ts"),
  );
});

test("run: relative imports of .ts files are transpiled and located in their own file", async () => {
  const r = await runHere("importer", { backward: {} });
  assert.equal(r.ok, true, r.error?.message);
  const mul = nodeLabelled(r.graph, "MulBackward0");
  assert.equal(mul.location!.file, path.join(MODELS, "lib", "layers.ts"));
  assert.equal(at(mul.location), "5:12");
  assert.deepEqual(Array.from(nodeLabelled(r.graph, "x").grad!.values!), [2, 2, 2]);
  assert.equal(r.graph.root, nodeLabelled(r.graph, "loss").id);
});

test("run: fs and child_process are refused with a clear error at the import", async () => {
  const marker = "/tmp/gradlens-should-not-exist";
  fs.rmSync(marker, { force: true });
  for (const name of ["usesFs", "usesChildProcess"]) {
    const r = await runHere(name);
    assert.equal(r.ok, false);
    assert.equal(r.error!.kind, "runtime");
    assert.match(
      r.error!.message,
      /^Gradlens does not load "(fs|node:child_process)" in model files/,
    );
    assert.equal(at(r.error!.location), "2:1");
  }
  assert.equal(fs.existsSync(marker), false);
});

test("run: a syntax error gives TypeScript's message and its line, and nothing runs", async () => {
  const r = await runSource(
    'import * as torch from "gradlens";\nconst x = torch.ones(3);\nconst y = x.mul(2;\nconsole.log(y);\n',
  );
  assert.equal(r.ok, false);
  assert.equal(r.error!.kind, "syntax");
  assert.equal(r.error!.message, "')' expected.");
  assert.equal(at(r.error!.location), "3:18");
  assert.deepEqual(r.logs, []);
});

test("run: a thrown error has the line of the throw; the graph up to it stays", async () => {
  const r = await runHere("throws");
  assert.equal(r.error!.kind, "runtime");
  assert.equal(r.error!.message, "too many elements");
  assert.equal(at(r.error!.location), "6:11");
  assert.deepEqual(
    r.graph.nodes.map((n) => n.label),
    ["x", "AccumulateGrad", "MulBackward0", "y"],
  );
  assert.ok(
    r.graph.nodes.every((n) => !n.failed),
    "the user's own throw is not an op failure",
  );
});

test("run: a Linear mismatch names the layer, its attribute and both shapes, at the failing call", async () => {
  const r = await runHere("linearMismatch");
  assert.equal(r.error!.message, "mat1 and mat2 shapes cannot be multiplied (1x1000 and 600x60)");
  assert.equal(
    r.error!.explanation,
    "Linear(600 → 60) in `fc1` expects 600 input features; x has shape [1, 1000]",
  );
  assert.equal(at(r.error!.location), "10:24");
  const failed = r.graph.nodes.filter((n) => n.failed);
  assert.equal(failed.length, 1);
  assert.equal(r.graph.nodes.find((n) => n.id === failed[0].parent)!.label, "fc1 (Linear)");
  const into = r.graph.edges
    .filter((e) => e.target === failed[0].id)
    .map((e) => e.label)
    .sort();
  assert.deepEqual(into, ["[1, 1000]", "[600, 60]", "[60]"]); // addmm(bias, x, weightᵀ)
  assert.equal(failed[0].label, "AddmmBackward0", "the check failed inside PyTorch's op");
});

test("run: a conv channel mismatch and a broadcast error are explained at their lines", async () => {
  const conv = await runHere("convMismatch");
  assert.equal(
    conv.error!.explanation,
    "Conv2d(3→16, k=3) in `conv1` expects 3 input channels; image has shape [1, 1, 32, 32]",
  );
  assert.equal(at(conv.error!.location), "7:24");
  const failedConv = conv.graph.nodes.find((n) => n.failed)!;
  const convInputs = conv.graph.edges.filter((e) => e.target === failedConv.id).map((e) => e.label);
  assert.deepEqual(
    convInputs.sort(),
    ["[1, 1, 32, 32]", "[16, 3, 3, 3]", "[16]"],
    "the image, the layer's weight and its bias (ConvolutionBackward0's three inputs)",
  );
  const b = await runHere("broadcast");
  assert.equal(
    b.error!.message,
    "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
  );
  assert.equal(at(b.error!.location), "7:15");
  assert.match(
    b.error!.explanation!,
    /^add: y has shape \[2, 3\] and bias has shape \[4\], which do not broadcast/,
  );
  assert.equal(nodeLabelled(b.graph, "AddBackward0").failed, true);
});

test("run: a view that cannot fit names the tensor, its shape and the element count", async () => {
  const r = await runHere("viewMismatch");
  assert.equal(r.error!.message, "shape '[-1, 400]' is invalid for input of size 2304");
  assert.equal(at(r.error!.location), "7:23");
  assert.equal(
    r.error!.explanation,
    "view: features (shape [1, 16, 12, 12]) has 2304 elements, which cannot be arranged as [-1, 400]: 2304 is not a multiple of 400",
  );
  const failed = nodeLabelled(r.graph, "view");
  assert.equal(failed.failed, true);
  const into = r.graph.edges.filter((e) => e.target === failed.id);
  assert.deepEqual(
    into.map((e) => r.graph.nodes.find((n) => n.id === e.source)!.label),
    ["features"],
  );
});

test("run: a custom Function is a node, with the gradients of the file's own backward", async () => {
  const r = await runHere("customFunction");
  assert.equal(r.ok, true);
  assert.equal(r.graph.hasGradients, true);
  const fn = nodeLabelled(r.graph, "MyAddBackward");
  assert.equal(at(fn.location), "17:17");
  assert.deepEqual(Array.from(nodeLabelled(r.graph, "a").grad!.values!), [0.5, 1, 2]);
  assert.deepEqual(Array.from(nodeLabelled(r.graph, "b").grad!.values!), [0.5, 1, 2]);
});

test("run: LeNet's modules become compound nodes named from the source, with parameters inside", async () => {
  const r = await runHere("lenet", { backward: {} });
  assert.equal(r.ok, true, r.error?.message);
  const g = r.graph;
  const modules = g.nodes.filter((n) => n.kind === "module").map((n) => n.label);
  assert.deepEqual(modules, [
    "net (LeNet)",
    "conv1 (Conv2d)",
    "pool (MaxPool2d)",
    "conv2 (Conv2d)",
    "pool (MaxPool2d)",
    "fc1 (Linear)",
    "fc2 (Linear)",
    "fc3 (Linear)",
  ]);
  const net = nodeLabelled(g, "net (LeNet)");
  assert.equal(at(net.location), "25:13", "a module node points at its construction");
  assert.equal(at(nodeLabelled(g, "conv1 (Conv2d)").location), "7:11");
  assert.ok(
    g.nodes.filter((n) => n.kind === "module" && n !== net).every((n) => n.parent === net.id),
  );
  const w = nodeLabelled(g, "net.conv1.weight");
  assert.equal(w.kind, "param");
  assert.equal(w.parent, nodeLabelled(g, "conv1 (Conv2d)").id);
  assert.deepEqual(w.grad!.shape, [6, 1, 5, 5]);
  assert.equal(at(w.location), "7:11", "a parameter's source is its layer's construction");
  assert.equal(g.root, nodeLabelled(g, "loss").id);
  const pools = g.nodes.filter((n) => n.label === "pool (MaxPool2d)");
  assert.notEqual(pools[0].foldKey, pools[1].foldKey, "the two pool calls see different shapes");
  const conv1 = g.edges.find((e) => e.source === nodeLabelled(g, "input").id)!;
  assert.equal(conv1.label, "[1, 1, 32, 32]");
});

test("run: backward from the picked root, the exported loss, or the last scalar output", async () => {
  const last = await runHere("roots", { backward: {} });
  assert.deepEqual(last.roots, ["first", "second"]);
  assert.equal(last.graph.root, nodeLabelled(last.graph, "second").id);
  assert.deepEqual(Array.from(nodeLabelled(last.graph, "w").grad!.values!), [2, 4, 6]); // d Σw² / dw

  const picked = await runHere("roots", { backward: { root: "first" } });
  assert.deepEqual(Array.from(nodeLabelled(picked.graph, "w").grad!.values!), [2, 2, 2]);
  assert.equal(nodeLabelled(picked.graph, "second").grad, null);

  const vector = await runHere("roots", { backward: { root: "vector" } }); // ones as its gradient
  assert.deepEqual(Array.from(nodeLabelled(vector.graph, "w").grad!.values!), [3, 3, 3]);

  const missing = await runHere("roots", { backward: { root: "nope" } });
  assert.equal(
    missing.error!.message,
    "Gradlens found no tensor named `nope` to run backward from",
  );

  const exported = await runHere("lenet", { backward: {} });
  assert.ok(nodeLabelled(exported.graph, "loss").grad);
  const off = await runHere("roots");
  assert.equal(off.graph.hasGradients, false);
  // Run Backward asks nothing when the file exports its root; it offers the outputs otherwise.
  assert.equal(exported.exportedRoot, "loss");
  assert.equal(off.exportedRoot, undefined);
  const byDefault = await runSource(
    'import * as torch from "gradlens";\n' +
      "const w = torch.ones(2, { requiresGrad: true });\n" +
      "export const other = w.sum();\n" +
      "export default w.mul(2).sum();\n",
  );
  assert.equal(byDefault.exportedRoot, "default");
});

test("run: with nothing requiring grad the forward ops are drawn, and backward is explained", async () => {
  const r = await runHere("noGradRoot");
  assert.equal(r.ok, true);
  const g = r.graph;
  assert.deepEqual(
    g.nodes.map((n) => `${n.kind}:${n.label}`),
    ["op:MulBackward0", "op:SumBackward0", "constant:x", "tensor:loss"],
  );
  assert.equal(g.edges.length, 3);
  assert.equal(g.hasGradients, false);
  const b = await runHere("noGradRoot", { backward: {} });
  assert.equal(
    b.error!.message,
    "element 0 of tensors does not require grad and does not have a grad_fn",
  );
  assert.equal(at(b.error!.location), "5:14");
  assert.equal(
    b.error!.explanation,
    "`loss` does not depend on any tensor with requiresGrad: true, so backward has nothing to compute",
  );
});

test("hints: conv, transposed conv and pool sizes at the user's call, even when the file fails later", async () => {
  const r = await runHere("convHints");
  assert.equal(r.ok, false);
  assert.equal(at(r.error!.location), "15:8");
  const hints = r.shapeHints.map(
    (h) =>
      `${at(h.location)} ${h.op} [${h.inputShape}] → [${h.outputShape}]` +
      (h.viaContainer ? ` (member made at ${at(h.layerLocation)})` : ""),
  );
  assert.deepEqual(hints, [
    "8:16 conv2d [1,20,64,128] → [1,16,32,63]",
    "10:13 conv2d [1,16,32,63] → [1,8,30,61]",
    "12:15 conv1d [1,2,10] → [1,4,8] (member made at 11:31)",
    "12:15 convTranspose1d [1,4,8] → [1,2,16] (member made at 11:70)",
    "12:15 Sequential [1,2,10] → [1,2,16]",
    "13:13 maxPool2d [1,8,30,61] → [1,8,15,30]",
  ]);
  assert.equal(at(r.shapeHints[0].layerLocation), "6:14", "a layer called by the user: known too");
  assert.equal(r.shapeHints[1].layerLocation, undefined, "a functional call has no layer");
  assert.equal(
    r.shapeHints[4].formula,
    "[0] conv1d: [1, 2, 10] → [1, 4, 8]\n[2] convTranspose1d: [1, 4, 8] → [1, 2, 16]",
  );
  assert.equal(
    r.shapeHints[0].formula,
    "H: ⌊(64 + 2·1 − 1·(3 − 1) − 1)/2⌋ + 1 = 32; W: ⌊(128 + 2·1 − 1·(5 − 1) − 1)/2⌋ + 1 = 63",
  );
  assert.equal(r.shapeHints[0].documentation, torch.shapes.CONV_DOC);
  assert.equal(r.shapeHints[3].formula, "(8 − 1)·2 − 2·0 + 1·(2 − 1) + 0 + 1 = 16");
  const layers = r.layerHints.map((h) => `${at(h.location)} ${h.description}: ${h.formula}`);
  assert.deepEqual(layers, [
    "6:14 Conv2d(20→16, k=[3, 5], s=2, p=1): H×W → ⌊(H + 1)/2⌋×⌊(W − 1)/2⌋",
    "11:31 Conv1d(2→4, k=3): L → L − 2",
    "11:70 ConvTranspose1d(4→2, k=2, s=2): L → 2·L",
    "14:16 Conv2d(3→4, k=3): H×W → (H − 2)×(W − 2)",
  ]);
});

test("hints: inside a module's forward they sit at the layer's call in that forward", async () => {
  const r = await runHere("lenet");
  assert.deepEqual(
    r.shapeHints.map((h) => `${at(h.location)} ${h.op} → [${h.outputShape}]`),
    [
      "15:45 conv2d → [1,6,28,28]",
      "15:19 maxPool2d → [1,6,14,14]",
      "16:45 conv2d → [1,16,10,10]",
      "16:19 maxPool2d → [1,16,5,5]",
      "17:11 reshape → [1,400]",
      "18:25 linear → [1,120]",
      "19:25 linear → [1,84]",
      "20:21 linear → [1,10]",
    ],
  );
  assert.deepEqual(
    r.layerHints.map((h) => `${at(h.location)} ${h.formula}`),
    ["7:11 H×W → (H − 4)×(W − 4)", "8:10 H×W → ⌊H/2⌋×⌊W/2⌋", "9:11 H×W → (H − 4)×(W − 4)"],
  );
  assert.deepEqual(model("lenet").source.split("\n")[14].slice(44, 51), "forward");
});

test("run: a run longer than the trace keeps says how many of its earliest ops the graph leaves out", async () => {
  const r = await runSource(
    'import * as torch from "gradlens";\nlet x = torch.ones(2, { requiresGrad: true });\nfor (let i = 0; i < 22000; i++) x = x.add(1);\nexport const loss = x.sum();\n',
  );
  assert.equal(r.ok, true, r.error?.message);
  assert.ok((r.graph.droppedOps ?? 0) >= 2000, `droppedOps ${r.graph.droppedOps}`);
  const short = await runHere("seed");
  assert.equal(short.graph.droppedOps, undefined);
});

test("run: tensors no variable holds are named after the expression that made them", async () => {
  const r = await runSource(
    [
      'import * as torch from "gradlens";',
      "const fc1 = new torch.nn.Linear(6, 2);",
      "const h = fc1.forward(torch.randn(1, 6));",
      "const leafy = torch.ones(2, 3, { requiresGrad: true }).mul(2);",
      "h.sum().add(leafy.sum()).view(-1);",
    ].join("\n"),
  );
  assert.equal(r.ok, true, r.error?.message);
  const labels = r.graph.nodes.filter((n) => n.kind !== "op" && n.kind !== "module");
  assert.deepEqual(labels.map((n) => `${n.kind}:${n.label}`).sort(), [
    "constant:torch.randn(1, 6)",
    "leaf:torch.ones(2, 3, { requiresGrad: true })",
    "param:fc1.bias",
    "param:fc1.weight",
    "tensor:h",
    "tensor:h.sum().add(leafy.sum()).view(-1)",
    "tensor:leafy",
  ]);
});
