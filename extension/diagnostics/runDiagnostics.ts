// A failed run as an Error diagnostic on the failing line, in the "gradlens" collection:
// PyTorch's message first (so a search finds it), then our explanation. When the failure comes
// from a layer's settings, a second diagnostic sits on the line that constructed the layer (where
// the fix goes), and each points at the other as related information. A later run that
// succeeds, or fails elsewhere, replaces them; closing the file clears them.
import * as vscode from "vscode";
import type { RunError } from "../runProtocol/types";
import type { SourceLocation } from "../../webview/protocol";
import { label } from "../codeActions/quickFixes";
import { isSameFile } from "../session/modelFiles";
import type { RunEvent } from "../session/runSessions";
import { PlacedDiagnostics } from "./placedDiagnostics";

/** The code of the diagnostic on a layer's construction (the failing call's is the error kind). */
export const LAYER_CODE = "layer";

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
    const place = (loc: SourceLocation) => {
      const uri = isSameFile(loc.file, document) ? document.uri : vscode.Uri.file(loc.file);
      const range = lineRange(loc.line - 1, uri === document.uri ? document : undefined);
      return { uri, range };
    };
    const failed = place(location);
    const main = toDiagnostic(err, failed.range);
    const byFile = new Map<string, [vscode.Uri, vscode.Diagnostic[]]>();
    const add = (uri: vscode.Uri, d: vscode.Diagnostic) => {
      const entry = byFile.get(uri.toString()) ?? [uri, []];
      entry[1].push(d);
      byFile.set(uri.toString(), entry);
    };
    add(failed.uri, main);
    if (err.layer) {
      const layer = place(err.layer.location);
      const name = label(err.layer);
      const second = new vscode.Diagnostic(
        layer.range,
        `${name}: the call on line ${location.line} fails with these settings\n\n${main.message}`,
        vscode.DiagnosticSeverity.Error,
      );
      second.source = "gradlens";
      second.code = LAYER_CODE;
      second.relatedInformation = [
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(failed.uri, failed.range),
          `the call that failed with ${name}'s settings`,
        ),
      ];
      main.relatedInformation = [
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(layer.uri, layer.range),
          `${name} is constructed here: the fix goes here`,
        ),
      ];
      add(layer.uri, second);
    }
    this.place(document.uri, byFile);
  }
}

function toDiagnostic(err: RunError, range: vscode.Range): vscode.Diagnostic {
  const message = err.explanation ? `${err.message}\n\n${err.explanation}` : err.message;
  const d = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
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
