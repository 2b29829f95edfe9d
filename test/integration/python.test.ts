// A Python model file in a real VS Code: it runs on the Python front end when opened, its conv
// and pool calls get their output sizes as hints on their Python lines, its failing Linear call
// is underlined with PyTorch's message, and the graph panel draws what it built.
import * as assert from "assert";
import * as vscode from "vscode";
import {
  activate,
  inlayHints,
  labelOf,
  lineOf,
  nextRendered,
  nextResult,
  openFixture,
  renderedSeq,
  requireTrust,
  waitFor,
} from "./helpers";

describe("python model files", function () {
  before(async function () {
    requireTrust(this);
    await activate();
  });

  it("a .py file gets size hints, an error on the failing line and its graph", async () => {
    // counted from before the file opens: a panel already open may draw it before showGraph
    const before = await renderedSeq();
    const editor = await openFixture("hints_and_error.py");
    const doc = editor.document;
    assert.strictEqual(doc.languageId, "python");
    const result = await nextResult(doc.uri, undefined, (r) => !r.ok);
    assert.strictEqual(result.error?.message, "RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x2304 and 600x10)");

    const hints = await waitFor("size hints in hints_and_error.py", async () => {
      const ours = (await inlayHints(doc)).filter((h) => labelOf(h).startsWith("→"));
      return ours.length >= 3 ? ours : undefined;
    });
    const after = (call: string) => {
      const line = lineOf(doc, call);
      const end = doc.lineAt(line).text.indexOf(call) + call.length;
      return hints.filter((h) => h.position.line === line && h.position.character === end).map(labelOf);
    };
    assert.deepStrictEqual(after("conv1(image)"), ["→ [1, 8, 32, 32]"]);
    assert.deepStrictEqual(after("pool(conv1(image))"), ["→ [1, 8, 16, 16]"]);
    assert.deepStrictEqual(after("conv2(h)"), ["→ [1, 16, 12, 12]"]);

    const diagnostic = await waitFor("the gradlens diagnostic", () => {
      const ours = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === "gradlens");
      return ours.length > 0 ? ours[0] : undefined;
    });
    assert.strictEqual(diagnostic.range.start.line, lineOf(doc, "logits = classifier(features)"));
    assert.ok(diagnostic.message.includes("mat1 and mat2 shapes cannot be multiplied"), diagnostic.message);

    await vscode.commands.executeCommand("gradlens.showGraph", doc.uri);
    const rendered = await nextRendered(before, (r) => r.visible && r.graphNodes === result.graph.nodes.length);
    assert.ok(rendered.graphNodes > 5, `drew ${rendered.graphNodes} nodes`);
    const conv = result.graph.nodes.find((n) => n.label === "conv1 (Conv2d)");
    assert.strictEqual(conv?.location?.line, lineOf(doc, "conv1 = nn.Conv2d") + 1, "the layer's box sits on its Python line");
  });
});
