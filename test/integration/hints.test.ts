// Inlay hints in a real VS Code: each conv / pool call's exact output size right after the call,
// wherever the call is written (top level, a module's forward, nn.functional); an nn.Sequential
// member's after its construction, and the Sequential's output after its call.
import * as assert from "assert";
import * as vscode from "vscode";
import {
  activate,
  editDocument,
  inlayHints,
  labelOf,
  lineOf,
  nextResult,
  openFixture,
  requireTrust,
  revert,
  sleep,
  waitFor,
} from "./helpers";

/** Every hint VS Code gets from the providers for the whole document, once the file has run. */
async function hintsOf(
  name: string,
): Promise<{ doc: vscode.TextDocument; hints: vscode.InlayHint[] }> {
  const editor = await openFixture(name);
  const doc = editor.document;
  await nextResult(doc.uri);
  const hints = await waitFor(`inlay hints in ${name}`, async () => {
    const all = await inlayHints(doc);
    const ours = all.filter((h) => labelOf(h).startsWith("→"));
    return ours.length > 0 ? all : undefined;
  });
  return { doc, hints };
}

/** The size hint placed right after `call` (its first occurrence in the file). */
function sizeAfter(doc: vscode.TextDocument, hints: vscode.InlayHint[], call: string): string {
  const line = lineOf(doc, call);
  const end = doc.lineAt(line).text.indexOf(call) + call.length;
  const at = hints.filter(
    (h) => h.position.line === line && h.position.character === end && labelOf(h).startsWith("→"),
  );
  const onLine = hints
    .filter((h) => h.position.line === line)
    .map((h) => `${h.position.character}:${labelOf(h)}`);
  assert.strictEqual(
    at.length,
    1,
    `one size hint after ${call} (col ${end}); line has ${onLine.join(" | ") || "none"}`,
  );
  return labelOf(at[0]);
}

