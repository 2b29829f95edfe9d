/**
 * The run state of every model document: its latest RunResult, whether backward is on for it,
 * and the re-runs after edits. A run requested while one is under way replaces it (the runner
 * stops the older run of the same file), and only the newest run's result is published: a stale
 * one never overwrites what a later edit produced. Everything that shows a run (panel, hints,
 * diagnostics, status bar, output) subscribes to onDidStart / onDidRun instead of running
 * anything itself.
 *
 * After edits: the first edit after a pause runs at once (changing a kernel size updates its
 * hint in tens of milliseconds), and the file runs again once typing has paused for
 * `autoRunDelayMs`. The immediate run is tentative: if it fails (the user is likely mid-word)
 * nobody sees it, so errors do not flash while typing; the run after the pause reports them.
 */
import * as vscode from "vscode";
import type { RunHints, RunRequest, RunResult } from "../runProtocol/types";
import type { TrustGate } from "../trust";
import { documentFile, isModelDocument, isSameFile } from "./modelFiles";
import { readSettings } from "./settings";
import { shownRun, type SeenRun, type ShownRun } from "./shownRun";
import { keepWarnings, withStaleWarnings, type KeptWarnings } from "./staleWarnings";

export type Runner = (req: RunRequest, onHints?: (hints: RunHints) => void) => Promise<RunResult>;
/** What Run Backward asked for; kept so that later runs of the file keep showing gradients. */
export type BackwardMode = { root?: string } | false;

export interface RunEvent {
  document: vscode.TextDocument;
  result: RunResult;
  /** The document version the run saw. */
  version: number;
}

/** One run under way: the text it was given; a tentative one is not published if it fails. */
interface Job {
  source: string;
  /** Unsaved texts of other files (the model's imports among them), by path. */
  texts?: Record<string, string>;
  tentative: boolean;
  /** The document version the run was given. */
  version: number;
  /** Settles once the run's hints are in or the run has ended (`hintsOf`). */
  hinted: Promise<void>;
  settleHints(): void;
}

/** What a run's outcome depends on in the editor: the model's text and the unsaved others. */
const inputsOf = (source: string, texts?: Record<string, string>): string =>
  `${source}\0${JSON.stringify(texts ?? {})}`;

interface DocState {
  /** The model document (kept so that an edit to a file it imports can re-run it). */
  document?: vscode.TextDocument;
  latest?: RunResult;
  /** The text the latest run saw (the editor's may have moved on since). */
  latestSource?: string;
  /** inputsOf() of the latest published run. */
  latestInputs?: string;
  /** The latest run that worked, kept in view (stale) while later runs fail mid-edit. */
  good?: SeenRun;
  /** The run number of `latest`. */
  latestGeneration: number;
  /** The hints of the newest run whose model code finished, and the text it ran. */
  hinted?: { generation: number; hints: RunHints; source: string };
  backward: BackwardMode;
  /** The warnings of the latest run with gradients: they stay (stale) until the next one. */
  lastBackward?: KeptWarnings;
  /** The re-run after the typing pause, while it is pending. */
  timer?: NodeJS.Timeout;
  job?: Job;
  /** The newest run under way, and its number (older runs compare theirs to it). */
  running?: Promise<RunResult>;
  generation: number;
}

