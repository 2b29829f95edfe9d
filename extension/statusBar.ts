// The status-bar item: the active model file's last run (time, node count) or why there is none.
// Clicking it opens the graph.
import * as vscode from "vscode";
import { isModelDocument } from "./session/modelFiles";
import type { RunSessions } from "./session/runSessions";
import { UNTRUSTED_MESSAGE, type TrustGate } from "./trust";

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    "gradlens.status",
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly sessions: RunSessions,
    private readonly trust: TrustGate,
  ) {
    this.item.name = "Gradlens";
    this.item.command = "gradlens.showGraph";
    const refresh = () => this.refresh();
    this.subscriptions = [
      sessions.onDidStart(refresh),
      sessions.onDidRun(refresh),
      trust.onDidChange(refresh),
      vscode.window.onDidChangeActiveTextEditor(refresh),
    ];
    this.refresh();
  }

  /** The text shown now (tests read it). */
  get text(): string {
    return this.item.text;
  }

  private refresh(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !isModelDocument(doc)) {
      this.item.hide();
      return;
    }
    const result = this.sessions.latest(doc.uri);
    if (!this.trust.isTrusted) {
      this.set("$(shield) Gradlens: not run", UNTRUSTED_MESSAGE);
    } else if (this.sessions.isRunning(doc.uri)) {
      this.set("$(sync~spin) Gradlens", "Running the model file…");
    } else if (!result) {
      this.set("$(type-hierarchy) Gradlens", "Show the computation graph");
    } else {
      const nodes = result.graph.nodes.length;
      const ms = Math.round(result.durationMs);
      const summary = `${nodes} node${nodes === 1 ? "" : "s"} · ${ms} ms`;
      if (result.ok) this.set(`$(type-hierarchy) ${summary}`, "Last run: show the graph");
      else this.set(`$(error) ${summary}`, result.error?.message ?? "The last run failed");
    }
    this.item.show();
  }

  private set(text: string, tooltip: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
