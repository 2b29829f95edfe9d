#!/usr/bin/env node
// THE test command (`npm test`): builds once, then runs three tiers and adds them up.
//   unit     node --test over out/test/unit/**/*.test.js          (engine, pure logic)
//   webview  out/test/webview/run.js, if present                   (the page in Chromium)
//   vscode   the integration suite inside a real VS Code           (scripts/vscode-instance/)
// The last line printed is always `N passed, M failed`, summed over the tiers that ran.
// Exit code: 0 only if nothing failed and every tier that was asked for could run; a tier
// that crashed or printed no counts is at least 1 failed.
//
// Usage: node scripts/test-all.mjs [--only unit|webview|vscode]
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ensureDeps } from "./ensureDeps.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const TIERS = ["unit", "webview", "vscode"];
const { values } = parseArgs({ options: { only: { type: "string" } } });
if (values.only && !TIERS.includes(values.only)) {
  console.error(`--only must be one of ${TIERS.join(", ")}`);
  process.exit(2);
}
const wanted = values.only ? [values.only] : TIERS;
ensureDeps(root);

/** @typedef {{ name: string, passed: number, failed: number, note: string }} Tier */

// Ctrl-C or a CI kill is passed on to the running child, which tears down its own servers.
/** @type {import("node:child_process").ChildProcess | undefined} */
let current;
let interrupted = false;
for (const sig of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.on(sig, () => {
    interrupted = true;
    current?.kill(sig);
  });
}

/**
 * Runs a command from the repo root with stdout shown live; resolves its exit code and output.
 * @param {string} cmd @param {string[]} args
 */
function sh(cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(" ")}`);
  return /** @type {Promise<{ code: number, out: string }>} */ (
    new Promise((res) => {
      const child = (current = spawn(cmd, args, {
        cwd: root,
        stdio: ["ignore", "pipe", "inherit"],
        // npm's own warnings (e.g. about the user npmrc) are noise between test results
        env: { ...process.env, npm_config_loglevel: "error" },
      }));
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        process.stdout.write(d);
      });
      child.on("error", (err) => res({ code: 127, out: String(err) }));
      child.on("close", (code, signal) => {
        if (interrupted) process.exit(130);
        res({ code: code ?? (signal ? 128 : 1), out });
      });
    })
  );
}

/**
 * Every file under `dir` whose name ends with `suffix`, sorted.
 * @param {string} dir @param {string} suffix @returns {string[]}
 */
function find(dir, suffix) {
  if (!existsSync(dir)) return [];
  /** @type {string[]} */
  const files = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) files.push(...find(full, suffix));
    else if (e.name.endsWith(suffix)) files.push(full);
  }
  return files.sort();
}

/** @returns {Promise<Tier>} */
async function build() {
  // The unit tier needs tsc's out/ and the sandbox bundle (model code runs in it); the others
  // also load the other webpack bundles in dist/.
  const scripts = wanted.every((t) => t === "unit") ? ["build:sandbox", "build:tests"] : ["compile", "build:tests"];
  let failed = 0;
  for (const script of scripts) {
    if ((await sh("npm", ["run", "--silent", script])).code !== 0) failed++;
  }
  return {
    name: "build",
    passed: 0,
    failed,
    note: failed ? "build failed (tiers below may use stale output)" : "ok",
  };
}

/** @returns {Promise<Tier>} */
async function unitTier() {
  const files = find(join(root, "out/test/unit"), ".test.js").map((f) => relative(root, f));
  if (files.length === 0)
    return { name: "unit", passed: 0, failed: 0, note: "no out/test/unit/**/*.test.js" };
  // Node 20's --test takes no globs: list the files. Spec for people, TAP to a file for counting.
  const tap = join(root, "artifacts/unit.tap");
  mkdirSync(dirname(tap), { recursive: true });
  rmSync(tap, { force: true });
  const { code } = await sh(process.execPath, [
    "--test",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, "utf8") : "";
  const count = (/** @type {string} */ key) =>
    Number(text.match(new RegExp(`^# ${key} (\\d+)$`, "m"))?.[1] ?? NaN);
  const passed = count("pass");
  const failed = count("fail") + (count("cancelled") || 0);
  if (Number.isNaN(passed) || Number.isNaN(failed)) return crashed("unit", code, "no TAP summary");
  return {
    name: "unit",
    passed,
    failed: code !== 0 && failed === 0 ? 1 : failed,
    note: `${files.length} file(s)`,
  };
}

