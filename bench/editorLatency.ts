/**
 * The extension-level latencies: measured inside the real VS Code by the integration suite
 * (test/integration/latency.test.ts, run by `npm run test:vscode`), which writes
 * artifacts/vscode-latency.json; the bench reports the last such run against issue 7's targets.
 */
import * as fs from "fs";
import * as path from "path";

interface Latency {
  vscode: string;
  editToHintsMs?: number;
  autoRunDelayMs?: number;
  runBackwardToDrawnMs?: number;
}

/** Lines for the report, or a note saying how to produce the numbers. */
export function editorLatencyReport(root: string): string[] {
  const file = path.join(root, "artifacts", "vscode-latency.json");
  if (!fs.existsSync(file)) {
    return [
      "editor latencies: none measured yet (run `npm run test:vscode`, then the bench again)",
    ];
  }
  const l = JSON.parse(fs.readFileSync(file, "utf8")) as Latency;
  const age = Math.round((Date.now() - fs.statSync(file).mtimeMs) / 60000);
  const lines = [
    `editor latencies, VS Code ${l.vscode}, measured by the VS Code tier ${age} min ago:`,
  ];
  if (l.editToHintsMs !== undefined) {
    const delay = l.autoRunDelayMs ?? 0;
    const work = l.editToHintsMs - delay;
    lines.push(
      `  edit → hints updated     ${l.editToHintsMs} ms (incl. the ${delay} ms typing pause) → ${work} ms after it; ` +
        `target ≤ 150 ms: ${work <= 150 ? "met" : `MISSED by ${work - 150} ms`}`,
    );
  }
  if (l.runBackwardToDrawnMs !== undefined) {
    const t = l.runBackwardToDrawnMs;
    lines.push(
      `  Run Backward → drawn     ${t} ms; target ≤ 300 ms: ${t <= 300 ? "met" : `MISSED by ${t - 300} ms`}`,
    );
  }
  return lines;
}
