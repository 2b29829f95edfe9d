// The gradient warnings of a run (vanishing, exploding, zero, missing, NaN/Inf gradients: see
// sandbox/graph/gradientWarnings.ts) as Information diagnostics on their layers' lines, in a
// collection of their own so that they never mix with a run's error. Each run replaces them
// (a run without backward keeps the last backward's, saying so); closing the file clears them.
import * as vscode from "vscode";
import type { GradientWarning } from "../../webview/protocol";
import { isSameFile } from "../session/modelFiles";
import { PlacedDiagnostics } from "./placedDiagnostics";
import { lineRange } from "./runDiagnostics";
import type { RunEvent } from "../session/runSessions";

export class GradientDiagnostics extends PlacedDiagnostics {
  constructor() {
    super("gradlens-gradients");
  }

  update({ document, result }: RunEvent): void {
    const perFile = new Map<string, [vscode.Uri, vscode.Diagnostic[]]>();
    for (const w of result.cancelled ? [] : (result.graph.warnings ?? [])) {
      if (!w.location) continue;
      const same = isSameFile(w.location.file, document);
      const uri = same ? document.uri : vscode.Uri.file(w.location.file);
      const entry = perFile.get(uri.toString()) ?? [uri, []];
      entry[1].push(toDiagnostic(w, same ? document : undefined));
      perFile.set(uri.toString(), entry);
    }
    this.place(document.uri, perFile);
  }
}

function toDiagnostic(w: GradientWarning, doc?: vscode.TextDocument): vscode.Diagnostic {
  const range = lineRange(w.location!.line - 1, doc);
  const message = w.stale
    ? `${w.message} (from the last backward: run it again to update)`
    : w.message;
  const d = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Information);
  d.source = "gradlens";
  d.code = `gradient-${w.kind}`;
  return d;
}
