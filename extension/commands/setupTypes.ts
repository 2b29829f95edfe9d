// Gradlens: Set Up Workspace Types — the same set-up as the automatic one, on demand, with a
// report of what it did (see extension/workspaceTypes.ts for where the files go and why).
import * as vscode from "vscode";
import {
  refreshTypeScript,
  setUpWorkspaceTypes,
  typesFolderFor,
  type TypesOutcome,
} from "../workspaceTypes";
import type { Services } from "./services";
import { toUri } from "./target";

const REPORT: Record<TypesOutcome, string> = {
  created: "wrote node_modules/gradlens: `gradlens` imports now type-check here.",
  updated: "updated node_modules/gradlens to this version of Gradlens.",
  current: "node_modules/gradlens is already up to date.",
  foreign:
    "node_modules/gradlens holds a package Gradlens did not write, or files in it were changed: " +
    "left as it is (delete that folder to let Gradlens write its own).",
  refused:
    "node_modules/gradlens is reached through a symbolic link, or the folder is not on this " +
    "disk: nothing written, as the files could land anywhere.",
  untrusted:
    "this workspace is not trusted, so Gradlens writes nothing into it. Trust the folder " +
    "(command “Workspaces: Manage Workspace Trust”) to set up its types.",
  unavailable: "this build of Gradlens ships no type declarations (run the compile script).",
};

/** Outcomes a user should act on, shown as warnings. */
const WARNINGS: ReadonlySet<TypesOutcome> = new Set(["refused", "untrusted", "unavailable"]);

export async function setUpTypesCommand(
  s: Services,
  arg?: unknown,
): Promise<TypesOutcome | undefined> {
  const folder = await pickFolder(arg);
  if (!folder) {
    void vscode.window.showInformationMessage("Gradlens: open a folder to set up its types.");
    return undefined;
  }
  // A cloned repository's node_modules is its author's ground: write there only once trusted.
  const outcome = s.trust.isTrusted ? await setUpWorkspaceTypes(s.extension, folder) : "untrusted";
  const message = `Gradlens: ${REPORT[outcome]}`;
  if (WARNINGS.has(outcome)) void vscode.window.showWarningMessage(message);
  else void vscode.window.showInformationMessage(message);
  if (outcome === "created" || outcome === "updated") await refreshTypeScript();
  return outcome;
}

async function pickFolder(arg: unknown): Promise<vscode.Uri | undefined> {
  const given = toUri(arg);
  if (given) return typesFolderFor(given) ?? given;
  const active = vscode.window.activeTextEditor?.document.uri;
  const fromActive = active && typesFolderFor(active);
  if (fromActive) return fromActive;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0]?.uri;
  return (await vscode.window.showWorkspaceFolderPick())?.uri;
}
