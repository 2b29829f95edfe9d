/**
 * Makes `import * as torch from "gradlens"` type-check in a user's folder without npm install.
 *
 * The extension ships the engine's declarations (dist/types/engine, built by the compile
 * script). We copy them into `<folder>/node_modules/gradlens/` with a small package.json, the
 * one place TypeScript (the editor and a command-line tsc alike) finds a bare import with no
 * configuration — no tsconfig is written or edited. The package is marked as ours: a real
 * `gradlens` package already there is never touched, and ours is refreshed when the extension
 * changes version. `node_modules` is ignored by most projects' .gitignore; `npm install` may
 * prune the folder, and the next model file opened writes it again.
 */
import * as vscode from "vscode";
import { isModelDocument } from "./session/modelFiles";
import { readSettings } from "./session/settings";

/** The package.json field that says the folder is ours to overwrite. */
const MARKER = "gradlensWorkspaceTypes";

export type TypesOutcome =
  | "created" // written now
  | "updated" // ours, from another version: rewritten
  | "current" // ours, this version: left as it was
  | "foreign" // a real gradlens package is installed: left alone
  | "unavailable"; // this build of the extension has no declarations to copy

export async function setUpWorkspaceTypes(
  extension: vscode.Extension<unknown>,
  folder: vscode.Uri,
): Promise<TypesOutcome> {
  const version = String((extension.packageJSON as { version?: string }).version ?? "0.0.0");
  const source = vscode.Uri.joinPath(extension.extensionUri, "dist", "types", "engine");
  if (!(await exists(vscode.Uri.joinPath(source, "index.d.ts")))) return "unavailable";

  const target = vscode.Uri.joinPath(folder, "node_modules", "gradlens");
  const manifestUri = vscode.Uri.joinPath(target, "package.json");
  let previous: Record<string, unknown> | undefined;
  if (await exists(manifestUri)) {
    try {
      previous = JSON.parse(
        new TextDecoder().decode(await vscode.workspace.fs.readFile(manifestUri)),
      );
    } catch {
      return "foreign"; // unreadable: not something we wrote
    }
    if (!previous?.[MARKER]) return "foreign";
    if (previous[MARKER] === version) return "current";
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(target, "types"), { recursive: true });
  }

  await vscode.workspace.fs.copy(source, vscode.Uri.joinPath(target, "types"), { overwrite: true });
  const engine = vscode.Uri.joinPath(extension.extensionUri, "dist", "engine.js");
  const manifest = {
    name: "gradlens",
    version,
    private: true,
    description:
      "Type declarations of the Gradlens engine, written by the Gradlens VS Code extension " +
      "so that model files type-check without npm install. Safe to delete.",
    types: "types/index.d.ts",
    main: "index.js",
    [MARKER]: version,
  };
  // `main` lets tools such as tsx run a model file outside the editor with the same engine.
  const index = `module.exports = require(${JSON.stringify(engine.fsPath)});\n`;
  await write(manifestUri, JSON.stringify(manifest, null, 2) + "\n");
  await write(vscode.Uri.joinPath(target, "index.js"), index);
  return previous ? "updated" : "created";
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

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function write(uri: vscode.Uri, text: string): Thenable<void> {
  return vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
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
      if (!isModelDocument(doc) || !readSettings(doc.uri).autoSetupTypes) continue;
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
