// Gradlens: Export Graph — the page draws the image (it has the layout), the host saves it.
import * as vscode from "vscode";
import { GraphPanel } from "../graphPanel";
import { askExportTarget, EXPORT_FORMATS, writeExport } from "../exportFiles";
import type { Services } from "./services";
import { targetDocument, toUri } from "./target";

/** `arg`: optional `{ format, uri }` (what the pickers would ask), for keybindings and tests. */
export async function exportGraph(s: Services, arg?: unknown): Promise<vscode.Uri | undefined> {
  const given = typeof arg === "object" && arg !== null ? (arg as Record<string, unknown>) : {};
  let panel = GraphPanel.currentPanel;
  if (!panel) {
    const doc = await targetDocument(undefined);
    if (!doc) return undefined;
    panel = GraphPanel.createOrShow(s, doc);
  }
  const shown = panel.documentUri && s.sessions.latest(panel.documentUri);
  if (!shown || shown.graph.nodes.length === 0) {
    void vscode.window.showInformationMessage("Gradlens: there is no graph to export yet.");
    return undefined;
  }
  const format =
    EXPORT_FORMATS.find((f) => f.format === given.format)?.format ??
    (await vscode.window.showQuickPick(EXPORT_FORMATS, { title: "Export the graph as" }))?.format;
  if (!format) return undefined;
  const target = toUri(given.uri) ?? (await askExportTarget(panel.documentUri, format));
  if (!target) return undefined;
  panel.reveal(); // a hidden page is not loaded and could not answer
  await writeExport(target, format, await panel.requestExport(format));
  return target;
}
