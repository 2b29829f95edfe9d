/**
 * The graph panel, one per window, following the VS Code webview sample: `createOrShow` opens
 * it beside the editor or brings it back, `revive` restores it after a reload, `dispose` cleans
 * up. The page is the webview bundle in a nonce-CSP document (extension/webviewHtml.ts) that may
 * load only from dist/.
 *
 * The panel shows one model file at a time (the one last shown, following the active editor)
 * and never runs anything itself: it draws what RunSessions reports. Until the page says
 * `ready`, nothing is posted; on `ready` it gets the whole current state, so a page that was
 * reloaded (hidden and shown again) catches up. One-off requests (export, select) wait in a
 * queue for that moment.
 */
import * as path from "path";
import * as vscode from "vscode";
import type { FromWebview, GraphDto, ToWebview } from "../webview/protocol";
import { graphToJson } from "../webview/graphJson";
import { graphForPage } from "./runner/pageGraph";
import { askExportTarget, writeExport, type ExportFormat } from "./exportFiles";
import { callEnd } from "./inlayHints/callEnd";
import { languageOf } from "./codeActions/callArguments";
import type { RunResult } from "./runProtocol/types";
import { isModelDocument, isSameFile } from "./session/modelFiles";
import type { RunSessions } from "./session/runSessions";
import { UNTRUSTED_MESSAGE, type TrustGate } from "./trust";
import { webviewHtml } from "./webviewHtml";

export interface PanelDeps {
  extensionUri: vscode.Uri;
  sessions: RunSessions;
  trust: TrustGate;
}

export type { ExportFormat };
type Rendered = Extract<FromWebview, { type: "rendered" }>;
/**
 * The page's last `rendered` report, numbered so that a test can wait for the next one, with
 * the host's clock when it arrived (Date.now()), so that a latency is not a polling interval.
 */
export type RenderedReport = Rendered & { seq: number; file: string; receivedAt: number };

const EXPORT_TIMEOUT_MS = 20_000;

export class GraphPanel implements vscode.Disposable {
  static readonly viewType = "gradlens.graph";
  private static current: GraphPanel | undefined;

  private ready = false;
  private readonly queue: ToWebview[] = [];
  /** The `export` requests the page has not answered yet, by id. */
  private readonly exports = new Map<number, (data: string) => void>();
  private lastExport = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private rendered: RenderedReport | undefined;
  private renderCount = 0;
  /** The graph last posted, whole (the page got it without its many values), and its number. */
  private posted: GraphDto | undefined;
  private postedSeq = 0;

  /** The open panel, if any. */
  static get currentPanel(): GraphPanel | undefined {
    return GraphPanel.current;
  }

  /** Opens the panel beside the editor showing `document`, or brings the open one forward. */
  static createOrShow(deps: PanelDeps, document: vscode.TextDocument): GraphPanel {
    const existing = GraphPanel.current;
    if (existing) {
      existing.reveal();
      existing.showDocument(document.uri);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      GraphPanel.viewType,
      titleFor(document.uri),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(deps.extensionUri),
    );
    return (GraphPanel.current = new GraphPanel(panel, deps, document.uri));
  }

