// The graph panel in a real VS Code: it opens, draws what the engine built, shows gradients,
// follows edits, takes the user to the source, exports, and survives an endless loop.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";
import * as torch from "../../engine";
import {
  activate,
  editDocument,
  engineOpCounts,
  fixtureUri,
  graphOpCounts,
  lastResult,
  lineOf,
  nextRendered,
  nextResult,
  openFixture,
  renderedSeq,
  requireTrust,
  revert,
  sleep,
  sorted,
  waitFor,
} from "./helpers";
import { requestScreenshot } from "./screenshot";
import type { RunResult } from "../../extension/runProtocol/types";

const COMMANDS = [
  "gradlens.showGraph",
  "gradlens.runBackward",
  "gradlens.exportGraph",
  "gradlens.setupWorkspaceTypes",
];

/** The seed file's graph, built by the engine itself. */
function seedLoss(shift = (t: torch.Tensor) => t) {
  const x = torch.tensor(
    [
      [1, 2],
      [3, 4],
    ],
    { requiresGrad: true },
  );
  const y = shift(x.sub(2));
  const z = y.mul(y).mul(3);
  return { x, loss: z.mean() };
}

describe("graph panel", function () {
  before(async function () {
    requireTrust(this);
    await activate();
  });

  it("the command list has every Gradlens command", async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    assert.deepStrictEqual(
      COMMANDS.filter((c) => !all.has(c)),
      [],
    );
  });

  it("Show Computation Graph opens a visible panel drawing the engine's graph", async () => {
    const editor = await openFixture("seed.ts");
    const before = await renderedSeq();
    await vscode.commands.executeCommand("gradlens.showGraph");
    const result = await nextResult(
      editor.document.uri,
      undefined,
      (r) => r.graph.nodes.length > 0,
    );
    const rendered = await nextRendered(
      before,
      (r) => r.visible && r.graphNodes === result.graph.nodes.length,
    );
    assert.ok(result.ok, result.error?.message);
    // each leaf is drawn as one node with its AccumulateGrad: the edge between them goes
    const merged = result.graph.nodes.filter((n) => n.label === "AccumulateGrad").length;
    assert.strictEqual(rendered.edges, result.graph.edges.length - merged);
    // The run's op nodes are exactly the engine's autograd nodes for the same code.
    const { loss } = seedLoss();
    assert.deepStrictEqual(sorted(graphOpCounts(result)), sorted(engineOpCounts(loss)));
    for (const label of ["SubBackward0", "MulBackward0", "MeanBackward0", "x"]) {
      assert.ok(
        rendered.labels.includes(label),
        `${label} not drawn: ${rendered.labels.join(", ")}`,
      );
    }
  });

  it("Run Backward shows the gradients the engine computes", async () => {
    const editor = await openFixture("seed.ts");
    const before = await renderedSeq();
    const result = await vscode.commands.executeCommand<{ graph: { nodes: unknown[] } }>(
      "gradlens.runBackward",
      { uri: editor.document.uri, root: "loss" },
    );
    assert.ok(result, "Run Backward returned no result");
    const latest = (await lastResult(editor.document.uri))!;
    assert.ok(latest.graph.hasGradients, "the run has no gradients");
    const { x, loss } = seedLoss();
    loss.backward();
    const xNode = latest.graph.nodes.find((n) => n.kind === "leaf" && n.label === "x");
    assert.ok(xNode?.grad, "x has no gradient in the graph");
    assert.deepStrictEqual(xNode.grad.shape, [2, 2]);
    assert.deepStrictEqual(xNode.grad.values, (x.grad!.tolist() as number[][]).flat());
    assert.deepStrictEqual(xNode.grad.values, [-1.5, 0, 1.5, 3]);
    // each leaf or parameter is drawn as one node with its AccumulateGrad
    const withGrad = latest.graph.nodes.filter((n) => n.grad && n.label !== "AccumulateGrad").length;
    const rendered = await nextRendered(before, (r) => r.gradients > 0);
    assert.strictEqual(rendered.gradients, withGrad);
  });

  it("Run Backward asks which output to start from when there are several", async () => {
    const editor = await openFixture("two_outputs.ts");
    const first = await nextResult(editor.document.uri, undefined, (r) => r.ok);
    assert.deepStrictEqual(first.roots, ["sumLoss", "meanLoss"]);
    // The command waits on its QuickPick: pick the second item, as a user would.
    const running = vscode.commands.executeCommand<RunResult | undefined>(
      "gradlens.runBackward",
      editor.document.uri,
    );
    await sleep(1000); // the QuickPick opens in the workbench
    await vscode.commands.executeCommand("workbench.action.quickOpenSelectNext");
    await vscode.commands.executeCommand("workbench.action.acceptSelectedQuickOpenItem");
    const result = await running;
    assert.ok(result?.ok, result?.error?.message);
    const rootNode = result.graph.nodes.find((n) => n.id === result.graph.root);
    assert.strictEqual(rootNode?.label, "meanLoss");
    const w = result.graph.nodes.find((n) => n.kind === "leaf" && n.label === "w");
    assert.deepStrictEqual(w?.grad?.values, [4 / 3, 4 / 3, 4 / 3].map(Math.fround));
  });

  it("Run Backward on a file exporting `loss` starts there and asks nothing", async () => {
    const editor = await openFixture("exported_loss.ts");
    const first = await nextResult(editor.document.uri, undefined, (r) => r.ok);
    assert.deepStrictEqual(first.roots, ["other", "loss"], "two outputs it could have asked about");
    const running = vscode.commands.executeCommand<RunResult | undefined>(
      "gradlens.runBackward",
      editor.document.uri,
    );
    const asked = await Promise.race([running.then(() => false), sleep(8000).then(() => true)]);
    if (asked) await vscode.commands.executeCommand("workbench.action.closeQuickOpen");
    assert.strictEqual(asked, false, "Run Backward waited on a question");
    const result = await running;
    assert.ok(result?.ok, result?.error?.message);
    const rootNode = result.graph.nodes.find((n) => n.id === result.graph.root);
    assert.strictEqual(rootNode?.label, "loss");
    const w = result.graph.nodes.find((n) => n.kind === "leaf" && n.label === "w");
    assert.deepStrictEqual(w?.grad?.values, [2, 4, 6]); // d Σw² / dw
  });

  it("editing the document re-runs it and redraws graph and gradients", async () => {
    const editor = await openFixture("seed.ts");
    const doc = editor.document;
    const previous = await lastResult(doc.uri);
    const before = await renderedSeq();
    try {
      await editDocument(doc, "x.sub(2)", "x.sub(2).relu()");
      assert.ok(doc.isDirty, "the edit should stay unsaved");
      const result = await nextResult(doc.uri, previous, (r) =>
        r.graph.nodes.some((n) => n.label === "ReluBackward0"),
      );
      const rendered = await nextRendered(before, (r) => r.labels.includes("ReluBackward0"));
      const { x, loss } = seedLoss((t) => t.relu());
      assert.deepStrictEqual(sorted(graphOpCounts(result)), sorted(engineOpCounts(loss)));
      assert.strictEqual(rendered.graphNodes, result.graph.nodes.length);
      // Backward stays on for later runs: the gradients follow the edit.
      loss.backward();
      const xNode = result.graph.nodes.find((n) => n.kind === "leaf" && n.label === "x");
      assert.deepStrictEqual(xNode?.grad?.values, (x.grad!.tolist() as number[][]).flat());
    } finally {
      await revert(doc);
    }
  });

  it("go to source selects the call that made a node", async () => {
    const editor = await openFixture("seed.ts");
    const doc = editor.document;
    const result = await nextResult(doc.uri, undefined, (r) => r.ok);
    await vscode.commands.executeCommand("gradlens.showGraph", doc.uri);
    const sub = result.graph.nodes.find((n) => n.label === "SubBackward0");
    assert.ok(sub?.location, "SubBackward0 has no source location");
    // Put the cursor elsewhere first, then play the page's "go to source" click.
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand("gradlens._test.panelMessage", {
      type: "reveal",
      nodeId: sub.id,
    });
    const line = lineOf(doc, "x.sub(2)");
    const selection = await waitFor("the editor to select the call", () => {
      const e = vscode.window.visibleTextEditors.find((v) => v.document === doc);
      return e && e.selection.start.line === line ? e.selection : undefined;
    });
    assert.match(doc.getText(selection), /sub\(2\)$/);
  });

  it("Export writes the graph as PNG, SVG and JSON", async () => {
    const editor = await openFixture("seed.ts");
    await vscode.commands.executeCommand("gradlens.showGraph", editor.document.uri);
    const result = await nextResult(editor.document.uri, undefined, (r) => r.ok);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gradlens-export-"));
    const written = async (format: string) => {
      const uri = vscode.Uri.file(path.join(dir, `seed.${format}`));
      await vscode.commands.executeCommand("gradlens.exportGraph", { format, uri });
      return fs.readFileSync(uri.fsPath);
    };
    const png = await written("png");
    assert.deepStrictEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], "not a PNG");
    assert.match((await written("svg")).toString("utf8"), /<svg[\s>]/);
    const json = JSON.parse((await written("json")).toString("utf8"));
    assert.strictEqual(json.nodes.length, result.graph.nodes.length);
  });

  it("an endless loop stops at the time limit while VS Code keeps answering", async function () {
    this.timeout(60_000);
    const uri = fixtureUri("infinite_loop.ts");
    await openFixture("infinite_loop.ts");
    await vscode.commands.executeCommand("gradlens.showGraph", uri);
    await waitFor("the run to start", async () =>
      String(await vscode.commands.executeCommand("gradlens._test.statusText")).includes(
        "sync~spin",
      ),
    );
    // A command round trip through the extension host while the model spins.
    const t0 = Date.now();
    const status = await vscode.commands.executeCommand<string>("gradlens._test.statusText");
    assert.ok(Date.now() - t0 < 1000, `the extension host took ${Date.now() - t0} ms to answer`);
    assert.match(status, /sync~spin/, "the run ended before the round trip");
    const result = await nextResult(uri, undefined, (r) => !r.ok, 30_000);
    assert.strictEqual(result.error?.kind, "timeout", result.error?.message);
    assert.match(result.error!.message, /stopped the run after 5 s/); // gradlens.timeoutMs
    await waitFor("the status bar to show the failed run", async () =>
      String(await vscode.commands.executeCommand("gradlens._test.statusText")).includes(
        "$(error)",
      ),
    );
    // The user is told why, on the loop's line, within a second of the end.
    const doc = await vscode.workspace.openTextDocument(uri);
    const loopLine = lineOf(doc, "while (") + 1;
    assert.strictEqual(result.error!.location?.line, loopLine, "the time-out is placed at the loop");
    const ended = Date.now();
    await waitFor("a diagnostic on the loop", async () =>
      vscode.languages.getDiagnostics(uri).some((d) => d.range.start.line + 1 === loopLine && /stopped the run after 5 s/.test(d.message)),
    );
    assert.ok(Date.now() - ended < 1000, `the diagnostic came ${Date.now() - ended} ms after the result`);
  });

  it("a failed run draws the graph up to the failing op, marked (vscode-graph-failed.png)", async () => {
    const editor = await openFixture("err_linear.ts");
    const before = await renderedSeq();
    await vscode.commands.executeCommand("gradlens.showGraph", editor.document.uri);
    const result = await nextResult(editor.document.uri, undefined, (r) => !r.ok);
    const failed = result.graph.nodes.filter((n) => n.failed);
    assert.strictEqual(failed.length, 1, "one op is marked as the failure");
    assert.strictEqual(failed[0].location?.line, lineOf(editor.document, "fc.forward(x)") + 1);
    const rendered = await nextRendered(before, (r) => r.graphNodes === result.graph.nodes.length);
    assert.ok(rendered.labels.includes(failed[0].label), rendered.labels.join(", "));
    await requestScreenshot("vscode-graph-failed");
  });

  it("leaves a screenshot of the graph with gradients (vscode-graph-gradients.png)", async () => {
    const editor = await openFixture("modules.ts");
    const before = await renderedSeq();
    await vscode.commands.executeCommand("gradlens.runBackward", {
      uri: editor.document.uri,
      root: "loss",
    });
    await nextRendered(before, (r) => r.gradients > 0 && r.visible);
    await requestScreenshot("vscode-graph-gradients");
  });
});
