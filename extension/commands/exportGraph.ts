// Gradlens: Export Graph — the page draws the image (it has the layout), the host saves it.
import * as path from "path";
import * as vscode from "vscode";
import { GraphPanel, type ExportFormat } from "../graphPanel";
import type { Services } from "./services";
import { targetDocument, toUri } from "./target";

const FORMATS: ReadonlyArray<{ format: ExportFormat; label: string; filter: string }> = [
  { format: "png", label: "PNG image", filter: "PNG" },
  { format: "svg", label: "SVG drawing", filter: "SVG" },
  { format: "json", label: "JSON (the graph's nodes and edges)", filter: "JSON" },
];

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
    FORMATS.find((f) => f.format === given.format)?.format ??
    (await vscode.window.showQuickPick(FORMATS, { title: "Export the graph as" }))?.format;
  if (!format) return undefined;
  const target = toUri(given.uri) ?? (await askTarget(panel.documentUri, format));
  if (!target) return undefined;
  panel.reveal(); // a hidden page is not loaded and could not answer
  const data = await panel.requestExport(format);
  const bytes = format === "png" ? Buffer.from(data, "base64") : new TextEncoder().encode(data);
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(`Graph saved to ${target.fsPath}`);
  return target;
}

function askTarget(model: vscode.Uri | undefined, format: ExportFormat) {
  const entry = FORMATS.find((f) => f.format === format)!;
  const base = model ? path.basename(model.path).replace(/\.[^.]+$/, "") : "graph";
  const folder = model
    ? vscode.Uri.joinPath(model, "..")
    : vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `${base}-graph.${format}`;
  return vscode.window.showSaveDialog({
    title: "Export the graph",
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: { [entry.filter]: [format] },
  });
}
