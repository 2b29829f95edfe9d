// Gradient warnings in a real VS Code: a model whose sigmoids make the first layer's gradient
// vanish gets an Information diagnostic on that layer's line, saying why in words; an edit whose
// run has no backward keeps it, said to be from the last backward, until a backward replaces it.
import * as assert from "assert";
import * as vscode from "vscode";
import {
  activate,
  editDocument,
  lineOf,
  nextResult,
  openFixture,
  requireTrust,
  revert,
  waitFor,
} from "./helpers";

describe("gradient warnings", function () {
  before(async function () {
    requireTrust(this);
    await activate();
  });

  it("a vanishing gradient is an Information diagnostic on the first layer's line", async () => {
    const editor = await openFixture("vanishing.ts");
    const doc = editor.document;
    const result = await nextResult(doc.uri, undefined, (r) => r.ok && r.graph.hasGradients);
    assert.strictEqual(result.graph.warnings?.[0]?.kind, "vanishing");
    const diagnostic = await waitFor("a gradient diagnostic in vanishing.ts", () =>
      vscode.languages
        .getDiagnostics(doc.uri)
        .find((d) => d.source === "gradlens" && d.code === "gradient-vanishing"),
    );
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Information);
    assert.strictEqual(diagnostic.range.start.line, lineOf(doc, "new nn.Linear(16, 16), // first"));
    assert.match(
      diagnostic.message,
      /^net\.0's gradient is 10[⁰-⁹]+× smaller than net\.10's: sigmoid saturates/,
    );
  });

  it("a run without gradients keeps the warning, said to be from the last backward", async () => {
    const editor = await openFixture("vanishing.ts");
    const doc = editor.document;
    const fresh = await nextResult(doc.uri, undefined, (r) => r.ok && r.graph.hasGradients);
    const vanishing = (stale: boolean) =>
      vscode.languages
        .getDiagnostics(doc.uri)
        .find(
          (d) =>
            d.code === "gradient-vanishing" && /from the last backward/.test(d.message) === stale,
        );
    try {
      // a shape mistake: the run stops at net.0, before any backward
      await editDocument(doc, "new nn.Linear(16, 16), // first", "new nn.Linear(12, 16), // first");
      const failed = await nextResult(doc.uri, fresh, (r) => !r.ok && !r.graph.hasGradients);
      assert.strictEqual(failed.graph.warnings?.[0]?.stale, true);
      const stale = await waitFor("the stale gradient diagnostic", () => vanishing(true));
      assert.strictEqual(stale.range.start.line, lineOf(doc, "// first"));
      assert.match(stale.message, /^net\.0's gradient is 10[⁰-⁹]+× smaller than net\.10's/);
    } finally {
      await revert(doc);
    }
    await waitFor("the fresh gradient diagnostic again", () => vanishing(false));
    assert.strictEqual(vanishing(true), undefined);
  });
});
