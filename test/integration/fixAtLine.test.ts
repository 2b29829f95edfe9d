// Errors that point at the fix, in a real VS Code (TypeScript and Python model files): a layer's
// wrong setting is an error on the failing call and on the layer's construction (each pointing
// at the other), the quick fix from VS Code's own code-action API edits just the argument
// (`in_features=` in Python), and the re-run after it works; a
// half-typed line keeps the last good hints and graph (stale) until the file runs again.
import * as assert from "assert";
import * as vscode from "vscode";
import {
  activate,
  editDocument,
  inlayHints,
  labelOf,
  lineOf,
  nextRendered,
  nextResult,
  openFixture,
  renderedSeq,
  requireTrust,
  revert,
  sleep,
  waitFor,
} from "./helpers";
import { requestScreenshot } from "./screenshot";

/** A mistake in a workspace fixture and the quick fix that mends it. */
interface Mistake {
  file: string;
  /** Text on the line of the failing call (its last line with it, with `last`). */
  failing: string;
  last?: boolean;
  /** Text on the line that constructed the layer, and how the diagnostic there names it. */
  layer?: { line: string; name: string };
  /** The quick fix's title, and text the file has after it. */
  fix: string;
  fixed: string;
  /** A screenshot of the two diagnostics before the fix (saved by the suite's harness). */
  screenshot?: string;
}

const MISTAKES: Mistake[] = [
  {
    file: "err_lenet.ts",
    failing: "net.forward(images)",
    layer: { line: "new nn.Linear(16 * 4 * 4, 120)", name: "net[7]: Linear(256 → 120)" },
    fix: "Set inFeatures of net[7]: Linear(256 → 120) to 400",
    fixed: "new nn.Linear(400, 120),",
    screenshot: "vscode-error-at-the-fix",
  },
  {
    file: "err_linear.ts",
    failing: "fc.forward(x)",
    layer: { line: "new nn.Linear(600, 60)", name: "fc" },
    fix: "Set inFeatures of fc to 1000",
    fixed: "new nn.Linear(1000, 60)",
  },
  {
    file: "err_conv_channels.ts",
    failing: "conv.forward(gray)",
    layer: { line: "new nn.Conv2d(3, 16, 3)", name: "conv" },
    fix: "Set inChannels of conv to 1",
    fixed: "new nn.Conv2d(1, 16, 3)",
  },
  {
    file: "err_linear.py",
    failing: "y = fc(x)",
    layer: { line: "nn.Linear(in_features=600, out_features=60)", name: "fc" },
    fix: "Set in_features of fc to 1000",
    fixed: "nn.Linear(in_features=1000, out_features=60)",
  },
  {
    file: "err_conv_channels.py",
    failing: "out = conv(gray)",
    layer: { line: "nn.Conv2d(3, 16, 3)", name: "conv" },
    fix: "Set in_channels of conv to 1",
    fixed: "nn.Conv2d(1, 16, 3)",
  },
  {
    file: "err_flatten.ts",
    failing: "fc.forward(conv.forward(x))",
    layer: { line: "new nn.Linear(16 * 12 * 12, 10)", name: "fc" },
    fix: "Flatten the input of fc (flatten(1))",
    fixed: "fc.forward(conv.forward(x).flatten(1))",
  },
  {
    file: "err_view.ts",
    failing: "maps.view(-1, 16 * 4 * 4)",
    fix: "Make the size 400 (the tensor has 1600 elements)",
    fixed: "maps.view(-1, 400)",
  },
  {
    file: "err_backward_twice.ts",
    failing: "loss.backward()",
    last: true, // the second of the two calls fails
    fix: "Keep the graph for the next backward: { retainGraph: true }",
    fixed: "loss.backward(undefined, { retainGraph: true });\nloss.backward();",
  },
];

const ours = (doc: vscode.TextDocument) =>
  vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === "gradlens");

/** The 0-based line of the last line containing `text` (the second of two backward calls). */
function lastLineOf(doc: vscode.TextDocument, text: string): number {
  for (let i = doc.lineCount - 1; i >= 0; i--) if (doc.lineAt(i).text.includes(text)) return i;
  throw new Error(`no line containing ${JSON.stringify(text)}`);
}

