// The "Gradlens" output channel: one header per run, then what the model file printed, then
// its error. It is where console.log in a model file ends up.
import * as path from "path";
import * as vscode from "vscode";
import type { RunEvent } from "./session/runSessions";

export class RunOutput implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel("Gradlens");

  /** Appends one finished run. */
  report({ document, result }: RunEvent): void {
    const time = new Date().toLocaleTimeString();
    const name = path.basename(document.fileName);
    const nodes = result.graph.nodes.length;
    const outcome = result.ok ? "ok" : `failed (${result.error?.kind ?? "error"})`;
    this.channel.appendLine(
      `[${time}] ${name}: ${outcome}, ${nodes} nodes, ${Math.round(result.durationMs)} ms`,
    );
    for (const line of result.logs) this.channel.appendLine(line);
    const err = result.error;
    if (err) {
      const where = err.location ? ` (line ${err.location.line})` : "";
      this.channel.appendLine(`${err.message}${where}`);
      if (err.explanation) this.channel.appendLine(err.explanation);
    }
  }

  dispose(): void {
    this.channel.dispose();
  }
}
