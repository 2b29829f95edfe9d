// Every Gradlens command, registered in one place (package.json contributes the public ones).
import * as vscode from "vscode";
import { exportGraph } from "./exportGraph";
import { runBackward, showGraph } from "./graphCommands";
import type { Services } from "./services";
import { setUpTypesCommand } from "./setupTypes";
import { registerTestCommands } from "./testing";

export function registerCommands(s: Services, mode: vscode.ExtensionMode): vscode.Disposable[] {
  const commands: Array<[string, (arg?: unknown) => unknown]> = [
    ["gradlens.showGraph", (arg) => showGraph(s, arg)],
    ["gradlens.runBackward", (arg) => runBackward(s, arg)],
    ["gradlens.exportGraph", (arg) => exportGraph(s, arg)],
    ["gradlens.setupWorkspaceTypes", (arg) => setUpTypesCommand(s, arg)],
  ];
  const registered = commands.map(([id, fn]) => vscode.commands.registerCommand(id, fn));
  // Only under a test runner: `npm start` launches the extension in Development mode, as a user sees it.
  if (mode === vscode.ExtensionMode.Test) registered.push(...registerTestCommands(s));
  return registered;
}
