// The `gradlens.*` settings, read in one place so that every reader agrees on the defaults
// (they mirror the defaults package.json declares, for a manifest that lacks one).
import * as vscode from "vscode";

export interface GradlensSettings {
  /** Re-run the model file after edits (`gradlens.autoRun`). */
  autoRun: boolean;
  /** The pause after the last edit before that run (`gradlens.autoRunDelayMs`). */
  autoRunDelayMs: number;
  /** Wall-clock limit of one run (`gradlens.timeoutMs`). */
  timeoutMs: number;
  /** Heap limit of the runner's worker (`gradlens.memoryLimitMb`). */
  memoryLimitMb: number;
  /** Output sizes and layer formulas as inlay hints (`gradlens.inlayHints.enabled`). */
  inlayHints: boolean;
  /** Write `node_modules/gradlens` type declarations when a model file is opened. */
  autoSetupTypes: boolean;
}

export function readSettings(scope?: vscode.ConfigurationScope): GradlensSettings {
  const c = vscode.workspace.getConfiguration("gradlens", scope);
  return {
    autoRun: c.get<boolean>("autoRun", true),
    autoRunDelayMs: Math.max(0, c.get<number>("autoRunDelayMs", 600)),
    timeoutMs: Math.max(100, c.get<number>("timeoutMs", 5000)),
    memoryLimitMb: Math.max(32, c.get<number>("memoryLimitMb", 512)),
    inlayHints: c.get<boolean>("inlayHints.enabled", true),
    autoSetupTypes: c.get<boolean>("workspaceTypes.autoSetup", true),
  };
}
