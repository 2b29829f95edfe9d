// A model file that imports another .ts file: editing the imported file (unsaved) re-runs the
// model, as editing the model does.
import * as assert from "assert";
import * as vscode from "vscode";
import {
  activate,
  editDocument,
  fixtureUri,
  nextResult,
  openFixture,
  requireTrust,
  revert,
} from "./helpers";

describe("imported files", function () {
  before(async function () {
    requireTrust(this);
    await activate();
  });

  it("an unsaved edit to an imported file re-runs the model that imports it", async () => {
    const editor = await openFixture("uses_import.ts");
    const model = editor.document.uri;
    const first = await nextResult(model, undefined, (r) => r.ok);
    assert.deepStrictEqual(first.logs, ["2,2,2"]);
    const lib = await vscode.workspace.openTextDocument(fixtureUri("lib/scale.ts"));
    try {
      await editDocument(lib, "t.mul(2)", "t.mul(5)");
      // (Other runs may come first, e.g. the one VS Code's opening of the file caused.)
      const next = await nextResult(model, first, (r) => r.logs[0] === "5,5,5");
      assert.ok(next.ok, next.error?.message);
      // A mistake typed in the import is reported on the model, after the typing pause.
      await editDocument(lib, "t.mul(5)", "t.mul(5");
      const failed = await nextResult(model, next, (r) => !r.ok);
      assert.strictEqual(failed.error!.kind, "syntax");
      assert.strictEqual(failed.error!.location!.file, lib.uri.fsPath);
    } finally {
      await revert(lib);
      await nextResult(model, undefined, (r) => r.ok && r.logs[0] === "2,2,2");
    }
  });
});
