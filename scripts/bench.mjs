#!/usr/bin/env node
// `npm run bench`: brings the builds up to date (tsc → out/ when a source is newer than
// out/bench/main.js; webpack → dist/ when one is newer than the bundles), measures the
// editor-level latencies (the VS Code suite's latency tests in a real VS Code, what the model
// sandbox adds to a run, and the graph page drawing 2,000 nodes in headless Chromium), then
// runs the engine workloads, whose
// report ends with every target of issue 7. Arguments go to the engine part, e.g.
//   npm run bench -- --only lenet,mlp --budget 1000 --gemm js
// With --only, the editor-level part is skipped (it takes about a minute).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "out/bench/main.js");
const args = process.argv.slice(2);
const engineOnly = args.some((a) => a === "--only" || a.startsWith("--only="));

/** Newest modification time of the .ts files under `dir`. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules") continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(full));
    else if (e.name.endsWith(".ts")) t = Math.max(t, statSync(full).mtimeMs);
  }
  return t;
}
const sources = (...dirs) => Math.max(...dirs.map((d) => newest(join(root, d))));
const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

function node(script, scriptArgs = [], env = {}) {
  return spawnSync(process.execPath, [script, ...scriptArgs], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...env },
  }).status;
}

if (sources("engine", "bench", "extension", "webview", "test") > mtime(entry)) {
  console.log("Compiling (tsc -p tsconfig.json) ...");
  // tsc emits even when some other file has a type error; the bench needs only its own output
  const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: root, encoding: "utf8" });
  const errors = (tsc.stdout.match(/error TS/g) ?? []).length;
  if (errors) console.log(`tsc reported ${errors} type error(s); running what was emitted.`);
  if (!existsSync(entry)) {
    console.error(tsc.stdout, tsc.stderr);
    process.exit(1);
  }
}

if (!engineOnly) {
  const bundles = Math.min(mtime(join(root, "dist/extension.js")), mtime(join(root, "dist/webview.js")));
  if (sources("engine", "extension", "webview") > bundles) {
    console.log("Bundling (webpack --mode production) ...");
    const webpack = join(root, "node_modules/webpack-cli/bin/cli.js");
    if (node(webpack, ["--mode", "production"]) !== 0) process.exit(1);
  }
  // Stale numbers must never be reported as this run's.
  for (const f of ["vscode-latency.json", "page-draw.json", "sandbox-cost.json"]) rmSync(join(root, "artifacts", f), { force: true });
  console.log("Editor latencies: the latency tests in a real VS Code ...");
  const vscode = node("scripts/vscode-instance/run-suite.mjs", ["--results", join(root, "artifacts/bench-vscode-results.json")], {
    GRADLENS_TEST_GREP: "latency",
  });
  if (vscode !== 0) console.log(`(the VS Code run exited with ${vscode}; its latencies are reported if it wrote them)`);
  console.log("What the model sandbox costs a run (examples/lenet.ts, sandboxed and not, alternating) ...");
  if (node(join(root, "out/bench/sandboxCost.js")) !== 0) console.log("(the sandbox-cost measurement failed)");
  console.log("The graph page drawing 2,000 nodes in headless Chromium ...");
  if (node(join(root, "out/bench/pageDraw.js")) !== 0) console.log("(the page-draw measurement failed)");
}

process.exit(node(entry, args) ?? 1);
