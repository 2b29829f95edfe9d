#!/usr/bin/env node
// Runs the integration suite inside a real VS Code: code-server (VS Code's server, extension
// host in Node 24) plus its workbench in Debian's headless Chromium, driven by playwright-core.
// The workbench's smoke-test driver loads our extension and suite from the URL payload, then
// calls window.codeAutomationLog for every log line and window.codeAutomationExit(code) when
// the suite's run() settles. Recipe: ../../../shared/vscode-instance.md
//
// Usage: node scripts/vscode-instance/run-suite.mjs [workspaceFolder]
//          [--tests out/test/integration/index.js] [--results artifacts/vscode-results.json]
//          [--timeout 600]                       (seconds for the whole run)
//          [--untrusted]                         (Workspace Trust on: the folder opens untrusted)
// Output: lines containing `[gradlens]` (the suite's reporter) and errors are printed;
// GRADLENS_VSCODE_VERBOSE=1 prints every log line and code-server's own output too. All log
// lines are kept in artifacts/vscode-logs/ (automation.log + the workbench's own logs),
// screenshots in artifacts/screenshots/.
// Exits with the code the suite gave codeAutomationExit (0 pass, 1 fail), or 2 when the run
// itself broke (no exit within the timeout, code-server did not start, results missing).
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, install } from "./install.mjs";
import { freePort, launchCodeServer, workbenchUrl } from "./codeServer.mjs";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tests: { type: "string", default: join(repoRoot, "out/test/integration/index.js") },
    results: { type: "string", default: join(repoRoot, "artifacts/vscode-results.json") },
    timeout: { type: "string", default: "600" },
    // Leaves Workspace Trust on, so the workspace opens untrusted (to test what then runs).
    untrusted: { type: "boolean", default: false },
  },
});
const workspace = resolve(positionals[0] ?? join(repoRoot, "test/fixtures/workspace"));
const testsPath = resolve(opts.tests);
const resultsPath = resolve(opts.results);
const screenshotDir = join(repoRoot, "artifacts/screenshots");
const logsDir = join(repoRoot, "artifacts/vscode-logs");
const verbose = process.env.GRADLENS_VSCODE_VERBOSE === "1";
const say = (/** @type {string} */ line) => console.log(`[vscode] ${line}`);

/** Resources to release however the run ends; filled in as they are created. */
const state = {
  /** @type {import("node:child_process").ChildProcess | undefined} */ server: undefined,
  /** @type {(() => Promise<void>) | undefined} */ closeBrowser: undefined,
  /** @type {string | undefined} */ tmp: undefined,
  /** @type {NodeJS.Timeout | undefined} */ poller: undefined,
  /** @type {import("node:fs").WriteStream[]} */ logs: [],
};

async function main() {
  for (const [what, path] of [
    ["workspace", workspace],
    ["compiled suite", testsPath],
  ]) {
    if (!existsSync(path))
      throw new Error(`${what} not found: ${path} (did \`npm run build:tests\` run?)`);
  }
  const instance = install();
  const tmp = (state.tmp = mkdtempSync(join(tmpdir(), "gradlens-vscode-")));
  rmSync(resultsPath, { force: true }); // a stale file must never count for this run
  rmSync(logsDir, { recursive: true, force: true });
  mkdirSync(logsDir, { recursive: true });
  mkdirSync(screenshotDir, { recursive: true });
  // Leftovers of an earlier run would be mistaken for this run's (other tiers share the folder).
  // The untrusted launch (test-all's second) keeps the trusted one's screenshots.
  const ours = opts.untrusted ? "vscode-untrusted-" : "vscode-";
  for (const f of readdirSync(screenshotDir)) {
    if (f.endsWith(".request") || f.startsWith(ours)) rmSync(join(screenshotDir, f));
  }

  const port = await freePort();
  await startCodeServer(instance, tmp, port);
  const page = await openBrowser(instance.chromium, tmp);

  /** @type {(code: number) => void} */
  let onExit = () => {};
  const exited = new Promise((res) => (onExit = res));
  // Everything the workbench and the extension host log arrives here, indistinguishable:
  // show the suite's `[gradlens]` lines and errors, keep all of it in automation.log.
  const transcript = createWriteStream(join(logsDir, "automation.log"));
  state.logs.push(transcript);
  await page.exposeFunction(
    "codeAutomationLog",
    (/** @type {string} */ level, /** @type {unknown} */ msg) => {
      const text = String(msg);
      transcript.write(`${level}: ${text}\n`);
      if (text.includes("[gradlens]")) console.log(text.slice(text.indexOf("[gradlens]")));
      else if (verbose || level === "error") say(`${level}: ${text}`);
    },
  );
  /** @typedef {{ relativePath: string, contents: string }} LogFile */
  await page.exposeFunction(
    "codeAutomationExit",
    (/** @type {number} */ code, /** @type {LogFile[]} */ logs) => {
      saveLogs(logs ?? []);
      onExit(code);
    },
  );
  state.poller = pollScreenshotRequests(page);

  const remote = (/** @type {string} */ p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ["extensionDevelopmentPath", remote(repoRoot)],
    ["extensionTestsPath", remote(testsPath)],
    ["skipWelcome", "true"],
    ["skipReleaseNotes", "true"],
  ];
  const url = workbenchUrl(port, workspace, payload);
  say(`opening the workbench on ${workspace}`);
  await page.goto(url);

  const timeoutS = Number(opts.timeout);
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timedOut = new Promise(
    (res) => (timer = setTimeout(() => res("timeout"), timeoutS * 1000)),
  );
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  await screenshot(page, opts.untrusted ? "vscode-untrusted-end-of-run" : "vscode-end-of-run");
  if (outcome === "timeout") {
    say(
      `no codeAutomationExit within ${timeoutS} s: the suite never finished (see ${logsDir}, GRADLENS_VSCODE_VERBOSE=1)`,
    );
    return 2;
  }
  return crossCheck(/** @type {number} */ (outcome));
}

