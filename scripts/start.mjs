#!/usr/bin/env node
// The main job (`npm start`): on a machine without VS Code, builds Gradlens and opens the
// examples folder in a local VS Code (code-server, the instance the integration tests use)
// with the extension loaded, on 127.0.0.1; prints the address to open in a browser.
//
// Usage: npm start [-- --folder PATH] [-- --port N] [-- --check]
//   --check  start, load the workbench once in headless Chromium, take a screenshot, stop
//            (proves the command works on this machine; used when verifying a fresh clone)
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ensureDeps } from "./ensureDeps.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values: opts } = parseArgs({
  options: {
    folder: { type: "string", default: join(root, "examples") },
    port: { type: "string" },
    check: { type: "boolean", default: false },
  },
});

const logs = join(root, "artifacts", "start-logs");
mkdirSync(logs, { recursive: true });
const rel = (/** @type {string} */ p) => relative(process.cwd(), p) || p;

/** One line per step: what it does, then how long it took (installers may print their own). */
async function step(/** @type {string} */ what, /** @type {() => any} */ run) {
  const t0 = Date.now();
  console.log(`› ${what} …`);
  const result = await run();
  console.log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

await step("Checking the npm packages (installs them on the first run)", () => ensureDeps(root));
const { install, CHROMIUM_ARGS } = await import("./vscode-instance/install.mjs");
const { freePort, launchCodeServer, workbenchUrl } =
  await import("./vscode-instance/codeServer.mjs");

const compileLog = join(logs, "compile.log");
await step(`Building the extension (compiler output in ${rel(compileLog)})`, () => {
  const log = openSync(compileLog, "w");
  try {
    execFileSync("npm", ["run", "--silent", "compile"], {
      cwd: root,
      stdio: ["ignore", log, log],
      env: { ...process.env, npm_config_loglevel: "error" },
    });
  } catch {
    console.error(readFileSync(compileLog, "utf8").split("\n").slice(-30).join("\n"));
    console.error(`The build failed: the whole output is in ${rel(compileLog)}.`);
    process.exit(1);
  } finally {
    closeSync(log);
  }
});
const instance = await step(
  "Getting VS Code (code-server), Node and Chromium (downloaded once, kept in ~/.cache/gradlens)",
  () => install(),
);
const port = opts.port ? Number(opts.port) : await freePort();
const tmp = mkdtempSync(join(tmpdir(), "gradlens-start-"));
const server = await step(`Starting VS Code on 127.0.0.1:${port}`, () =>
  launchCodeServer(instance, tmp, port, { logFile: join(logs, "code-server.log") }),
);
const remote = (/** @type {string} */ p) => `vscode-remote://127.0.0.1:${port}${p}`;
const url = workbenchUrl(port, resolve(opts.folder), [
  ["extensionDevelopmentPath", remote(root)],
  ["skipWelcome", "true"],
  ["skipReleaseNotes", "true"],
]);

const stop = () => {
  try {
    process.kill(-(server.pid ?? 0), "SIGTERM");
  } catch {
    // already gone
  }
  rmSync(tmp, { recursive: true, force: true });
};
process.once("SIGINT", () => (stop(), process.exit(0)));
process.once("SIGTERM", () => (stop(), process.exit(0)));

if (opts.check) {
  const shot = await screenshotOnce(url);
  console.log(`Workbench loaded; screenshot ${shot}`);
  stop();
  process.exit(0);
}
console.log(`\nThe folder ${rel(resolve(opts.folder))} is open in VS Code with Gradlens loaded.`);
console.log("Open a model file (lenet.ts), then run “Gradlens: Show Computation Graph”.");
console.log("Ctrl-C stops it. Open this address in a browser:\n");
console.log(boxed(url));

/** The text in a box, so that the address stands out as the last thing printed. */
function boxed(/** @type {string} */ text) {
  const line = "─".repeat(text.length + 2);
  return `┌${line}┐\n│ ${text} │\n└${line}┘`;
}

/** Loads the workbench in headless Chromium, opens an example, and saves a screenshot. */
async function screenshotOnce(/** @type {string} */ address) {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: instance.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(address);
    await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });
    await page.waitForTimeout(4000);
    const path = join(root, "artifacts", "screenshots", "npm-start.png");
    mkdirSync(dirname(path), { recursive: true });
    await page.screenshot({ path });
    return path;
  } finally {
    await browser.close();
  }
}
