/**
 * Makes `import * as torch from "gradlens"` type-check in a user's folder without npm install.
 *
 * The extension ships the engine's declarations (dist/types/engine, built by the compile
 * script). They are copied into `<folder>/node_modules/gradlens/` with a small package.json, the
 * one place TypeScript (the editor and a command-line tsc alike) finds a bare import with no
 * configuration — no tsconfig is written or edited. What may be written there, and what never
 * is, is workspaceTypesWriter.ts's business; this is the part that speaks to VS Code.
 * `node_modules` is ignored by most projects' .gitignore; `npm install` may prune the folder,
 * and the next model file opened writes it again.
 */
import * as path from "path";
import * as vscode from "vscode";
import { isModelDocument } from "./session/modelFiles";
import { readSettings } from "./session/settings";
import { writeWorkspaceTypes, type WriteOutcome } from "./workspaceTypesWriter";

export type TypesOutcome = WriteOutcome | "untrusted"; // the workspace is not trusted: nothing written

export async function setUpWorkspaceTypes(
  extension: vscode.Extension<unknown>,
  folder: vscode.Uri,
): Promise<WriteOutcome> {
  // Only a folder on this disk: fs paths are what the writer can check for links.
  if (folder.scheme !== "file") return "refused";
  if (extension.extensionUri.scheme !== "file") return "unavailable";
  const dist = path.join(extension.extensionUri.fsPath, "dist");
  const source = {
    declarations: path.join(dist, "types", "engine"),
    engine: path.join(dist, "engine.js"),
    version: String((extension.packageJSON as { version?: string }).version ?? "0.0.0"),
  };
  return oneAtATime(folder.fsPath, () => writeWorkspaceTypes(source, folder.fsPath));
}

/** The set-up under way in each folder: the command waits for the automatic one it may race. */
const underWay = new Map<string, Promise<unknown>>();

function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const run = (underWay.get(key) ?? Promise.resolve()).then(work, work);
  const settled = run.then(
    () => undefined,
    () => undefined, // a failed set-up does not stop the next
  );
  underWay.set(key, settled);
  return run;
}

/** The folder whose node_modules a model file resolves `gradlens` from. */
export function typesFolderFor(uri: vscode.Uri): vscode.Uri | undefined {
  return vscode.workspace.getWorkspaceFolder(uri)?.uri;
}

/**
 * TypeScript remembers that `gradlens` could not be found and may not look again: a restart of
 * its server (only after files were written, so at most once per folder and version) fixes it.
 */
export function refreshTypeScript(): Thenable<unknown> {
  return vscode.commands.executeCommand("typescript.restartTsServer").then(undefined, () => {});
}

/**
 * The automatic set-up: when a model file is shown in a trusted workspace, its folder gets the
 * declarations once per session (`gradlens.workspaceTypes.autoSetup`, default on).
 */
export class WorkspaceTypesAutoSetup implements vscode.Disposable {
  private readonly done = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly extension: vscode.Extension<unknown>,
    private readonly isTrusted: () => boolean,
    private readonly log: (line: string) => void,
  ) {
    this.subscription = vscode.window.onDidChangeVisibleTextEditors((editors) =>
      this.check(editors.map((e) => e.document)),
    );
  }

  check(documents: readonly vscode.TextDocument[]): void {
    for (const doc of documents) {
      const folder = typesFolderFor(doc.uri);
      if (!folder || this.done.has(folder.toString()) || !this.isTrusted()) continue;
      // type declarations serve TypeScript model files; a Python one needs none
      if (!isModelDocument(doc) || doc.languageId !== "typescript" || !readSettings(doc.uri).autoSetupTypes) continue;
      this.done.add(folder.toString());
      setUpWorkspaceTypes(this.extension, folder).then(
        async (outcome) => {
          this.log(`workspace types in ${folder.fsPath}: ${outcome}`);
          if (outcome === "created" || outcome === "updated") await refreshTypeScript();
        },
        (err: Error) => this.log(`workspace types in ${folder.fsPath} failed: ${err.message}`),
      );
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
