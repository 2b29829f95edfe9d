#!/usr/bin/env node
// The main job (`npm start`): on a machine without VS Code, builds Gradlens and opens the
// examples folder in a local VS Code (code-server, the instance the integration tests use)
// with the extension loaded, on 127.0.0.1; prints the address to open in a browser.
//
// Usage: npm start [-- --folder PATH] [-- --port N] [-- --check]
//   --check  start, load the workbench once in headless Chromium, take a screenshot, stop
//            (proves the command works on this machine; used when verifying a fresh clone)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
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

ensureDeps(root);
const { install, CHROMIUM_ARGS } = await import("./vscode-instance/install.mjs");
const { freePort, launchCodeServer, workbenchUrl } =
  await import("./vscode-instance/codeServer.mjs");

console.log("Building the extension …");
execFileSync("npm", ["run", "--silent", "compile"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, npm_config_loglevel: "error" },
});
const instance = install();
const port = opts.port ? Number(opts.port) : await freePort();
const tmp = mkdtempSync(join(tmpdir(), "gradlens-start-"));
const logs = join(root, "artifacts", "start-logs");
mkdirSync(logs, { recursive: true });
const server = await launchCodeServer(instance, tmp, port, {
  logFile: join(logs, "code-server.log"),
});
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
console.log(
  `\nGradlens is running in VS Code ${instance.dir ? "(code-server)" : ""} at:\n\n  ${url}\n`,
);
console.log("Open that address in a browser (the folder opened is " + resolve(opts.folder) + ").");
console.log("Open a model file, then run “Gradlens: Show Computation Graph”. Ctrl-C stops it.");

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
