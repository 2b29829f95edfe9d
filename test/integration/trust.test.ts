// Workspace Trust. The main run opens a trusted workspace, so these tests play an untrusted one
// through the extension's trust gate (the one place every part asks); untrusted.test.ts checks
// the same in a workspace VS Code itself does not trust (run-suite.mjs --untrusted).
import * as assert from "assert";
import * as vscode from "vscode";
import { activate, lastResult, nextResult, openFixture, requireTrust, sleep } from "./helpers";

const setTrusted = (trusted?: boolean) =>
  vscode.commands.executeCommand("gradlens._test.setTrusted", trusted);

describe("workspace trust (through the trust gate)", function () {
  before(async function () {
    requireTrust(this);
    await activate();
  });
  afterEach(() => setTrusted(undefined));

  it("while untrusted nothing runs, and granting trust runs the file", async () => {
    await setTrusted(false);
    const editor = await openFixture("untrusted_probe.ts");
    const uri = editor.document.uri;
    await vscode.commands.executeCommand("gradlens.showGraph", uri);
    await vscode.commands.executeCommand("gradlens.runBackward", { uri, root: "loss" });
    await sleep(1500); // longer than a run of this file takes
    assert.strictEqual(await lastResult(uri), undefined, "the model ran in an untrusted workspace");
    const status = await vscode.commands.executeCommand<string>("gradlens._test.statusText");
    assert.match(status, /not run/);
    await setTrusted(true);
    const result = await nextResult(uri);
    assert.ok(result.ok, result.error?.message);
  });
});
