// Gradient warnings in a real VS Code: a model whose sigmoids make the first layer's gradient
// vanish gets an Information diagnostic on that layer's line, saying why in words.
import * as assert from "assert";
import * as vscode from "vscode";
import { activate, lineOf, nextResult, openFixture, requireTrust, waitFor } from "./helpers";

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
});
