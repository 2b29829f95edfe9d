// Which documents are Gradlens model files, and the path a run of one is given.
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";

/** The languages a model file may be written in (Python runs on the Python front end). */
export const MODEL_LANGUAGES = ["typescript", "python"] as const;

// `import ... from "gradlens"`, `import "gradlens"`, `require("gradlens")`, `import("gradlens")`,
// subpaths included. A regex, not a parse: it runs on every edit.
const IMPORTS_GRADLENS =
  /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']gradlens(?:\/[^"']*)?["']/;

/** Whether a source text imports the engine. */
export function importsGradlens(text: string): boolean {
  return IMPORTS_GRADLENS.test(text);
}

// `import torch`, `import torch.nn as nn`, `from torch import nn`, `import tensorflow as tf`,
// `from mxnet import autograd, np, npx`: at the start of a line.
const IMPORTS_FRAMEWORK =
  /^[ \t]*(?:import[ \t]+(?:torch|tensorflow|mxnet)\b|from[ \t]+(?:torch|tensorflow|mxnet)(?:\.\w+)*[ \t]+import\b)/m;

/** Whether a Python source text imports PyTorch, TensorFlow or MXNet (what Gradlens runs it on). */
export function importsFramework(text: string): boolean {
  return IMPORTS_FRAMEWORK.test(text);
}

/** A TypeScript document that imports `gradlens`, or a Python one that imports torch/tensorflow/mxnet (saved or untitled). */
export function isModelDocument(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== "file" && doc.uri.scheme !== "untitled") return false;
  if (doc.languageId === "typescript") return importsGradlens(doc.getText());
  return doc.languageId === "python" && importsFramework(doc.getText());
}

/**
 * The absolute path a run of `doc` is told it has: its own for a saved file; for an untitled
 * one a name in the first workspace folder (so relative imports resolve there) or the temp dir.
 */
export function documentFile(doc: vscode.TextDocument): string {
  if (doc.uri.scheme === "file") return doc.uri.fsPath;
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === "file");
  const base = folder ? folder.uri.fsPath : os.tmpdir();
  const ext = doc.languageId === "python" ? ".py" : ".ts";
  return path.join(base, `${path.basename(doc.uri.path) || "untitled"}${ext}`);
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
