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
  foreign: "a gradlens package is already installed in node_modules: left as it is.",
  unavailable: "this build of Gradlens ships no type declarations (run the compile script).",
};

export async function setUpTypesCommand(
  s: Services,
  arg?: unknown,
): Promise<TypesOutcome | undefined> {
  const folder = await pickFolder(arg);
  if (!folder) {
    void vscode.window.showInformationMessage("Gradlens: open a folder to set up its types.");
    return undefined;
  }
  const outcome = await setUpWorkspaceTypes(s.extension, folder);
  const message = `Gradlens: ${REPORT[outcome]}`;
  if (outcome === "unavailable") void vscode.window.showWarningMessage(message);
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
