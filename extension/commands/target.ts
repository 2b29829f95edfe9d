// Which model file a command acts on: the one it was given (the editor-title button passes the
// file's URI, the panel its own file, tests a URI or a path), else the active editor's.
import * as vscode from "vscode";
import { GraphPanel } from "../graphPanel";
import { activeModelDocument, isModelDocument } from "../session/modelFiles";

export async function targetDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  const uri = toUri(arg);
  if (uri) return vscode.workspace.openTextDocument(uri);
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === "typescript" && !isModelDocument(active)) {
    void vscode.window.showWarningMessage(
      `${active.fileName} does not import "gradlens": Gradlens draws files that do ` +
        `(import * as torch from "gradlens").`,
    );
    return undefined;
  }
  const doc = activeModelDocument() ?? (await panelDocument());
  if (!doc) {
    void vscode.window.showInformationMessage(
      'Open a TypeScript file that imports "gradlens", or a Python file that imports torch, to see its computation graph.',
    );
  }
  return doc;
}

/** A URI from a command argument: a Uri, a string (path or URI), or `{ uri }`. */
export function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === "string")
    return arg.includes("://") ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  if (typeof arg === "object" && arg !== null && "uri" in arg) return toUri(arg.uri);
  return undefined;
}

/** With the panel focused there is no active editor: act on the panel's file. */
async function panelDocument(): Promise<vscode.TextDocument | undefined> {
  const uri = GraphPanel.currentPanel?.documentUri;
  return uri ? vscode.workspace.openTextDocument(uri) : undefined;
}
