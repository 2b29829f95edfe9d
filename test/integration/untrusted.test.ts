// Runs only in a workspace VS Code opened untrusted (run-suite.mjs --untrusted): the extension
// activates in restricted mode, runs nothing and says why. In a trusted run it is skipped.
import * as assert from "assert";
import * as vscode from "vscode";
import { activate, lastRendered, lastResult, openFixture, sleep, waitFor } from "./helpers";
import { requestScreenshot } from "./screenshot";

describe("untrusted workspace", function () {
  before(async function () {
    if (vscode.workspace.isTrusted) this.skip();
    await activate();
  });

  it("opening a model and asking for its graph runs nothing", async () => {
    const editor = await openFixture("untrusted_probe.ts");
    const uri = editor.document.uri;
    await vscode.commands.executeCommand("gradlens.showGraph", uri);
    await vscode.commands.executeCommand("gradlens.runBackward", { uri, root: "loss" });
    await sleep(2000);
    assert.strictEqual(await lastResult(uri), undefined, "the model ran in an untrusted workspace");
    assert.deepStrictEqual(
      vscode.languages.getDiagnostics(uri).filter((d) => d.source === "gradlens"),
      [],
    );
    const status = await vscode.commands.executeCommand<string>("gradlens._test.statusText");
    assert.match(status, /not run/);
    // The panel is open and says why (and how to trust the folder): see the picture.
    await waitFor("the graph page to load", async () => (await lastRendered())?.ready);
    await sleep(500);
    await requestScreenshot("vscode-untrusted-panel");
  });
});
