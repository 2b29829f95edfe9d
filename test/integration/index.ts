// Entry point of the integration suite: VS Code loads this file in the extension host (its
// path is the run's extensionTestsPath) and calls run(). The same run() serves both runners:
// scripts/vscode-instance/run-suite.mjs (code-server + Chromium) and runElectron.ts.
// A resolved run() means every test passed, a rejected one that something failed.
//
// The report goes to console.log, which both runners forward to their stdout. Results also
// go to the JSON file named by GRADLENS_TEST_RESULTS, so the harness can cross-check the
// exit code it was given.
import * as fs from "fs";
import * as path from "path";
import Mocha from "mocha";
import * as vscode from "vscode";
import { requestScreenshot, screenshotName } from "./screenshot";

/** One line of the results file. `state` is mocha's: passed, failed or pending (skipped). */
export interface TestResult {
  title: string;
  state: "passed" | "failed" | "pending";
  error?: string;
}

/** The results file the harness reads (GRADLENS_TEST_RESULTS). */
export interface SuiteResults {
  passed: number;
  failed: number;
  pending: number;
  tests: TestResult[];
  vscodeVersion: string;
  uiKind: "desktop" | "web";
  remoteName: string | null;
}

export async function run(): Promise<void> {
  const tests: TestResult[] = [];
  const where = vscode.env.uiKind === vscode.UIKind.Web ? "web" : "desktop";
  log(`VS Code ${vscode.version} (${where}, remote: ${vscode.env.remoteName ?? "none"})`);

  // Window-level UI such as opening an editor can take a few seconds on a cold 2-core machine.
  const mocha = new Mocha({
    ui: "bdd",
    color: false,
    timeout: 30_000,
    reporter: consoleReporter(tests),
    // Only the tests whose title matches (the bench runs the latency tests alone this way).
    ...(process.env.GRADLENS_TEST_GREP ? { grep: process.env.GRADLENS_TEST_GREP } : {}),
  });
  const files = findTests(__dirname);
  files.forEach((file) => mocha.addFile(file));

  // Root hook: runs after every test of every file, so each failure leaves a picture.
  mocha.suite.afterEach("screenshot on failure", async function (this: Mocha.Context) {
    const test = this.currentTest;
    if (test?.state !== "failed") return;
    const name = `vscode-failed-${screenshotName(test.fullTitle())}`;
    try {
      if (await requestScreenshot(name)) log(`    screenshot: ${name}.png`);
    } catch (err) {
      log(`    (no screenshot: ${(err as Error).message})`);
    }
  });

  let failures: number;
  try {
    failures = await new Promise<number>((resolve) => mocha.run(resolve));
  } catch (err) {
    // A file that throws at load time (syntax, missing import) lands here, not in a test.
    tests.push({ title: "loading the integration suite", state: "failed", error: errorText(err) });
    logFailure("loading the integration suite", err);
    failures = 1;
  }

  const results: SuiteResults = {
    passed: tests.filter((t) => t.state === "passed").length,
    failed: Math.max(failures, tests.filter((t) => t.state === "failed").length),
    pending: tests.filter((t) => t.state === "pending").length,
    tests,
    vscodeVersion: vscode.version,
    uiKind: where,
    remoteName: vscode.env.remoteName ?? null,
  };
  log(
    `${files.length} file(s): ${results.passed} passing, ${results.failed} failing, ` +
      `${results.pending} pending (VS Code ${vscode.version})`,
  );
  const out = process.env.GRADLENS_TEST_RESULTS;
  if (out) {
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
  }
  if (results.failed > 0 || files.length === 0) {
    throw new Error(
      files.length === 0 ? `no *.test.js under ${__dirname}` : `${results.failed} test(s) failed`,
    );
  }
}

/** Every compiled `*.test.js` below `dir`, sorted so runs are in a stable order. */
function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full));
    else if (entry.name.endsWith(".test.js")) found.push(full);
  }
  return found.sort();
}

/** Every report line carries the prefix the harness filters on. */
function log(line: string): void {
  console.log(`[gradlens] ${line}`);
}

function logFailure(title: string, err: unknown): void {
  log(`  ✘ ${title}`);
  for (const line of errorText(err).split("\n").slice(0, 8)) log(`      ${line}`);
}

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** A plain-text reporter (one line per test, through console.log) that also records results. */
function consoleReporter(tests: TestResult[]): typeof Mocha.reporters.Base {
  return class ConsoleReporter extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
      super(runner, options);
      runner.on("suite", (suite) => suite.title && log(`${suite.titlePath().join(" › ")}`));
      runner.on("pass", (test) => {
        tests.push({ title: test.fullTitle(), state: "passed" });
        log(`  ✔ ${test.title} (${test.duration ?? 0} ms)`);
      });
      runner.on("pending", (test) => {
        tests.push({ title: test.fullTitle(), state: "pending" });
        log(`  - ${test.title} (skipped)`);
      });
      // Also fires for failing hooks: their "test" is the hook, titled after it.
      runner.on("fail", (test, err: unknown) => {
        tests.push({ title: test.fullTitle(), state: "failed", error: errorText(err) });
        logFailure(test.title, err);
      });
    }
  };
}
