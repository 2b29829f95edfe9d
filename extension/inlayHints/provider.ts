// Output sizes after conv / pool calls (`→ [1, 16, 62, 124]`) and size formulas after layer
// constructions, from the latest run of the file. The run computed every number; this class
// only places them (after the call's closing parenthesis, carried over edits made since the
// run) and re-asks VS Code when a run ends.
import * as vscode from "vscode";
import type { LayerHint, RunResult, ShapeHint } from "../runner/types";
import { isSameFile } from "../session/modelFiles";
import type { RunSessions } from "../session/runSessions";
import { readSettings } from "../session/settings";
import { callEnd } from "./callEnd";
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
    for (const group of this.placesFor(document, result)) {
      if (!range.contains(group.position)) continue;
      const hint = new vscode.InlayHint(group.position, group.label, vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      hint.tooltip = group.tooltip;
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
    const places = groupByPlace(document, result, new TextMap(source, document.getText()));
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

/**
 * One hint per place in this document: a call run several times (a loop, a shared layer) lists
 * each distinct output size once; a layer hint and a shape hint at one place stay separate.
 */
function groupByPlace(document: vscode.TextDocument, result: RunResult, text: TextMap): Placed[] {
  const groups = new Map<string, { position: vscode.Position; shapes: ShapeHint[] }>();
  const placed: Placed[] = [];
  for (const h of result.layerHints) {
    const position = isSameFile(h.location.file, document) && afterCall(document, text, h.location);
    if (position) placed.push({ position, label: h.formula, tooltip: layerTooltip(h) });
  }
  for (const h of result.shapeHints) {
    const position = isSameFile(h.location.file, document) && afterCall(document, text, h.location);
    if (!position) continue;
    const key = `${position.line}:${position.character}`;
    const group = groups.get(key) ?? { position, shapes: [] };
    group.shapes.push(h);
    groups.set(key, group);
  }
  for (const { position, shapes } of groups.values()) {
    const distinct = [...new Set(shapes.map((s) => formatShape(s.outputShape)))];
    placed.push({ position, label: `→ ${distinct.join(", ")}`, tooltip: shapeTooltip(shapes) });
  }
  return placed;
}

/** Just past the `)` of the call that starts at `loc` (else its line's end), in today's text. */
function afterCall(
  document: vscode.TextDocument,
  text: TextMap,
  loc: { line: number; column: number },
): vscode.Position | undefined {
  const start = text.offsetOf(loc.line, loc.column);
  if (start === undefined) return undefined;
  const newline = text.before.indexOf("\n", start);
  const lineEnd =
    newline < 0 ? text.before.length : newline - (text.before[newline - 1] === "\r" ? 1 : 0);
  const end = callEnd(text.before, start) ?? lineEnd;
  const now = text.map(end);
  return now === undefined ? undefined : document.positionAt(now);
}

function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

function shapeTooltip(shapes: ShapeHint[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const seen = new Set<string>();
  for (const s of shapes) {
    const key = `${s.formula}|${formatShape(s.inputShape)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    md.appendMarkdown(`**${s.op}** `);
    md.appendMarkdown(`\`${formatShape(s.inputShape)}\` → \`${formatShape(s.outputShape)}\`\n\n`);
    md.appendCodeblock(s.formula, "text");
  }
  const docs = [...new Set(shapes.map((s) => s.documentation))];
  for (const d of docs) md.appendMarkdown(`\n\n${d}`);
  return md;
}

function layerTooltip(h: LayerHint): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${h.description}**\n\n`);
  md.appendCodeblock(h.formula, "text");
  return md;
}