/** The exit code from codeAutomationExit, checked against the results file the suite wrote. */
function crossCheck(/** @type {number} */ code) {
  if (!existsSync(resultsPath)) {
    say(`codeAutomationExit(${code}) but the suite wrote no results file (${resultsPath})`);
    return code === 0 ? 2 : code;
  }
  const r = JSON.parse(readFileSync(resultsPath, "utf8"));
  say(`VS Code ${r.vscodeVersion}: ${r.passed} passing, ${r.failed} failing, ${r.pending} pending`);
  for (const t of r.tests.filter((/** @type {{state: string}} */ t) => t.state === "failed"))
    say(`FAILED: ${t.title}`);
  // code-server may report exit 0 for a failing run (shared/vscode-instance.md); the two must agree.
  if ((code === 0) !== (r.failed === 0)) {
    say(
      `exit code ${code} disagrees with the results file (${r.failed} failed): counting the run as failed`,
    );
    return code === 0 ? 1 : code;
  }
  return code;
}

/** Starts code-server in its own process group with every state folder under `tmp`. */
async function startCodeServer(
  /** @type {import("./install.mjs").Instance} */ instance,
  /** @type {string} */ tmp,
  /** @type {number} */ port,
) {
  state.server = await launchCodeServer(instance, tmp, port, {
    // The extension host inherits these: the suite writes results and screenshot requests there.
    env: { GRADLENS_TEST_RESULTS: resultsPath, GRADLENS_SCREENSHOT_DIR: screenshotDir },
    logFile: join(logsDir, "code-server.log"),
    echo: verbose ? (d) => process.stdout.write(`[code-server] ${d}`) : undefined,
    logs: state.logs,
    trust: !opts.untrusted,
  });
  say(`code-server is up on 127.0.0.1:${port}`);
}

/** Headless Chromium (Debian's) with the flags the recipe found necessary on a closed network. */
async function openBrowser(/** @type {string} */ executablePath, /** @type {string} */ tmp) {
  const { chromium } = await import("playwright-core");
  const context = await chromium.launchPersistentContext(join(tmp, "chromium-profile"), {
    executablePath,
    headless: true,
    // Playwright would exit on these itself, before our teardown stops code-server.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    viewport: { width: 1400, height: 900 },
    args: CHROMIUM_ARGS,
  });
  state.closeBrowser = () => context.close();
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (err) => verbose && say(`page error: ${err.message}`));
  return page;
}

/** Answers the suite's `<name>.request` files with `<name>.png` (see test/integration/screenshot.ts). */
function pollScreenshotRequests(/** @type {import("playwright-core").Page} */ page) {
  let busy = false;
  return setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      for (const f of readdirSync(screenshotDir).filter((f) => f.endsWith(".request"))) {
        const name = f.slice(0, -".request".length);
        await screenshot(page, name);
        rmSync(join(screenshotDir, f), { force: true }); // tells the waiting test it is done
      }
    } finally {
      busy = false;
    }
  }, 200);
}

async function screenshot(
  /** @type {import("playwright-core").Page} */ page,
  /** @type {string} */ name,
) {
  const path = join(screenshotDir, `${name}.png`);
  try {
    await page.screenshot({ path, timeout: 10_000 });
    say(`screenshot ${path}`);
  } catch (err) {
    say(`screenshot ${name} failed: ${/** @type {Error} */ (err).message}`);
  }
}

/** Keeps the workbench's own logs (extension host output included) for post-mortems. */
function saveLogs(/** @type {{relativePath: string, contents: string}[]} */ logs) {
  for (const { relativePath, contents } of logs) {
    const file = join(logsDir, relativePath);
    if (!file.startsWith(logsDir)) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
}

/** @type {Promise<void> | undefined} */
let tornDown;
/** Stops everything once, even when a signal and the normal path both ask. */
function teardown() {
  return (tornDown ??= stopAll());
}

async function stopAll() {
  clearInterval(state.poller);
  await Promise.race([state.closeBrowser?.().catch(() => {}), sleep(5000)]);
  const pgid = state.server?.pid;
  if (pgid) {
    // The whole group: code-server, its extension host, pty host, file watchers.
    const signal = (/** @type {NodeJS.Signals | 0} */ sig) => {
      try {
        process.kill(-pgid, sig);
        return true;
      } catch {
        return false; // ESRCH: nobody left in the group
      }
    };
    signal("SIGTERM");
    for (let i = 0; i < 50 && signal(0); i++) await sleep(100);
    signal("SIGKILL");
  }
  if (state.tmp) rmSync(state.tmp, { recursive: true, force: true });
  await Promise.all(state.logs.map((s) => new Promise((res) => s.end(res))));
}

const sleep = (/** @type {number} */ ms) => new Promise((res) => setTimeout(res, ms));

// Ctrl-C or a parent's kill must not leave code-server behind.
for (const sig of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.once(sig, () => void teardown().finally(() => process.exit(130)));
}

let code = 2;
try {
  code = await main();
} catch (err) {
  say(`could not run the suite: ${/** @type {Error} */ (err).stack ?? err}`);
} finally {
  await teardown();
}
process.exit(code);
