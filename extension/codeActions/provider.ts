// Quick fixes for a failed run's diagnostics (the light bulb): the fixes quickFixes.ts computes
// from the run's typed failure, placed in today's text (the run may have seen an older one).
// Applying one edits the file, and the edit re-runs it.
import * as vscode from "vscode";
import type { SourceLocation } from "../../webview/protocol";
import { TextMap } from "../inlayHints/textMap";
import { isSameFile } from "../session/modelFiles";
import type { RunSessions } from "../session/runSessions";
import { quickFixes } from "./quickFixes";

export class GradlensQuickFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(private readonly sessions: RunSessions) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === "gradlens");
    const error = this.sessions.latest(document.uri)?.error;
    const source = this.sessions.latestSource(document.uri);
    if (ours.length === 0 || !error?.fix || source === undefined) return [];
    const text = document.getText();
    const map = new TextMap(source, text);
    const offsetOf = (loc: SourceLocation): number | undefined => {
      if (!isSameFile(loc.file, document)) return undefined;
      const before = map.offsetOf(loc.line, loc.column);
      return before === undefined ? undefined : map.map(before);
    };
    return quickFixes(error, { text, offsetOf }).map((fix, i) => {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      for (const e of fix.edits) {
        const range = new vscode.Range(document.positionAt(e.start), document.positionAt(e.end));
        action.edit.replace(document.uri, range, e.newText);
      }
      action.diagnostics = ours;
      action.isPreferred = i === 0;
      return action;
    });
  }
}
