// The examples a new user opens, in a real VS Code: each runs, shows its sizes as inlay hints
// and draws its graph with its module boxes.
import * as assert from "assert";
import * as path from "path";
import * as vscode from "vscode";
import {
  activate,
  inlayHints,
  labelOf,
  nextRendered,
  nextResult,
  renderedSeq,
  requireTrust,
  waitFor,
} from "./helpers";

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
    const rendered = await nextRendered(
      before,
      (r) => r.visible && r.nodes === result.graph.nodes.length,
    );
    assert.strictEqual(rendered.edges, result.graph.edges.length);
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
