// A diagnostic collection whose entries belong to a model file's last run: each run replaces
// what the previous one placed (on the model file or on files it imports), and closing the
// model file clears it. RunDiagnostics (errors) and GradientDiagnostics (warnings) are two.
import * as vscode from "vscode";

export class PlacedDiagnostics implements vscode.Disposable {
  readonly collection: vscode.DiagnosticCollection;
  /** Per model file, the files its last run's diagnostics were put on. */
  private readonly placed = new Map<string, vscode.Uri[]>();
  private readonly subscription = vscode.workspace.onDidCloseTextDocument((doc) =>
    this.clear(doc.uri),
  );

  constructor(name: string) {
    this.collection = vscode.languages.createDiagnosticCollection(name);
  }

  /** Replaces what `model`'s last run placed with these diagnostics, per file. */
  protected place(
    model: vscode.Uri,
    perFile: ReadonlyMap<string, [vscode.Uri, vscode.Diagnostic[]]>,
  ) {
    this.clear(model);
    for (const [uri, list] of perFile.values()) this.collection.set(uri, list);
    this.placed.set(
      model.toString(),
      [...perFile.values()].map(([uri]) => uri),
    );
  }

  clear(uri: vscode.Uri): void {
    for (const target of this.placed.get(uri.toString()) ?? []) this.collection.delete(target);
    this.placed.delete(uri.toString());
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
