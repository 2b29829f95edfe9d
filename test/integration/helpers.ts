// Shared steps of the Gradlens integration tests: open a fixture model, wait for a run or a
// drawing, ask the extension what it has (through its test-only commands), and compute what
// the engine itself says about the same model.
import * as assert from "assert";
import * as vscode from "vscode";
import type * as torch from "../../engine";
import type { RenderedReport } from "../../extension/graphPanel";
import type { RunResult } from "../../extension/runProtocol/types";

export const EXTENSION_ID = "gradlens.gradlens";

/** The panel's last drawing (empty before the first), whether it is visible and its page ready. */
export type Rendered = RenderedReport & { visible: boolean; ready: boolean };

export async function activate(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  await ext.activate();
}

/** Skips the calling suite unless the workspace is trusted (the `--untrusted` run). */
export function requireTrust(ctx: Mocha.Context): void {
  if (!vscode.workspace.isTrusted) ctx.skip();
}

export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "no workspace folder is open");
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Opens a fixture model in an editor (which starts its first run) and returns the editor. */
export async function openFixture(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(name));
  return vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
}

/** Polls `probe` until it returns something other than undefined/false. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? ` (last error: ${last.message})` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function lastResult(uri: vscode.Uri): Thenable<RunResult | undefined> {
  return vscode.commands.executeCommand<RunResult | undefined>("gradlens._test.lastResult", uri);
}

export function lastRendered(): Thenable<Rendered | undefined> {
  return vscode.commands.executeCommand<Rendered | undefined>("gradlens._test.lastRendered");
}

/** The first run result of `uri` that is not `previous` (and satisfies `accept`). */
export function nextResult(
  uri: vscode.Uri,
  previous?: RunResult,
  accept: (r: RunResult) => boolean = () => true,
  timeoutMs?: number,
): Promise<RunResult> {
  return waitFor(
    `a new run of ${uri.path}`,
    async () => {
      const r = await lastResult(uri);
      return r && r !== previous && accept(r) ? r : undefined;
    },
    timeoutMs,
  );
}

/** The page's next drawing after `afterSeq` that satisfies `accept`. */
export function nextRendered(
  afterSeq: number,
  accept: (r: Rendered) => boolean = () => true,
): Promise<Rendered> {
  return waitFor("the graph page to report a drawing", async () => {
    const r = await lastRendered();
    return r && r.seq > afterSeq && accept(r) ? r : undefined;
  });
}

export async function renderedSeq(): Promise<number> {
  return (await lastRendered())?.seq ?? 0;
}

/** The 0-based line of the first line containing `text`. */
export function lineOf(doc: vscode.TextDocument, text: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(text)) return i;
  throw new Error(`no line containing ${JSON.stringify(text)} in ${doc.uri.path}`);
}

/** grad_fn names of every autograd node reachable from `root`, counted (the engine's graph). */
export function engineOpCounts(root: torch.Tensor): Map<string, number> {
  const counts = new Map<string, number>();
  const seen = new Set<unknown>();
  const stack = root.gradFn ? [root.gradFn] : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    counts.set(node.name, (counts.get(node.name) ?? 0) + 1);
    for (const [next] of node.nextFunctions) if (next) stack.push(next);
  }
  return counts;
}

/** The same count over a run's graph: its op nodes by label. */
export function graphOpCounts(result: RunResult): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of result.graph.nodes) {
    if (n.kind === "op") counts.set(n.label, (counts.get(n.label) ?? 0) + 1);
  }
  return counts;
}

export function sorted(counts: Map<string, number>): Array<[string, number]> {
  return [...counts].sort(([a], [b]) => a.localeCompare(b));
}

/** Replaces the first occurrence of `from` in the open document, without saving. */
export async function editDocument(doc: vscode.TextDocument, from: string, to: string) {
  const at = doc.getText().indexOf(from);
  assert.ok(at >= 0, `${JSON.stringify(from)} is not in ${doc.uri.path}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + from.length)), to);
  assert.ok(await vscode.workspace.applyEdit(edit), "the edit was not applied");
}

/**
 * Drops unsaved edits of a fixture model so the next test (and the repo) sees it as committed,
 * and waits for the run of the reverted text, so that no later test sees a stale result.
 */
export async function revert(doc: vscode.TextDocument): Promise<void> {
  if (!doc.isDirty) return;
  const before = await lastResult(doc.uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand("workbench.action.files.revert");
  await nextResult(doc.uri, before);
}

/** Every inlay hint VS Code gets from the providers for the whole document. */
export function inlayHints(doc: vscode.TextDocument): Thenable<vscode.InlayHint[]> {
  return vscode.commands.executeCommand<vscode.InlayHint[]>(
    "vscode.executeInlayHintProvider",
    doc.uri,
    new vscode.Range(0, 0, doc.lineCount, 0),
  );
}

/** An inlay hint's text, whether its label is a string or parts. */
export function labelOf(h: vscode.InlayHint): string {
  return typeof h.label === "string" ? h.label : h.label.map((p) => p.value).join("");
}
