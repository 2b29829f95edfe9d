// A failed run as an Error diagnostic on the failing line, in the "gradlens" collection:
// PyTorch's message first (so a search finds it), then our explanation. A later run that
// succeeds, or fails elsewhere, replaces it; closing the file clears it.
import * as vscode from "vscode";
import type { RunError } from "../runProtocol/types";
import { isSameFile } from "../session/modelFiles";
import type { RunEvent } from "../session/runSessions";
import { PlacedDiagnostics } from "./placedDiagnostics";

export class RunDiagnostics extends PlacedDiagnostics {
  constructor() {
    super("gradlens");
  }

  update({ document, result }: RunEvent): void {
    const err = result.error;
    if (!err || result.cancelled) return this.clear(document.uri);
    // A run that ended with no known line (a time-out before any code of the user's ran, a
    // crash of the worker) still says why: on the model file's first line.
    const location = err.location ?? { file: document.uri.fsPath, line: 1, column: 1 };
    const target = isSameFile(location.file, document) ? document.uri : vscode.Uri.file(location.file);
    const text = target === document.uri ? document : undefined;
    const diagnostic = toDiagnostic(err, location.line, text);
    this.place(document.uri, new Map([[target.toString(), [target, [diagnostic]]]]));
  }
}

function toDiagnostic(err: RunError, line: number, doc?: vscode.TextDocument): vscode.Diagnostic {
  const message = err.explanation ? `${err.message}\n\n${err.explanation}` : err.message;
  const d = new vscode.Diagnostic(
    lineRange(line - 1, doc),
    message,
    vscode.DiagnosticSeverity.Error,
  );
  d.source = "gradlens";
  d.code = err.kind;
  return d;
}

/** The line's text without its indentation, so the squiggle sits under the code. */
export function lineRange(line: number, doc?: vscode.TextDocument): vscode.Range {
  if (!doc || line < 0 || line >= doc.lineCount) {
    return new vscode.Range(Math.max(0, line), 0, Math.max(0, line), Number.MAX_SAFE_INTEGER);
  }
  const l = doc.lineAt(line);
  if (l.isEmptyOrWhitespace) return l.range;
  return new vscode.Range(line, l.firstNonWhitespaceCharacterIndex, line, l.range.end.character);
}
