// The extension's entry point: creates each part once and connects them; no logic of its own.
// A run (RunSessions) is the one source everything else shows: panel, inlay hints,
// diagnostics, status bar, output channel.
import * as vscode from "vscode";
import { registerCommands } from "./commands";
import type { Services } from "./commands/services";
import { GradlensQuickFixes } from "./codeActions/provider";
import { RunDiagnostics } from "./diagnostics/runDiagnostics";
import { GradientDiagnostics } from "./diagnostics/gradientDiagnostics";
import { GraphPanel } from "./graphPanel";
import { GradlensInlayHintsProvider } from "./inlayHints/provider";
import { RunOutput } from "./output";
import { RunPool } from "./runner/runModel";
import { MODEL_LANGUAGES } from "./session/modelFiles";
import { RunSessions } from "./session/runSessions";
import { RunStatusBar } from "./statusBar";
import { TrustGate } from "./trust";
import { WorkspaceTypesAutoSetup } from "./workspaceTypes";

export function activate(context: vscode.ExtensionContext): void {
  const trust = new TrustGate();
  const pool = new RunPool(); // its workers live until deactivate disposes the subscriptions
  const sessions = new RunSessions((request, onHints) => pool.run(request, onHints), trust);
  const output = new RunOutput();
  const diagnostics = new RunDiagnostics();
  const gradientDiagnostics = new GradientDiagnostics();
  const hints = new GradlensInlayHintsProvider(sessions);
  const statusBar = new RunStatusBar(sessions, trust);
  const extension = context.extension;
  const services: Services = {
    extension,
    extensionUri: context.extensionUri,
    sessions,
    trust,
    statusBar,
  };
  const types = new WorkspaceTypesAutoSetup(
    extension,
    () => trust.isTrusted,
    (line) => output.channel.appendLine(line),
  );
  const selector = MODEL_LANGUAGES.flatMap((language) =>
    ["file", "untitled"].map((scheme) => ({ language, scheme })),
  );

  context.subscriptions.push(
    pool,
    trust,
    sessions,
    output,
    diagnostics,
    gradientDiagnostics,
    hints,
    statusBar,
    types,
    trust.onDidChange(() => types.check(vscode.window.visibleTextEditors.map((e) => e.document))),
    sessions.onDidRun((e) => {
      output.report(e);
      diagnostics.update(e);
      gradientDiagnostics.update(e);
    }),
    vscode.languages.registerInlayHintsProvider(selector, hints),
    vscode.languages.registerCodeActionsProvider(
      selector,
      new GradlensQuickFixes(sessions),
      GradlensQuickFixes.metadata,
    ),
    vscode.window.registerWebviewPanelSerializer(GraphPanel.viewType, {
      deserializeWebviewPanel: async (panel, state) =>
        void GraphPanel.revive(panel, services, state),
    }),
    { dispose: () => GraphPanel.currentPanel?.dispose() },
    ...registerCommands(services, context.extensionMode),
  );

  // Files already open when the extension starts.
  const documents = vscode.window.visibleTextEditors.map((e) => e.document);
  types.check(documents);
  sessions.runUnseen(vscode.window.visibleTextEditors);
}
