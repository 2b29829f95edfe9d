// Smoke tests: the instance is real, our extension loads in it, and the harness can see it.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import { requestScreenshot, screenshotDir } from "./screenshot";

const EXTENSION_ID = "gradlens.gradlens";

interface ContributedCommand {
  command: string;
}

function gradlens(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(
    ext,
    `extension ${EXTENSION_ID} is not loaded (is extensionDevelopmentPath the repo root?)`,
  );
  return ext;
}

describe("smoke", () => {
  it("runs inside a real VS Code", () => {
    console.log(`[gradlens]     vscode.version = ${vscode.version}`);
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it("the Gradlens extension is present and activates", async () => {
    const ext = gradlens();
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it("every command package.json contributes is registered", async () => {
    const ext = gradlens();
    await ext.activate();
    // Read the manifest from disk, not a copy in this test, so the test stays truthful.
    const manifest = JSON.parse(
      fs.readFileSync(path.join(ext.extensionPath, "package.json"), "utf8"),
    );
    const contributed: string[] = (
      (manifest.contributes?.commands ?? []) as ContributedCommand[]
    ).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    console.log(`[gradlens]     contributed commands: ${contributed.join(", ") || "(none yet)"}`);
    if (contributed.includes("gradlens.showGraph")) assert.ok(registered.has("gradlens.showGraph"));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(", ")}`);
  });

  it("takes a workbench screenshot (workbench.png)", async function (this: Mocha.Context) {
    const dir = screenshotDir();
    if (!dir) this.skip(); // no harness to take it (e.g. @vscode/test-electron)
    // Show the fixture model so the picture has an editor in it, not just an empty window.
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, "no workspace folder is open");
    const model = vscode.Uri.joinPath(folder.uri, "model.ts");
    await vscode.window.showTextDocument(model, { preview: false });
    assert.strictEqual(await requestScreenshot("workbench"), true);
    assert.ok(fs.existsSync(path.join(dir, "workbench.png")));
  });
});
