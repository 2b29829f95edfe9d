// Workspace Trust: a model file is code, and Gradlens runs it. In an untrusted workspace nothing
// runs; every part that would asks this gate and says why it did not.
import * as vscode from "vscode";

/** What the panel, status bar and commands tell a user of an untrusted workspace. */
export const UNTRUSTED_MESSAGE =
  "Gradlens runs your model file to draw its graph, so it does nothing in an untrusted " +
  "workspace. Trust this folder (command “Workspaces: Manage Workspace Trust”) to see it.";

export class TrustGate implements vscode.Disposable {
  private override: boolean | undefined;
  private readonly changed = new vscode.EventEmitter<boolean>();
  /** Fires with the new answer when trust is granted (VS Code only ever grants it). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire(true));
  }

  get isTrusted(): boolean {
    return this.override ?? vscode.workspace.isTrusted;
  }

  /**
   * Tests only: answer as if the workspace were (un)trusted; `undefined` goes back to VS Code's
   * answer. Going from untrusted to trusted fires onDidChange like a real grant.
   */
  setOverride(trusted: boolean | undefined): void {
    const before = this.isTrusted;
    this.override = trusted;
    if (before !== this.isTrusted) this.changed.fire(this.isTrusted);
  }

  /** Offers the trust editor; not awaited, so a command never hangs on the notification. */
  explain(): void {
    void vscode.window
      .showInformationMessage(UNTRUSTED_MESSAGE, "Manage Workspace Trust")
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand("workbench.trust.manage");
      });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