export class RunSessions implements vscode.Disposable {
  private readonly states = new Map<string, DocState>();
  private readonly started = new vscode.EventEmitter<vscode.TextDocument>();
  private readonly finished = new vscode.EventEmitter<RunEvent>();
  private readonly hinted = new vscode.EventEmitter<vscode.TextDocument>();
  readonly onDidStart = this.started.event;
  readonly onDidRun = this.finished.event;
  /** A run's hints are in, ahead of its result (see `hints`). */
  readonly onDidHint = this.hinted.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly runner: Runner,
    private readonly trust: TrustGate,
  ) {
    this.subscriptions = [
      this.started,
      this.finished,
      this.hinted,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        this.scheduleAutoRun(e.document);
        this.scheduleImporters(e.document);
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

  /** The text the latest finished run of a document was given. */
  latestSource(uri: vscode.Uri): string | undefined {
    return this.states.get(uri.toString())?.latestSource;
  }

  /**
   * The run the graph and the hints show: the latest, or the last good one (stale) while the
   * latest failed before reaching the model's ops (see shownRun.ts). Errors follow `latest`.
   */
  shown(uri: vscode.Uri): ShownRun | undefined {
    const st = this.states.get(uri.toString());
    const latest =
      st?.latest && st.latestSource !== undefined
        ? { result: st.latest, source: st.latestSource }
        : undefined;
    return shownRun(latest, st?.good);
  }

  /**
   * The size hints to show and the text they were computed on: those of the newest run whose
   * model code has finished (its result may still be on its way), else the shown run's (the
   * last good one while the latest failed mid-edit).
   */
  hints(uri: vscode.Uri): { hints: RunHints; source: string } | undefined {
    const st = this.states.get(uri.toString());
    if (st?.hinted && st.hinted.generation > st.latestGeneration) return st.hinted;
    const shown = this.shown(uri);
    return shown && { hints: shown.result, source: shown.source };
  }

  /**
   * Resolves once the run under way on this very text of the document has its hints, or has
   * ended; at once when there is none. VS Code asks for hints right after an edit, before the
   * edit's run has them: waiting answers that request with the new hints, instead of the old
   * ones and a change event (which VS Code does not hear while a request of its is out).
   */
  hintsOf(document: vscode.TextDocument): Promise<void> {
    const st = this.states.get(document.uri.toString());
    const job = st?.running && st.job;
    if (!job || job.version !== document.version || st.hinted?.generation === st.generation)
      return Promise.resolve();
    return job.hinted;
  }

  isRunning(uri: vscode.Uri): boolean {
    return this.states.get(uri.toString())?.running !== undefined;
  }

  /**
   * Runs the document now (replacing a run under way); `backward` switches Run Backward
   * on or off for this and later runs. Resolves undefined when the workspace is untrusted.
   */
  run(document: vscode.TextDocument, backward?: BackwardMode): Promise<RunResult | undefined> {
    return this.start(document, backward, false);
  }

  private start(
    document: vscode.TextDocument,
    backward: BackwardMode | undefined,
    tentative: boolean,
  ): Promise<RunResult | undefined> {
    if (!this.trust.isTrusted) return Promise.resolve(undefined);
    const st = this.state(document.uri);
    st.document = document;
    if (backward !== undefined) st.backward = backward;
    if (!tentative) {
      clearTimeout(st.timer);
      st.timer = undefined;
    }
    let settleHints = (): void => undefined;
    const hinted = new Promise<void>((resolve) => (settleHints = resolve));
    const job: Job = {
      source: document.getText(),
      texts: unsavedTexts(document),
      tentative,
      version: document.version,
      hinted,
      settleHints,
    };
    st.job = job;
    const running = this.execute(document, st, ++st.generation, job);
    st.running = running;
    this.started.fire(document);
    return running;
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
    // No re-run pending: the last edit was at least a pause ago (or a run has since been asked).
    const afterPause = st.timer === undefined;
    clearTimeout(st.timer);
    if (afterPause) void this.start(document, undefined, true);
    st.timer = setTimeout(() => {
      st.timer = undefined;
      if (!document.isClosed) this.afterTyping(document, st);
    }, settings.autoRunDelayMs);
  }

  /** An edited file that model files import (as their last run saw): those re-run too. */
  private scheduleImporters(edited: vscode.TextDocument): void {
    if (edited.uri.scheme !== "file") return;
    for (const st of this.states.values()) {
      const model = st.document;
      if (!model || model === edited || model.isClosed) continue;
      if (st.latest?.files?.some((f) => isSameFile(f, edited))) this.scheduleAutoRun(model);
    }
  }

  /** Typing has paused: the text must have a published run (errors included). */
  private afterTyping(document: vscode.TextDocument, st: DocState): void {
    const inputs = inputsOf(document.getText(), unsavedTexts(document));
    if (st.running && st.job && inputsOf(st.job.source, st.job.texts) === inputs) {
      st.job.tentative = false; // the run under way has these texts: it will report, even a failure
      return;
    }
    if (!st.running && st.latestInputs === inputs) return; // the immediate run already showed them
    void this.run(document);
  }

  private async execute(
    document: vscode.TextDocument,
    st: DocState,
    generation: number,
    job: Job,
  ): Promise<RunResult> {
    const settings = readSettings(document.uri);
    const version = document.version;
    const request: RunRequest = {
      file: documentFile(document),
      source: job.source,
      backward: st.backward,
      timeoutMs: settings.timeoutMs,
      memoryLimitMb: settings.memoryLimitMb,
      texts: job.texts,
    };
    let result: RunResult;
    const onHints = (hints: RunHints): void => {
      if (generation !== st.generation || this.states.get(document.uri.toString()) !== st) return;
      st.hinted = { generation, hints, source: job.source };
      this.hinted.fire(document);
      job.settleHints();
    };
    try {
      result = await this.runner(request, onHints);
    } catch (err) {
      // The runner reports the model's own failures in the result; this is the runner failing.
      result = runnerFailure(request.file, err);
    } finally {
      job.settleHints(); // no hints (a failure, a newer run): the waiting requests get the shown ones
    }
    // A newer run replaced this one: its caller gets the newer result, nobody sees this one.
    if (generation !== st.generation) return st.running ?? st.latest ?? result;
    st.running = undefined;
    if (this.states.get(document.uri.toString()) !== st) return result; // closed meanwhile
    if (job.tentative && !result.ok) return result; // mid-typing; the run after the pause reports
    if (result.graph.hasGradients) st.lastBackward = keepWarnings(result.graph);
    else if (!result.cancelled)
      result = { ...result, graph: withStaleWarnings(result.graph, st.lastBackward) };
    st.latest = result;
    st.latestSource = request.source;
    st.latestGeneration = generation;
    st.latestInputs = inputsOf(job.source, job.texts);
    if (result.ok) st.good = { result, source: request.source };
    this.finished.fire({ document, result, version });
    return result;
  }

  private state(uri: vscode.Uri): DocState {
    const key = uri.toString();
    let st = this.states.get(key);
    if (!st) this.states.set(key, (st = { backward: false, generation: 0, latestGeneration: 0 }));
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

/** Edited, unsaved files the model may import: the run must see what the editor shows. */
function unsavedTexts(model: vscode.TextDocument): Record<string, string> | undefined {
  const texts: Record<string, string> = {};
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && doc !== model && doc.uri.scheme === "file")
      texts[doc.uri.fsPath] = doc.getText();
  }
  return Object.keys(texts).length > 0 ? texts : undefined;
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
