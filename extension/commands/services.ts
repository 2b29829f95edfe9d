// What the commands reach: the parts extension.ts creates once at activation.
import type * as vscode from "vscode";
import type { PanelDeps } from "../graphPanel";
import type { RunSessions } from "../session/runSessions";
import type { RunStatusBar } from "../statusBar";
import type { TrustGate } from "../trust";

export interface Services extends PanelDeps {
  extension: vscode.Extension<unknown>;
  sessions: RunSessions;
  trust: TrustGate;
  statusBar: RunStatusBar;
}