describe("errors that point at the fix", function () {
  before(async function () {
    requireTrust(this);
    await activate();
  });

  for (const m of MISTAKES) {
    it(`${m.file}: the error on both lines, and "${m.fix}" mends it`, async () => {
      const doc = (await openFixture(m.file)).document;
      try {
        const failed = await nextResult(doc.uri, undefined, (r) => !r.ok);
        const expected = m.layer ? 2 : 1;
        const diagnostics = await waitFor(`${expected} gradlens diagnostics`, () =>
          ours(doc).length === expected ? ours(doc) : undefined,
        );
        const call = diagnostics.find((d) => d.code !== "layer")!;
        const failingLine = m.last ? lastLineOf(doc, m.failing) : lineOf(doc, m.failing);
        assert.strictEqual(call.range.start.line, failingLine, call.message);
        assert.ok(call.message.startsWith(failed.error!.message), call.message);
        if (m.layer) {
          const layer = diagnostics.find((d) => d.code === "layer")!;
          const layerLine = lineOf(doc, m.layer.line);
          assert.strictEqual(layer.range.start.line, layerLine);
          assert.ok(layer.message.startsWith(`${m.layer.name}: `), layer.message);
          assert.ok(layer.message.includes(failed.error!.message), layer.message);
          // each points at the other
          assert.strictEqual(call.relatedInformation?.[0].location.range.start.line, layerLine);
          assert.ok(call.relatedInformation?.[0].message.startsWith(m.layer.name));
          assert.strictEqual(layer.relatedInformation?.[0].location.range.start.line, failingLine);
        }
        if (m.screenshot) {
          await vscode.commands.executeCommand("gradlens._test.closePanel");
          await vscode.window.showTextDocument(doc, { preview: false });
          await sleep(1000); // squiggles are drawn a moment after they are known
          await requestScreenshot(m.screenshot);
        }
        // the light bulb's actions, as VS Code collects them from every provider
        const target = m.layer ? diagnostics.find((d) => d.code === "layer")! : call;
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
          "vscode.executeCodeActionProvider",
          doc.uri,
          target.range,
          vscode.CodeActionKind.QuickFix.value,
        );
        const titles = actions.map((a) => a.title);
        const action = actions.find((a) => a.title === m.fix);
        assert.ok(action?.edit, `no "${m.fix}" among ${JSON.stringify(titles)}`);
        assert.ok(await vscode.workspace.applyEdit(action.edit), "the fix was not applied");
        assert.ok(doc.getText().includes(m.fixed), doc.getText());
        const after = await nextResult(doc.uri, failed, (r) => r.ok, 30_000);
        assert.ok(after.ok);
        await waitFor("the diagnostics to go", () => ours(doc).length === 0);
      } finally {
        await revert(doc);
      }
    });
  }

  it("a half-typed line keeps the last good hints and graph (stale) until the file runs again", async () => {
    const doc = (await openFixture("conv_shapes.ts")).document;
    const good = await nextResult(doc.uri, undefined, (r) => r.ok);
    const seq = await renderedSeq();
    await vscode.commands.executeCommand("gradlens.showGraph");
    await nextRendered(seq, (r) => r.visible && r.graphNodes === good.graph.nodes.length);
    const sizes = async () =>
      (await inlayHints(doc))
        .map(labelOf)
        .filter((l) => l.startsWith("→"))
        .sort();
    const before = await waitFor("size hints", async () => {
      const s = await sizes();
      return s.length > 0 ? s : undefined;
    });
    try {
      const typing = await renderedSeq();
      await editDocument(doc, "new nn.Conv1d(2, 16, 3)", "new nn.Conv1d(2, 16, 3 *)");
      const failed = await nextResult(doc.uri, good, (r) => !r.ok);
      assert.strictEqual(failed.error!.kind, "syntax");
      assert.strictEqual(failed.graph.nodes.length, 0, "a file that does not parse runs nothing");
      await waitFor("the syntax error's diagnostic", () => ours(doc).length === 1);
      const stale = await nextRendered(typing, (r) => r.stale === true);
      assert.strictEqual(stale.graphNodes, good.graph.nodes.length, "the last good graph stays");
      assert.deepStrictEqual(await sizes(), before, "the last good hints stay");
      await vscode.window.showTextDocument(doc, {
        preview: false,
        viewColumn: vscode.ViewColumn.One,
      });
      await sleep(1000);
      await requestScreenshot("vscode-stale-while-typing");
      const fixedSeq = await renderedSeq();
      await revert(doc); // the file as it was: it runs, and the view comes back to life
      const fresh = await nextRendered(fixedSeq, (r) => r.stale === false);
      assert.strictEqual(fresh.graphNodes, good.graph.nodes.length);
      await waitFor("the diagnostic to go", () => ours(doc).length === 0);
    } finally {
      await revert(doc);
      await vscode.commands.executeCommand("gradlens._test.closePanel");
    }
  });
});