  /** Restores a panel VS Code kept across a reload; `state` is what the page saved. */
  static revive(panel: vscode.WebviewPanel, deps: PanelDeps, state: unknown): GraphPanel {
    panel.webview.options = webviewOptions(deps.extensionUri);
    const saved = savedFile(state);
    const uri = saved ? vscode.Uri.file(saved) : vscode.window.activeTextEditor?.document.uri;
    GraphPanel.current?.dispose();
    return (GraphPanel.current = new GraphPanel(panel, deps, uri));
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: PanelDeps,
    private uri: vscode.Uri | undefined,
  ) {
    const { sessions, trust } = deps;
    panel.webview.html = this.html();
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((msg: FromWebview) => this.onMessage(msg)),
      // A page that is not retained is torn down when hidden and sends `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      sessions.onDidStart((doc) => {
        if (this.shows(doc.uri)) this.post({ type: "status", state: "running" });
      }),
      sessions.onDidRun(({ document }) => {
        if (this.shows(document.uri)) this.sendState();
      }),
      trust.onDidChange(() => this.sendState()),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && isModelDocument(editor.document)) this.showDocument(editor.document.uri);
      }),
    );
    if (uri) void this.ensureRun(uri);
  }

  /** The model file shown. */
  get documentUri(): vscode.Uri | undefined {
    return this.uri;
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  /** Whether the page said `ready` (since it was last loaded). */
  get pageReady(): boolean {
    return this.ready;
  }

  /** What the page last reported drawing. */
  get lastRendered(): RenderedReport | undefined {
    return this.rendered;
  }

  /** Switches the panel to another model file (runs it if it never ran). */
  showDocument(uri: vscode.Uri): void {
    if (this.uri?.toString() === uri.toString()) return;
    this.uri = uri;
    this.panel.title = titleFor(uri);
    this.sendState();
    void this.ensureRun(uri);
  }

  /** Brings the panel forward (where it is), leaving the focus in the editor. */
  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  /** Asks the page to draw the graph as PNG (base64), SVG or JSON text. */
  requestExport(format: ExportFormat): Promise<string> {
    // The host's graph is whole; the page's lacks the values it never asked for.
    if (format === "json" && this.posted) return Promise.resolve(graphJson(this.posted));
    const id = ++this.lastExport;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.exports.delete(id);
        reject(new Error(`the graph page did not export ${format} within ${EXPORT_TIMEOUT_MS} ms`));
      }, EXPORT_TIMEOUT_MS);
      this.exports.set(id, (data: string) => {
        clearTimeout(timer);
        resolve(data);
      });
      this.post({ type: "export", id, format });
    });
  }

  /** Handles a message as if the page had sent it (the page's buttons, and tests). */
  onMessage(msg: FromWebview): void {
    switch (msg.type) {
      case "ready":
        this.ready = true;
        this.sendState();
        this.queue.splice(0).forEach((m) => void this.panel.webview.postMessage(m));
        return;
      case "reveal":
        void this.revealSource(msg.nodeId);
        return;
      case "rendered":
        this.rendered = {
          ...msg,
          seq: ++this.renderCount,
          file: this.uri?.fsPath ?? "",
          receivedAt: Date.now(),
        };
        return;
      case "selected":
        return;
      case "needValues": {
        const node =
          msg.seq === this.postedSeq && this.posted?.nodes.find((n) => n.id === msg.nodeId);
        if (!node) return; // a graph that has been replaced: the page asks again for the new one
        this.post({
          type: "values",
          replyTo: msg.id,
          value: node.value?.values,
          grad: node.grad?.values,
        });
        return;
      }
      case "needEdgeGrads": {
        if (msg.seq !== this.postedSeq || !this.posted) return; // replaced: the page asks again
        const asked = new Set(msg.edgeIds);
        const grads: Record<string, Float32Array> = {};
        for (const e of this.posted.edges)
          if (asked.has(e.id) && e.grad?.values) grads[e.id] = e.grad.values;
        this.post({ type: "edgeGrads", replyTo: msg.id, grads });
        return;
      }
      case "exported": {
        const waiting = msg.replyTo === undefined ? undefined : this.exports.get(msg.replyTo);
        if (msg.replyTo === undefined)
          void this.saveFromToolbar(msg.format, msg.data); // the page's own buttons
        else if (waiting) {
          this.exports.delete(msg.replyTo);
          waiting(msg.data);
        }
        return;
      }
      case "runBackward":
        if (this.uri) void vscode.commands.executeCommand("gradlens.runBackward", this.uri);
        return;
      default:
        assertNever(msg);
    }
  }

  private async saveFromToolbar(format: ExportFormat, data: string): Promise<void> {
    if (!data) return; // nothing drawn yet; the page said so
    const target = await askExportTarget(this.uri, format);
    if (!target) return;
    const whole = format === "json" && this.posted ? graphJson(this.posted) : data;
    await writeExport(target, format, whole).then(undefined, (err: Error) =>
      vscode.window.showErrorMessage(`Gradlens could not save the graph: ${err.message}`),
    );
  }

  private shows(uri: vscode.Uri): boolean {
    return this.uri?.toString() === uri.toString();
  }

  private async ensureRun(uri: vscode.Uri): Promise<void> {
    const { sessions, trust } = this.deps;
    if (!trust.isTrusted || sessions.latest(uri) || sessions.isRunning(uri)) return;
    const doc = await vscode.workspace.openTextDocument(uri).then(undefined, () => undefined);
    if (doc && this.shows(uri)) await sessions.run(doc);
  }

  /** Everything the page needs to show the current file: posted on `ready` and after a run. */
  private sendState(): void {
    if (!this.ready) return; // `ready` will call again
    if (!this.deps.trust.isTrusted) {
      this.post({ type: "status", state: "untrusted", message: UNTRUSTED_MESSAGE });
      return;
    }
    const result = this.uri && this.deps.sessions.latest(this.uri);
    // A run that failed mid-edit leaves the last good graph in view, marked stale.
    const shown = this.uri && this.deps.sessions.shown(this.uri);
    if (result && shown) {
      this.posted = shown.result.graph;
      const graph = graphForPage(shown.result.graph);
      this.post({ type: "graph", graph, seq: ++this.postedSeq, stale: shown.stale });
      const err = result.error;
      if (err) {
        const message = err.explanation ? `${err.message}\n\n${err.explanation}` : err.message;
        this.post({ type: "error", message, line: err.location?.line });
      }
      this.post({ type: "status", state: result.ok ? "idle" : "error", message: err?.message });
    }
    if (this.uri && this.deps.sessions.isRunning(this.uri)) {
      this.post({ type: "status", state: "running" });
    }
  }

  private post(msg: ToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(msg);
    else if (msg.type === "export" || msg.type === "select") this.queue.push(msg);
  }

  /** "Go to source": selects the call that made the node, in an editor beside the panel. */
  private async revealSource(nodeId: string): Promise<void> {
    const result: RunResult | undefined = this.uri && this.deps.sessions.shown(this.uri)?.result;
    const loc = result?.graph.nodes.find((n) => n.id === nodeId)?.location;
    if (!this.uri || !loc) return;
    const own = await vscode.workspace.openTextDocument(this.uri);
    // Only the model file itself or a file of the workspace: a location is the run's data.
    const target = vscode.Uri.file(loc.file);
    if (!isSameFile(loc.file, own) && !vscode.workspace.getWorkspaceFolder(target)) return;
    const doc = isSameFile(loc.file, own) ? own : await vscode.workspace.openTextDocument(target);
    const line = Math.min(Math.max(loc.line - 1, 0), doc.lineCount - 1);
    const start = new vscode.Position(line, Math.max(loc.column - 1, 0));
    const end = callEnd(doc.getText(), doc.offsetAt(start), languageOf(loc.file));
    const selection = new vscode.Selection(start, end === undefined ? start : doc.positionAt(end));
    const shown = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    const column = shown?.viewColumn ?? otherColumn(this.panel.viewColumn);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, selection });
    editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private html(): string {
    const script = vscode.Uri.joinPath(this.deps.extensionUri, "dist", "webview.js");
    return webviewHtml({
      cspSource: this.panel.webview.cspSource,
      script: { uri: this.panel.webview.asWebviewUri(script).toString() },
      title: this.panel.title,
    });
  }

  dispose(): void {
    if (GraphPanel.current === this) GraphPanel.current = undefined;
    this.panel.dispose();
    this.disposables.splice(0).forEach((d) => d.dispose());
  }
}

function webviewOptions(
  extensionUri: vscode.Uri,
): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist")],
  };
}

function titleFor(uri: vscode.Uri | undefined): string {
  return uri ? `Graph: ${path.basename(uri.path)}` : "Gradlens graph";
}

function otherColumn(column: vscode.ViewColumn | undefined): vscode.ViewColumn {
  return column === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
}

/** The model file a page saved with `setState` (its graph's file), if it did. */
function savedFile(state: unknown): string | undefined {
  if (typeof state !== "object" || state === null) return undefined;
  const s = state as { file?: unknown; graph?: { file?: unknown } };
  const file = s.file ?? s.graph?.file;
  return typeof file === "string" && file ? file : undefined;
}

function assertNever(x: never): never {
  throw new Error(`unexpected message from the graph page: ${JSON.stringify(x)}`);
}

function graphJson(graph: GraphDto): string {
  return graphToJson(graph, 2);
}
