// Commands for the integration tests only (registered outside production mode, never in the
// palette): they let a test see what the page drew and what a run returned, and play the page
// or an untrusted workspace where a real one cannot be driven from the extension host.
import * as vscode from "vscode";
import { GraphPanel } from "../graphPanel";
import type { FromWebview } from "../../webview/protocol";
import type { Services } from "./services";
import { toUri } from "./target";

export function registerTestCommands(s: Services): vscode.Disposable[] {
  const panel = () => GraphPanel.currentPanel;
  return [
    vscode.commands.registerCommand("gradlens._test.lastRendered", () => {
      const p = panel();
      return p ? { ...p.lastRendered, visible: p.visible, ready: p.pageReady } : undefined;
    }),
    vscode.commands.registerCommand("gradlens._test.lastResult", (arg: unknown) => {
      const uri = toUri(arg);
      return uri ? s.sessions.latest(uri) : undefined;
    }),
    vscode.commands.registerCommand("gradlens._test.panelMessage", (msg: FromWebview) =>
      panel()?.onMessage(msg),
    ),
    vscode.commands.registerCommand("gradlens._test.setTrusted", (trusted?: boolean) =>
      s.trust.setOverride(trusted),
    ),
    vscode.commands.registerCommand("gradlens._test.statusText", () => s.statusBar.text),
    vscode.commands.registerCommand("gradlens._test.closePanel", () => panel()?.dispose()),
  ];
}
