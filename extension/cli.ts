/**
 * `gradlens run FILE [--backward] [--root NAME] [--json OUT] [--html OUT]`: runs a model file
 * headless with the extension's runner, prints a summary (nodes, edges, time, the error and its
 * line), and writes the graph as JSON or as a self-contained HTML page with the graph view.
 * Exits non-zero when the run failed. bin/gradlens.js is the launcher that calls `main`.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { RunPool } from "./runner/runModel";
import type { RunRequest, RunResult } from "./runProtocol/types";
import { webviewHtml } from "./webviewHtml";
import { graphToJson } from "../webview/graphJson";
import { formatShape } from "../webview/format";

/**
 * What a model printed (and any text from its run) as a terminal shows it safely: control
 * characters other than tab and newline (escape sequences could move the cursor, retitle or
 * recolour the terminal, or hide text; bidi overrides could reorder it) are written as \u
 * escapes.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) =>
    `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

const USAGE = `Usage: gradlens run FILE [options]

Runs a Gradlens model file (a .ts file written against "gradlens", or a .py file written
against torch, tensorflow or mxnet) and shows its graph.

Options:
  --backward        run backward from the file's output (exported loss, default export,
                    or the last scalar), or from --root
  --root NAME       the variable to run backward from (implies --backward)
  --json OUT        write the graph (GraphDto) as JSON
  --html OUT        write a self-contained HTML page showing the graph
  --timeout MS      wall-clock limit of the run (default 5000)
  --memory MB       memory limit of the run (default 512)
  -h, --help        show this help`;

/** The webview bundle: next to dist/cli.js, or in dist/ seen from out/extension/cli.js. */
function webviewBundle(): string | undefined {
  const candidates = [
    path.join(__dirname, "webview.js"),
    path.resolve(__dirname, "../../dist/webview.js"),
  ];
  return candidates.find((c) => fs.existsSync(c));
}

function summary(result: RunResult, file: string): string[] {
  const g = result.graph;
  const lines = [
    `${path.basename(file)}: ${g.nodes.length} nodes, ${g.edges.length} edges, ${g.hasGradients ? "with gradients, " : ""}` +
      `ran in ${Math.round(g.runMs)} ms (${Math.round(result.durationMs)} ms with the worker's start)`,
  ];
  if (result.roots.length > 0) lines.push(`  outputs: ${result.roots.join(", ")}`);
  if (result.shapeHints.length > 0) {
    for (const h of result.shapeHints) {
      lines.push(
        `  line ${h.location.line}: ${h.op} ${formatShape(h.inputShape)} → ${formatShape(h.outputShape)}`,
      );
    }
  }
  for (const w of g.warnings ?? []) {
    const where = w.location ? `line ${w.location.line}: ` : "";
    lines.push(`  ${where}gradient warning: ${w.message}`);
  }
  const e = result.error;
  if (e) {
    const where = e.location
      ? `${path.relative(process.cwd(), e.location.file)}:${e.location.line}:${e.location.column}: `
      : "";
    lines.push(`${where}${e.kind} error: ${e.message}`);
    if (e.explanation) lines.push(`  ${e.explanation}`);
  }
  return lines;
}

/** Runs the command line `argv` (without `node` and the script); resolves the exit code. */
export async function main(
  argv: string[],
  out: (line: string) => void = console.log,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        backward: { type: "boolean" },
        root: { type: "string" },
        json: { type: "string" },
        html: { type: "string" },
        timeout: { type: "string" },
        memory: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    out(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if (positionals[0] !== "run" || positionals.length !== 2) {
    out(USAGE);
    return 2;
  }
  const file = path.resolve(positionals[1]);
  if (!fs.existsSync(file)) {
    out(`gradlens: no such file: ${positionals[1]}`);
    return 2;
  }
  const request: RunRequest = {
    file,
    source: fs.readFileSync(file, "utf8"),
    backward:
      values.backward || values.root ? { ...(values.root ? { root: values.root } : {}) } : false,
    ...(values.timeout ? { timeoutMs: Number(values.timeout) } : {}),
    ...(values.memory ? { memoryLimitMb: Number(values.memory) } : {}),
  };
  const pool = new RunPool();
  let result: RunResult;
  try {
    result = await pool.run(request);
  } finally {
    pool.dispose();
  }
  result.logs.forEach((line) => out(terminalSafe(line)));
  summary(result, file).forEach((line) => out(terminalSafe(line)));
  if (values.json) {
    fs.writeFileSync(values.json, graphToJson(result.graph, 1));
    out(`wrote ${values.json}`);
  }
  if (values.html) {
    const bundle = webviewBundle();
    if (!bundle) {
      out("gradlens: dist/webview.js is missing: build it first (npm run compile)");
      return 2;
    }
    const html = webviewHtml({
      cspSource: "",
      script: { inline: fs.readFileSync(bundle, "utf8") },
      graph: result.graph,
      title: `${path.basename(file)} — Gradlens`,
    });
    fs.writeFileSync(values.html, html);
    out(`wrote ${values.html}`);
  }
  return result.ok ? 0 : 1;
}
