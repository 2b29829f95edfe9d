// The ten tutorial models of examples/tutorials/ (issue 17) opened in a real VS Code as a new
// user would: each runs without an error, prints its values, and the panel draws its graph with
// the gradients the file's own backward computed, without a click. (Their numbers are held to
// PyTorch 1.13's in the unit tier: test/unit/runner/tutorials.test.ts.)
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import { activate, nextRendered, nextResult, renderedSeq, requireTrust } from "./helpers";

const TUTORIALS = path.resolve(__dirname, "../../../examples/tutorials");

describe("tutorial models", function () {
  this.timeout(60_000);
  before(async function () {
    requireTrust(this);
    await activate();
  });

  const files = fs.readdirSync(TUTORIALS).filter((f) => f.endsWith(".ts"));
  it("there are the ten tutorials of issue 17", () => assert.strictEqual(files.length, 10));

  for (const name of files) {
    it(`${name} runs and its graph is drawn with gradients`, async () => {
      const before = await renderedSeq();
      const doc = await vscode.workspace.openTextDocument(
        vscode.Uri.file(path.join(TUTORIALS, name)),
      );
      await vscode.window.showTextDocument(doc, { preview: false });
      await vscode.commands.executeCommand("gradlens.showGraph", doc.uri);
      const result = await nextResult(doc.uri, undefined, (r) => r.graph.nodes.length > 0);
      assert.ok(result.ok, result.error?.message);
      assert.ok(result.logs.length > 0, "it prints its values");
      assert.ok(result.graph.hasGradients, "the file's backward filled in gradients");
      const rendered = await nextRendered(
        before,
        (r) => r.visible && r.graphNodes === result.graph.nodes.length,
      );
      assert.ok(rendered.nodes > 0 && rendered.gradients > 0, JSON.stringify(rendered));
    });
  }
});