/** @returns {Promise<Tier>} */
async function webviewTier() {
  const runner = join(root, "out/test/webview/run.js");
  if (!existsSync(runner)) {
    return {
      name: "webview",
      passed: 0,
      failed: values.only === "webview" ? 1 : 0,
      note: "no out/test/webview/run.js",
    };
  }
  const { code, out } = await sh(process.execPath, [relative(root, runner)]);
  // The runner's own last line is its count.
  const last = out.trimEnd().split("\n").pop() ?? "";
  const m = last.match(/^(\d+) passed, (\d+) failed$/);
  if (!m) return crashed("webview", code, "last line was not `N passed, M failed`");
  const [passed, failed] = [Number(m[1]), Number(m[2])];
  return {
    name: "webview",
    passed,
    failed: code !== 0 && failed === 0 ? 1 : failed,
    note: `exit ${code}`,
  };
}

/** @returns {Promise<Tier>} */
async function vscodeTier() {
  // Two launches of the same suite: a trusted workspace, then an untrusted one (whose
  // suites check that nothing runs; the others skip themselves there).
  const launches = [
    { flags: [], results: join(root, "artifacts/vscode-results.json") },
    { flags: ["--untrusted"], results: join(root, "artifacts/vscode-results-untrusted.json") },
  ];
  let passed = 0;
  let failed = 0;
  const notes = [];
  for (const { flags, results } of launches) {
    const { code } = await sh(process.execPath, [
      "scripts/vscode-instance/run-suite.mjs",
      ...flags,
      "--results",
      results,
    ]);
    const label = flags.length ? "untrusted" : "trusted";
    if (!existsSync(results)) {
      failed += 1;
      notes.push(`${label}: no results file (exit ${code})`);
      continue;
    }
    const r = JSON.parse(readFileSync(results, "utf8"));
    passed += r.passed;
    failed += code !== 0 && r.failed === 0 ? 1 : r.failed;
    notes.push(`${label}: VS Code ${r.vscodeVersion}, exit ${code}`);
  }
  return { name: "vscode", passed, failed, note: notes.join("; ") };
}

/** A tier that ran but gave no usable count. @returns {Tier} */
function crashed(
  /** @type {string} */ name,
  /** @type {number} */ code,
  /** @type {string} */ why,
) {
  return { name, passed: 0, failed: 1, note: `could not run: ${why} (exit ${code})` };
}

const started = Date.now();
/** @type {Tier[]} */
const tiers = [await build()];
const run = { unit: unitTier, webview: webviewTier, vscode: vscodeTier };
// The webview and VS Code tiers both drive Debian's Chromium, which the instance installer
// brings (with code-server): install once, before the first tier that needs a browser, so a
// fresh machine never launches a browser that is not there yet.
const needsBrowser = wanted.filter((t) => t !== "unit");
if (needsBrowser.length > 0) {
  const inst = await sh(process.execPath, ["scripts/vscode-instance/install.mjs"]);
  if (inst.code !== 0) {
    for (const name of needsBrowser) run[/** @type {keyof typeof run} */ (name)] = async () =>
      crashed(name, inst.code, "installing Chromium and the VS Code instance failed");
  }
}
for (const name of wanted) {
  const t0 = Date.now();
  /** @type {Tier} */
  let tier;
  try {
    tier = await run[/** @type {keyof typeof run} */ (name)]();
  } catch (err) {
    tier = { name, passed: 0, failed: 1, note: `crashed: ${/** @type {Error} */ (err).message}` };
  }
  tier.note += `, ${((Date.now() - t0) / 1000).toFixed(1)} s`;
  tiers.push(tier);
}

const passed = tiers.reduce((n, t) => n + t.passed, 0);
const failed = tiers.reduce((n, t) => n + t.failed, 0);
console.log(`\nSummary (${((Date.now() - started) / 1000).toFixed(0)} s):`);
for (const t of tiers) {
  const counts = `${String(t.passed).padStart(4)} passed ${String(t.failed).padStart(3)} failed`;
  console.log(`  ${t.name.padEnd(8)} ${counts}   ${t.note}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
