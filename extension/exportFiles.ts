// Where an exported graph goes: the save dialog, and the file written from the page's data.
import * as path from "path";
import * as vscode from "vscode";

export type ExportFormat = "png" | "svg" | "json";

export const EXPORT_FORMATS: ReadonlyArray<{
  format: ExportFormat;
  label: string;
  filter: string;
}> = [
  { format: "png", label: "PNG image", filter: "PNG" },
  { format: "svg", label: "SVG drawing", filter: "SVG" },
  { format: "json", label: "JSON (the graph's nodes and edges)", filter: "JSON" },
];

/** The save dialog, next to the model file, named after it. */
export function askExportTarget(
  model: vscode.Uri | undefined,
  format: ExportFormat,
): Thenable<vscode.Uri | undefined> {
  const entry = EXPORT_FORMATS.find((f) => f.format === format)!;
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

/** Writes what the page exported (png arrives as base64) and says where it went. */
export async function writeExport(
  target: vscode.Uri,
  format: ExportFormat,
  data: string,
): Promise<void> {
  const bytes = format === "png" ? Buffer.from(data, "base64") : new TextEncoder().encode(data);
  await vscode.workspace.fs.writeFile(target, bytes);
  void vscode.window.showInformationMessage(`Graph saved to ${target.fsPath}`);
}
