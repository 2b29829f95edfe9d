// "Set Up Workspace Types": a model file's `import ... from "gradlens"` resolves to the engine's
// declarations with no npm install, in the editor's own TypeScript.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";
import { activate, lineOf, openFixture, requireTrust, waitFor } from "./helpers";

describe("workspace types", function () {
  before(async function () {
    requireTrust(this);
    await activate();
  });

  it("Set Up Workspace Types makes TypeScript resolve gradlens to the shipped declarations", async function () {
    this.timeout(90_000); // the TypeScript server starts cold
    const editor = await openFixture("seed.ts");
    const folder = vscode.workspace.getWorkspaceFolder(editor.document.uri)!.uri;
    const pkg = path.join(folder.fsPath, "node_modules", "gradlens");
    // Opening a model set it up, or is doing so: the command waits for that set-up, whatever
    // it found. Then start from nothing to see the command do it.
    await vscode.commands.executeCommand("gradlens.setupWorkspaceTypes", folder);
    fs.rmSync(pkg, { recursive: true, force: true });
    const outcome = await vscode.commands.executeCommand<string>(
      "gradlens.setupWorkspaceTypes",
      folder,
    );
    assert.strictEqual(outcome, "created");
    assert.ok(fs.existsSync(path.join(pkg, "types", "index.d.ts")), "no index.d.ts written");
    // Go to Definition on `torch.tensor` lands in those declarations.
    const doc = editor.document;
    const line = lineOf(doc, "torch.tensor(");
    const at = new vscode.Position(line, doc.lineAt(line).text.indexOf("tensor(") + 1);
    const target = await waitFor(
      "TypeScript to resolve torch.tensor",
      async () => {
        const defs = await vscode.commands.executeCommand<
          Array<vscode.Location | vscode.LocationLink>
        >("vscode.executeDefinitionProvider", doc.uri, at);
        const uris = defs.map((d) => ("targetUri" in d ? d.targetUri : d.uri).fsPath);
        return uris.find((u) => u.startsWith(pkg));
      },
      80_000,
    );
    assert.ok(target.endsWith(".d.ts"), target);
    // And the file has no TypeScript errors left (diagnostics follow the restart shortly).
    const tsErrors = () =>
      vscode.languages
        .getDiagnostics(doc.uri)
        .filter((d) => d.source === "ts" && d.severity === vscode.DiagnosticSeverity.Error)
        .map((d) => d.message);
    await waitFor("TypeScript errors to clear", () => tsErrors().length === 0, 20_000).catch(() =>
      assert.deepStrictEqual(tsErrors(), []),
    );
  });

  it("a gradlens package that is really installed is left alone", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "gradlens-types-"));
    const manifest = path.join(folder, "node_modules", "gradlens", "package.json");
    fs.mkdirSync(path.dirname(manifest), { recursive: true });
    const installed = JSON.stringify({ name: "gradlens", version: "9.9.9", types: "index.d.ts" });
    fs.writeFileSync(manifest, installed);
    const outcome = await vscode.commands.executeCommand<string>(
      "gradlens.setupWorkspaceTypes",
      vscode.Uri.file(folder),
    );
    assert.strictEqual(outcome, "foreign");
    assert.strictEqual(fs.readFileSync(manifest, "utf8"), installed);
    assert.ok(!fs.existsSync(path.join(folder, "node_modules", "gradlens", "types")));
  });

  it("in a workspace that is not trusted the command writes nothing", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "gradlens-types-"));
    await vscode.commands.executeCommand("gradlens._test.setTrusted", false);
    try {
      const outcome = await vscode.commands.executeCommand<string>(
        "gradlens.setupWorkspaceTypes",
        vscode.Uri.file(folder),
      );
      assert.strictEqual(outcome, "untrusted");
      assert.deepStrictEqual(fs.readdirSync(folder), []);
    } finally {
      await vscode.commands.executeCommand("gradlens._test.setTrusted", undefined);
    }
  });
});
