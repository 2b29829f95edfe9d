// Failed runs as diagnostics in a real VS Code: an Error on the failing line, with PyTorch's
// message, gone once the code is fixed; plus a screenshot of hints and an underlined error.
import * as assert from "assert";
import * as vscode from "vscode";
import {
  activate,
  editDocument,
  inlayHints,
  labelOf,
  lastResult,
  lineOf,
  nextResult,
  openFixture,
  requireTrust,
  revert,
  sleep,
  waitFor,
} from "./helpers";
import { requestScreenshot } from "./screenshot";

/** The gradlens diagnostics of a fixture once its run has failed. */
async function failureOf(
  name: string,
): Promise<{ doc: vscode.TextDocument; diagnostic: vscode.Diagnostic }> {
  const editor = await openFixture(name);
  const doc = editor.document;
  const result = await nextResult(doc.uri, undefined, (r) => !r.ok);
  // the failing call's (a layer's construction may have one of its own: see fixAtLine.test.ts)
  const diagnostics = await waitFor(`a gradlens diagnostic in ${name}`, () => {
    const ours = vscode.languages
      .getDiagnostics(doc.uri)
      .filter((d) => d.source === "gradlens" && d.code !== "layer");
    return ours.length > 0 ? ours : undefined;
  });
  assert.strictEqual(diagnostics.length, 1, diagnostics.map((d) => d.message).join("\n"));
  const [diagnostic] = diagnostics;
  assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
  assert.ok(diagnostic.message.startsWith(result.error!.message), diagnostic.message);
  return { doc, diagnostic };
}

describe("diagnostics", function () {
  before(async function () {
    requireTrust(this);
    await activate();
  });

  it("a Linear layer fed the wrong number of features is an error on the call's line", async () => {
    const { doc, diagnostic } = await failureOf("err_linear.ts");
    assert.strictEqual(diagnostic.range.start.line, lineOf(doc, "fc.forward(x)"));
    assert.ok(
      diagnostic.message.includes("mat1 and mat2 shapes cannot be multiplied (1x1000 and 600x60)"),
      diagnostic.message,
    );
  });

  it("a conv fed the wrong number of channels is an error on the call's line", async () => {
    const { doc, diagnostic } = await failureOf("err_conv_channels.ts");
    assert.strictEqual(diagnostic.range.start.line, lineOf(doc, "conv.forward(gray)"));
    assert.match(
      diagnostic.message,
      /expected input\[1, 1, 28, 28\] to have 3 channels, but got 1 channels/,
    );
  });

  it("a syntax error is an error on its line", async () => {
    const { doc, diagnostic } = await failureOf("err_syntax.ts");
    assert.strictEqual(diagnostic.range.start.line, lineOf(doc, "x.add(1));"));
    assert.strictEqual(diagnostic.code, "syntax");
  });

  it("an error the file throws is an error on the throw's line", async () => {
    const { doc, diagnostic } = await failureOf("err_throw.ts");
    assert.strictEqual(diagnostic.range.start.line, lineOf(doc, "throw new Error"));
    assert.ok(diagnostic.message.includes("expected a batch of 4, got 3"), diagnostic.message);
  });

  it("an error made while typing is reported after the typing pause, not at once", async () => {
    const editor = await openFixture("seed.ts");
    const doc = editor.document;
    const ours = () =>
      vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === "gradlens");
    const before = await nextResult(doc.uri, undefined, (r) => r.ok);
    const config = vscode.workspace.getConfiguration("gradlens");
    await config.update("autoRunDelayMs", 4000, vscode.ConfigurationTarget.Global);
    try {
      await sleep(300);
      await editDocument(doc, "x.sub(2);", "x.sub(2;"); // runs at once, tentatively
      await sleep(2000);
      assert.strictEqual(ours().length, 0, "the immediate run's error was shown while typing");
      assert.strictEqual(
        await lastResult(doc.uri),
        before,
        "the failed immediate run was published",
      );
      const failed = await nextResult(doc.uri, before, (r) => !r.ok);
      assert.strictEqual(failed.error!.kind, "syntax");
      await waitFor("the diagnostic after the pause", () => ours().length === 1);
    } finally {
      await config.update("autoRunDelayMs", undefined, vscode.ConfigurationTarget.Global);
      await revert(doc);
    }
  });

  it("fixing the code clears the diagnostic", async () => {
    const { doc } = await failureOf("err_linear.ts");
    const failed = await nextResult(doc.uri);
    try {
      await editDocument(doc, "new nn.Linear(600, 60)", "new nn.Linear(1000, 60)");
      const fixed = await nextResult(doc.uri, failed);
      assert.ok(fixed.ok, fixed.error?.message);
      await waitFor("the diagnostic to go", () =>
        vscode.languages.getDiagnostics(doc.uri).every((d) => d.source !== "gradlens"),
      );
    } finally {
      await revert(doc);
    }
  });

  it("leaves a screenshot of hints and an underlined error (vscode-editor-hints-error.png)", async () => {
    const { doc, diagnostic } = await failureOf("hints_and_error.ts");
    assert.strictEqual(diagnostic.range.start.line, lineOf(doc, "classifier.forward(features)"));
    assert.ok(diagnostic.message.includes("(1x2304 and 600x10)"), diagnostic.message);
    // The sizes before the failure still show.
    const labels = (await inlayHints(doc)).map(labelOf);
    assert.ok(labels.includes("→ [1, 16, 12, 12]"), labels.join(" | "));
    await vscode.commands.executeCommand("gradlens._test.closePanel");
    await vscode.window.showTextDocument(doc, { preview: false });
    await sleep(1000); // hints and squiggles are drawn a moment after they are known
    await requestScreenshot("vscode-editor-hints-error");
  });
});
