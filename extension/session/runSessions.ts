/**
 * The run state of every model document: its latest RunResult, whether backward is on for it,
 * and the debounced re-run after edits. One run per document at a time: a request that arrives
 * while one is under way is folded into a single follow-up run on the newest text, so typing
 * never piles up workers. Everything that shows a run (panel, hints, diagnostics, status bar,
 * output) subscribes to onDidStart / onDidRun instead of running anything itself.
 */
import * as vscode from "vscode";
import type { RunRequest, RunResult } from "../runner/types";
import type { TrustGate } from "../trust";
import { documentFile, isModelDocument } from "./modelFiles";
import { readSettings } from "./settings";

export type Runner = (req: RunRequest) => Promise<RunResult>;
/** What Run Backward asked for; kept so that later runs of the file keep showing gradients. */
export type BackwardMode = { root?: string } | false;

export interface RunEvent {
  document: vscode.TextDocument;
  result: RunResult;
  /** The document version the run saw. */
  version: number;
}

interface DocState {
  latest?: RunResult;
  backward: BackwardMode;
  timer?: NodeJS.Timeout;
  running?: Promise<RunResult | undefined>;
  /** Callers waiting for the follow-up run requested while one was under way. */
  queued?: Array<(r: RunResult | undefined) => void>;
}

export class RunSessions implements vscode.Disposable {
  private readonly states = new Map<string, DocState>();
  private readonly started = new vscode.EventEmitter<vscode.TextDocument>();
  private readonly finished = new vscode.EventEmitter<RunEvent>();
  readonly onDidStart = this.started.event;
  readonly onDidRun = this.finished.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly runner: Runner,
    private readonly trust: TrustGate,
  ) {
    this.subscriptions = [
      this.started,
      this.finished,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.scheduleAutoRun(e.document);
      }),
      // A file shown for the first time gets its hints without waiting for an edit.
      vscode.window.onDidChangeVisibleTextEditors((editors) => this.runUnseen(editors)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
      trust.onDidChange((trusted) => trusted && this.runUnseen(vscode.window.visibleTextEditors)),
    ];
  }

  /** The latest finished run of a document, if any. */
  latest(uri: vscode.Uri): RunResult | undefined {
    return this.states.get(uri.toString())?.latest;
  }

  backwardMode(uri: vscode.Uri): BackwardMode {
    return this.states.get(uri.toString())?.backward ?? false;
  }

  isRunning(uri: vscode.Uri): boolean {
    return this.states.get(uri.toString())?.running !== undefined;
  }

  /**
   * Runs the document now (after the one under way, if any); `backward` switches Run Backward
   * on or off for this and later runs. Resolves undefined when the workspace is untrusted.
   */
  run(document: vscode.TextDocument, backward?: BackwardMode): Promise<RunResult | undefined> {
    if (!this.trust.isTrusted) return Promise.resolve(undefined);
    const st = this.state(document.uri);
    if (backward !== undefined) st.backward = backward;
    clearTimeout(st.timer);
    st.timer = undefined;
    if (st.running) {
      return new Promise((resolve) => (st.queued ??= []).push(resolve));
    }
    return this.start(document, st);
  }

  /** Visible model files that have never run (first shown, or trust just granted). */
  runUnseen(editors: readonly vscode.TextEditor[]): void {
    if (!this.trust.isTrusted) return;
    for (const doc of new Set(editors.map((e) => e.document))) {
      if (!isModelDocument(doc) || this.states.get(doc.uri.toString())?.latest) continue;
      if (!readSettings(doc.uri).autoRun || this.isRunning(doc.uri)) continue;
      void this.run(doc);
    }
  }

  private scheduleAutoRun(document: vscode.TextDocument): void {
    const settings = readSettings(document.uri);
    if (!settings.autoRun || !this.trust.isTrusted || !isModelDocument(document)) return;
    const st = this.state(document.uri);
    clearTimeout(st.timer);
    st.timer = setTimeout(() => {
      st.timer = undefined;
      if (!document.isClosed) void this.run(document);
    }, settings.autoRunDelayMs);
  }

  private async start(document: vscode.TextDocument, st: DocState): Promise<RunResult | undefined> {
    const running = this.execute(document, st);
    st.running = running;
    try {
      return await running;
    } finally {
      st.running = undefined;
      const waiting = st.queued;
      st.queued = undefined;
      if (waiting) {
        const next = document.isClosed ? Promise.resolve(undefined) : this.start(document, st);
        void next.then((r) => waiting.forEach((resolve) => resolve(r)));
      }
    }
  }

  private async execute(document: vscode.TextDocument, st: DocState): Promise<RunResult> {
    const settings = readSettings(document.uri);
    const version = document.version;
    const request: RunRequest = {
      file: documentFile(document),
      source: document.getText(),
      backward: st.backward,
      timeoutMs: settings.timeoutMs,
      memoryLimitMb: settings.memoryLimitMb,
    };
    this.started.fire(document);
    let result: RunResult;
    try {
      result = await this.runner(request);
    } catch (err) {
      // The runner reports the model's own failures in the result; this is the runner failing.
      result = runnerFailure(request.file, err);
    }
    if (this.states.get(document.uri.toString()) !== st) return result; // closed meanwhile
    st.latest = result;
    this.finished.fire({ document, result, version });
    return result;
  }

  private state(uri: vscode.Uri): DocState {
    const key = uri.toString();
    let st = this.states.get(key);
    if (!st) this.states.set(key, (st = { backward: false }));
    return st;
  }

  private forget(uri: vscode.Uri): void {
    const st = this.states.get(uri.toString());
    if (st) clearTimeout(st.timer);
    this.states.delete(uri.toString());
  }

  dispose(): void {
    for (const st of this.states.values()) clearTimeout(st.timer);
    this.states.clear();
    this.subscriptions.forEach((s) => s.dispose());
  }
}

function runnerFailure(file: string, err: unknown): RunResult {
  const message = err instanceof Error ? err.message : String(err);
  return {
    ok: false,
    graph: { file, nodes: [], edges: [], hasGradients: false, runMs: 0 },
    error: { kind: "runtime", message: `Gradlens could not run the file: ${message}` },
    logs: [],
    shapeHints: [],
    layerHints: [],
    roots: [],
    durationMs: 0,
  };
}
