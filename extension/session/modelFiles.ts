// Which documents are Gradlens model files, and the path a run of one is given.
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";

/** The languages a model file may be written in. */
export const MODEL_LANGUAGES = ["typescript"] as const;

// `import ... from "gradlens"`, `import "gradlens"`, `require("gradlens")`, `import("gradlens")`,
// subpaths included. A regex, not a parse: it runs on every edit.
const IMPORTS_GRADLENS =
  /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']gradlens(?:\/[^"']*)?["']/;

/** Whether a source text imports the engine. */
export function importsGradlens(text: string): boolean {
  return IMPORTS_GRADLENS.test(text);
}

/** A TypeScript document (saved or untitled) that imports `gradlens`. */
export function isModelDocument(doc: vscode.TextDocument): boolean {
  return (
    (MODEL_LANGUAGES as readonly string[]).includes(doc.languageId) &&
    (doc.uri.scheme === "file" || doc.uri.scheme === "untitled") &&
    importsGradlens(doc.getText())
  );
}

/**
 * The absolute path a run of `doc` is told it has: its own for a saved file; for an untitled
 * one a name in the first workspace folder (so relative imports resolve there) or the temp dir.
 */
export function documentFile(doc: vscode.TextDocument): string {
  if (doc.uri.scheme === "file") return doc.uri.fsPath;
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === "file");
  const base = folder ? folder.uri.fsPath : os.tmpdir();
  return path.join(base, `${path.basename(doc.uri.path) || "untitled"}.ts`);
}

/** Whether a location's file is `doc` (runs may report places in files it imports). */
export function isSameFile(file: string | undefined, doc: vscode.TextDocument): boolean {
  if (!file) return true;
  return path.resolve(file) === path.resolve(documentFile(doc));
}

/** The model document of the active editor, else of the first visible editor that has one. */
export function activeModelDocument(): vscode.TextDocument | undefined {
  const active = vscode.window.activeTextEditor?.document;
  if (active && isModelDocument(active)) return active;
  return vscode.window.visibleTextEditors.map((e) => e.document).find(isModelDocument);
}
