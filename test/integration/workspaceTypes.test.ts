// "Set Up Workspace Types": a model file's `import ... from "gradlens"` resolves to the engine's
// declarations with no npm install, in the editor's own TypeScript.
import * as assert from "assert";
import * as fs from "fs";
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
    const outcome = await vscode.commands.executeCommand<string>(
      "gradlens.setupWorkspaceTypes",
      folder,
    );
    assert.ok(["created", "updated", "current"].includes(outcome), `outcome: ${outcome}`);
    const pkg = path.join(folder.fsPath, "node_modules", "gradlens");
    assert.ok(fs.existsSync(path.join(pkg, "types", "index.d.ts")), "no index.d.ts written");
    // Go to Definition on `torch.tensor` lands in those declarations.
    const doc = editor.document;
    const line = lineOf(doc, "torch.tensor(");
    const at = new vscode.Position(line, doc.lineAt(line).text.indexOf("tensor(") + 1);
    const target = await waitFor(
      "TypeScript to resolve torch.tensor",
      async () => {
        const defs = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>(
          "vscode.executeDefinitionProvider",
          doc.uri,
          at,
        );
        const uris = defs.map((d) => ("targetUri" in d ? d.targetUri : d.uri).fsPath);
        return uris.find((u) => u.startsWith(pkg));
      },
      80_000,
    );
    assert.ok(target.endsWith(".d.ts"), target);
    const tsErrors = vscode.languages
      .getDiagnostics(doc.uri)
      .filter((d) => d.source === "ts" && d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepStrictEqual(tsErrors.map((d) => d.message), []);
  });
});