describe("inlay hints", function () {
  before(async function () {
    requireTrust(this);
    await activate();
  });

  it("the seed conv configurations show their exact output sizes", async () => {
    const { doc, hints } = await hintsOf("conv_shapes.ts");
    assert.strictEqual(sizeAfter(doc, hints, "conv1.forward(signal)"), "→ [1, 16, 62]");
    assert.strictEqual(sizeAfter(doc, hints, "conv1k5.forward(signal)"), "→ [1, 16, 60]");
    assert.strictEqual(sizeAfter(doc, hints, "conv2.forward(image)"), "→ [1, 16, 62, 124]");
    assert.strictEqual(sizeAfter(doc, hints, "conv2pad.forward(image)"), "→ [1, 16, 64, 128]");
    assert.strictEqual(sizeAfter(doc, hints, "down.forward(small)"), "→ [1, 20, 6, 6]");
    assert.strictEqual(sizeAfter(doc, hints, "up.forward(e)"), "→ [1, 10, 16, 16]");
  });

  it("a size hint's tooltip gives PyTorch's formula", async () => {
    const { doc, hints } = await hintsOf("conv_shapes.ts");
    const line = lineOf(doc, "conv2.forward(image)");
    const hint = hints.find((h) => h.position.line === line && labelOf(h).startsWith("→"));
    const tooltip = hint?.tooltip;
    const text = typeof tooltip === "string" ? tooltip : (tooltip?.value ?? "");
    assert.match(text, /L_out|H_out|dilation|stride/, `tooltip: ${text}`);
  });

  it("layer constructions show their size formula", async () => {
    const { doc, hints } = await hintsOf("conv_shapes.ts");
    const line = lineOf(doc, "new nn.Conv2d(20, 16, [3, 5]);");
    const layer = hints.filter((h) => h.position.line === line && !labelOf(h).startsWith("→"));
    assert.strictEqual(
      layer.length,
      1,
      `hints on the line: ${hints.filter((h) => h.position.line === line).map(labelOf)}`,
    );
    assert.ok(labelOf(layer[0]).length > 0);
  });

  it("module calls inside a forward method show their sizes", async () => {
    const { doc, hints } = await hintsOf("modules.ts");
    assert.strictEqual(sizeAfter(doc, hints, "this.conv1.forward(x)"), "→ [1, 6, 28, 28]");
    assert.strictEqual(sizeAfter(doc, hints, "this.pool.forward(h1)"), "→ [1, 6, 14, 14]");
    assert.strictEqual(sizeAfter(doc, hints, "this.conv2.forward(p1)"), "→ [1, 16, 10, 10]");
    assert.strictEqual(sizeAfter(doc, hints, "this.pool.forward(h2)"), "→ [1, 16, 5, 5]");
  });

  it("nn.Sequential members show their sizes after their constructions, the call its output", async () => {
    const { doc, hints } = await hintsOf("modules.ts");
    assert.strictEqual(sizeAfter(doc, hints, "new nn.Conv1d(2, 8, 3)"), "→ [1, 8, 30]");
    assert.strictEqual(
      sizeAfter(doc, hints, "new nn.Conv1d(8, 4, 5, { stride: 2 })"),
      "→ [1, 4, 13]",
    );
    assert.strictEqual(
      sizeAfter(doc, hints, "features.forward(torch.randn(1, 2, 32))"),
      "→ [1, 4, 13]",
    );
    // one hint per place: a member's formula moved into its size hint's tooltip
    const line = lineOf(doc, "new nn.Conv1d(2, 8, 3)");
    const onLine = hints.filter((h) => h.position.line === line);
    assert.deepStrictEqual(onLine.map(labelOf), ["→ [1, 8, 30]"]);
    const tooltip = onLine[0].tooltip;
    const text = typeof tooltip === "string" ? tooltip : (tooltip?.value ?? "");
    assert.match(text, /Conv1d\(2→8, k=3\)/);
    assert.match(text, /L → L − 2/);
    assert.deepStrictEqual(
      hints.filter((h) => h.position.line === lineOf(doc, "new nn.ReLU()")).map(labelOf),
      [],
    );
  });

  it("functional calls show their sizes", async () => {
    const { doc, hints } = await hintsOf("modules.ts");
    assert.strictEqual(
      sizeAfter(doc, hints, "F.conv1d(torch.randn(1, 2, 64), w, null, { padding: 1 })"),
      "→ [1, 16, 64]",
    );
    assert.strictEqual(
      sizeAfter(doc, hints, "F.maxPool2d(torch.randn(1, 3, 32, 64), 2)"),
      "→ [1, 3, 16, 32]",
    );
  });

  it("a Linear call and a view show their sizes, their formulas in the tooltip", async () => {
    const { doc, hints } = await hintsOf("shape_calls.ts");
    assert.strictEqual(sizeAfter(doc, hints, "maps.view(-1, 16 * 5 * 5)"), "→ [2, 400]");
    assert.strictEqual(sizeAfter(doc, hints, "fc1.forward(flat)"), "→ [2, 120]");
    assert.strictEqual(sizeAfter(doc, hints, "hidden.matmul(torch.randn(120, 3))"), "→ [2, 3]");
    const tooltipAt = (call: string): string => {
      const line = lineOf(doc, call);
      const tip = hints.find(
        (h) => h.position.line === line && labelOf(h).startsWith("→"),
      )?.tooltip;
      return typeof tip === "string" ? tip : (tip?.value ?? "");
    };
    assert.match(tooltipAt("fc1.forward(flat)"), /in_features 400 → out_features 120/);
    assert.match(tooltipAt("maps.view(-1, 16 * 5 * 5)"), /16·5·5 = 400; -1 = 800\/400 = 2/);
  });

  it("hints stay on their calls while typing, before the next run", async () => {
    const { doc } = await hintsOf("conv_shapes.ts");
    const config = vscode.workspace.getConfiguration("gradlens");
    await config.update("autoRun", false, vscode.ConfigurationTarget.Global); // no run follows
    try {
      await editDocument(doc, "torch.manualSeed(0);", "// a new line above\ntorch.manualSeed(0);");
      const all = await inlayHints(doc);
      assert.strictEqual(sizeAfter(doc, all, "conv2.forward(image)"), "→ [1, 16, 62, 124]");
      assert.strictEqual(sizeAfter(doc, all, "up.forward(e)"), "→ [1, 10, 16, 16]");
    } finally {
      await config.update("autoRun", undefined, vscode.ConfigurationTarget.Global);
      await revert(doc);
    }
  });

  it("the first edit after a pause updates its hint at once, not after the typing pause", async () => {
    const { doc } = await hintsOf("conv_shapes.ts");
    const config = vscode.workspace.getConfiguration("gradlens");
    await config.update("autoRunDelayMs", 60_000, vscode.ConfigurationTarget.Global);
    try {
      await sleep(1000); // longer than the pause of the default delay, set when the edits before were made
      await editDocument(doc, "new nn.Conv1d(2, 16, 3)", "new nn.Conv1d(2, 16, 7)");
      // Within 20 s, while the pause is a minute: only the immediate run can have done it.
      await waitFor(
        "the new size",
        async () =>
          sizeAfter(doc, await inlayHints(doc), "conv1.forward(signal)") === "→ [1, 16, 58]",
      );
    } finally {
      await config.update("autoRunDelayMs", undefined, vscode.ConfigurationTarget.Global);
      await revert(doc);
    }
  });

  it("a request right after an edit is answered with the edit's run's hints, not the last run's", async () => {
    const { doc } = await hintsOf("conv_shapes.ts");
    try {
      await sleep(1000); // a pause: the edit runs at once
      // The run takes 400 ms more than it did: the request below comes while it is going.
      const slow = "for (const until = Date.now() + 400; Date.now() < until; );";
      await editDocument(doc, "new nn.Conv1d(2, 16, 3);", `new nn.Conv1d(2, 16, 7); ${slow}`);
      // One request, as VS Code makes after an edit; no polling.
      const all = await inlayHints(doc);
      assert.strictEqual(sizeAfter(doc, all, "conv1.forward(signal)"), "→ [1, 16, 58]");
    } finally {
      await revert(doc);
    }
  });

  it("gradlens.inlayHints.enabled = false hides them", async () => {
    const { doc } = await hintsOf("conv_shapes.ts");
    const config = vscode.workspace.getConfiguration("gradlens");
    const sizes = async () =>
      (await inlayHints(doc)).filter((h) => labelOf(h).startsWith("→")).length;
    await config.update("inlayHints.enabled", false, vscode.ConfigurationTarget.Global);
    try {
      await waitFor("the hints to go", async () => (await sizes()) === 0);
    } finally {
      await config.update("inlayHints.enabled", undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor("the hints to come back", async () => (await sizes()) > 0);
  });
});
