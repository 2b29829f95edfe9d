// Output sizes after conv / pool calls (`→ [1, 16, 62, 124]`) and size formulas after layer
// constructions, from the latest run of the file. The run computed every number and places.ts
// decides where each goes (after the call's closing parenthesis, carried over edits made since
// the run); this class hands them to VS Code and re-asks it when a run ends.
import * as vscode from "vscode";
import type { RunResult } from "../runProtocol/types";
import { isSameFile } from "../session/modelFiles";
import type { RunSessions } from "../session/runSessions";
import { readSettings } from "../session/settings";
import { placeHints } from "./places";
import { TextMap } from "./textMap";

export class GradlensInlayHintsProvider implements vscode.InlayHintsProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly sessions: RunSessions) {
    this.subscriptions = [
      sessions.onDidRun(() => this.emitter.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("gradlens.inlayHints")) this.emitter.fire();
      }),
    ];
  }

  provideInlayHints(document: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    const result = this.sessions.latest(document.uri);
    if (!result || !readSettings(document.uri).inlayHints) return [];
    const hints: vscode.InlayHint[] = [];
    for (const place of this.placesFor(document, result)) {
      if (!range.contains(place.position)) continue;
      const hint = new vscode.InlayHint(place.position, place.label, vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      hint.tooltip = place.tooltip;
      hints.push(hint);
    }
    return hints;
  }

  // VS Code asks again on every scroll: place a run's hints once per document version.
  private readonly cache = new WeakMap<RunResult, { version: number; places: Placed[] }>();

  private placesFor(document: vscode.TextDocument, result: RunResult): Placed[] {
    const cached = this.cache.get(result);
    if (cached?.version === document.version) return cached.places;
    const source = this.sessions.latestSource(document.uri) ?? document.getText();
    const text = new TextMap(source, document.getText());
    const places = placeHints(result, (file) => isSameFile(file, document), text).map((p) => ({
      position: document.positionAt(p.offset),
      label: p.label,
      tooltip: new vscode.MarkdownString(p.tooltip),
    }));
    this.cache.set(result, { version: document.version, places });
    return places;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.emitter.dispose();
  }
}

interface Placed {
  position: vscode.Position;
  label: string;
  tooltip: vscode.MarkdownString;
}
