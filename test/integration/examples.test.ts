// The repo's examples/ opened in a real VS Code as a new user would: each runs, logs what it
// should, shows its sizes as inlay hints and draws a readable graph (layer boxes, gradients);
// a front end's file (gradlens/tf) draws its tape's graph and Run Backward fills in its gradients.
import * as assert from "assert";
import * as path from "path";
import * as vscode from "vscode";
import {
  activate,
  inlayHints,
  labelOf,
  nextRendered,
  nextResult,
  openFixture,
  renderedSeq,
  requireTrust,
  waitFor,
} from "./helpers";
import type { RunResult } from "../../extension/runProtocol/types";

async function openExample(name: string): Promise<vscode.TextEditor> {
  const file = path.resolve(__dirname, "../../../examples", name);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
}

describe("examples", function () {
  this.timeout(60_000);
  before(async function () {
    requireTrust(this);
    await activate();
  });

  it("training_loop.ts trains with a scheduler and clipping, and draws the last epoch's graph", async () => {
    const editor = await openExample("training_loop.ts");
    const before = await renderedSeq();
    await vscode.commands.executeCommand("gradlens.showGraph");
    const result = await nextResult(
      editor.document.uri,
      undefined,
      (r) => r.graph.nodes.length > 0,
    );
    assert.ok(result.ok, result.error?.message);
    const last = result.logs.find((l) => l.startsWith("epoch 40:"));
    assert.ok(last?.endsWith("next lr 0.00125"), result.logs.join("\n"));
    assert.deepStrictEqual(result.roots, ["loss"]);
    const modules = result.graph.nodes.filter((n) => n.kind === "module").map((n) => n.label);
    assert.deepStrictEqual(modules, [
      "net (Sequential)", "net.0 (Linear)", "net.1 (ReLU)", "net.2 (Linear)", "net.3 (ReLU)",
      "net.4 (Linear)", "lossFn (CrossEntropyLoss)",
    ]); // prettier-ignore
    // the file ran backward itself: its gradients are drawn at once (the page draws the root's
    // graph at layer level, so fewer nodes than the run recorded)
    const rendered = await nextRendered(before, (r) => r.visible && r.nodes > 0 && r.gradients > 0);
    assert.ok(rendered.nodes <= result.graph.nodes.length && rendered.edges > 0);
  });

  it("examples/resnet_block.ts runs, shows the pooled size and draws its blocks as module boxes", async () => {
    const editor = await openExample("resnet_block.ts");
    const doc = editor.document;
    const before = await renderedSeq();
    await vscode.commands.executeCommand("gradlens.showGraph", doc.uri);
    const result = await nextResult(doc.uri, undefined, (r) => r.graph.nodes.length > 0);
    assert.ok(result.ok, result.error?.message);
    const boxes = result.graph.nodes.filter((n) => n.kind === "module").map((n) => n.label);
    for (const box of ["block1 (BasicBlock)", "block2 (BasicBlock)", "shortcut (Sequential)"])
      assert.ok(boxes.includes(box), `module box ${box} in [${boxes.join(", ")}]`);
    const rendered = await nextRendered(before, (r) => r.visible && r.nodes > 0);
    assert.ok(rendered.nodes <= result.graph.nodes.length && rendered.edges > 0);
    const hints = await waitFor("the adaptive pooling's size hint", async () => {
      const labels = (await inlayHints(doc)).map(labelOf);
      return labels.includes("→ [2, 32, 1, 1]") ? labels : undefined;
    });
    assert.ok(
      hints.includes("→ [2, 32, 8, 8]"),
      `the second block's size in [${hints.join(" | ")}]`,
    );
  });
});

describe("front ends", function () {
  this.timeout(60_000);
  before(async function () {
    requireTrust(this);
    await activate();
  });

  it("a TensorFlow-style file draws the tape's graph in TF's names; Run Backward gives x 4x", async () => {
    const editor = await openFixture("tf_tape.ts");
    const before = await renderedSeq();
    const result = await vscode.commands.executeCommand<RunResult | undefined>(
      "gradlens.runBackward",
      { uri: editor.document.uri, root: "y" },
    );
    assert.ok(result?.ok, result?.error?.message);
    const ops = result.graph.nodes.filter((n) => n.kind === "op").map((n) => n.label);
    assert.deepStrictEqual(ops.sort(), ["AccumulateGrad", "MatMul", "Mul", "Reshape", "Reshape", "Reshape"]);
    const x = result.graph.nodes.find((n) => n.kind === "leaf" && n.label === "x");
    assert.deepStrictEqual(x?.grad?.values, [0, 4, 8, 12]);
    const rendered = await nextRendered(before, (r) => r.visible && r.gradients > 0);
    assert.strictEqual(rendered.graphNodes, result.graph.nodes.length);
  });
});
