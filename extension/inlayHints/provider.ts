// Output sizes after conv / pool calls (`→ [1, 16, 62, 124]`) and size formulas after layer
// constructions, from the latest run of the file. The run computed every number and places.ts
// decides where each goes (after the call's closing parenthesis, carried over edits made since
// the run); this class hands them to VS Code and re-asks it when a run ends.
import * as vscode from "vscode";
import type { RunHints } from "../runProtocol/types";
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
      sessions.onDidHint(() => this.emitter.fire()),
      sessions.onDidRun(() => this.emitter.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("gradlens.inlayHints")) this.emitter.fire();
      }),
    ];
  }

  async provideInlayHints(
    document: vscode.TextDocument,
    range: vscode.Range,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlayHint[]> {
    // Asked right after an edit: the edit's run is going, and its hints come in tens of ms.
    await settledOrCancelled(this.sessions.hintsOf(document), token, MAX_WAIT_MS);
    if (token.isCancellationRequested) return [];
    // A run's hints as soon as its model code finished; while the latest run failed mid-edit,
    // the last good run's (mapped to this text).
    const shown = this.sessions.hints(document.uri);
    if (!shown || !readSettings(document.uri).inlayHints) return [];
    const hints: vscode.InlayHint[] = [];
    for (const place of this.placesFor(document, shown.hints, shown.source)) {
      if (!range.contains(place.position)) continue;
      const hint = new vscode.InlayHint(place.position, place.label, vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      hint.tooltip = place.tooltip;
      hints.push(hint);
    }
    return hints;
  }

  // VS Code asks again on every scroll: place a run's hints once per document version.
  private readonly cache = new WeakMap<RunHints, { version: number; places: Placed[] }>();

  /** Where `hints`, computed on `source`, go in today's text of `document`. */
  private placesFor(document: vscode.TextDocument, hints: RunHints, source: string): Placed[] {
    const cached = this.cache.get(hints);
    if (cached?.version === document.version) return cached.places;
    const text = new TextMap(source, document.getText());
    const places = placeHints(hints, (file) => isSameFile(file, document), text).map((p) => ({
      position: document.positionAt(p.offset),
      label: p.label,
      tooltip: new vscode.MarkdownString(p.tooltip),
    }));
    this.cache.set(hints, { version: document.version, places });
    return places;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.emitter.dispose();
  }
}

/** A model slower than this: its old hints are shown meanwhile, and a change event follows. */
const MAX_WAIT_MS = 1000;

/** Resolves when `p` settles, the request is cancelled or `ms` have passed, whichever is first. */
function settledOrCancelled(p: Promise<void>, token: vscode.CancellationToken, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let cancelled: vscode.Disposable | undefined;
  return Promise.race([
    p,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      cancelled = token.onCancellationRequested(() => resolve());
    }),
  ]).finally(() => {
    clearTimeout(timer);
    cancelled?.dispose();
  });
}

interface Placed {
  position: vscode.Position;
  label: string;
  tooltip: vscode.MarkdownString;
}
