// Installs the npm dependencies when they are missing or older than the lockfile, so that the
// README's two commands (`npm start`, `npm test`) work on a fresh clone by themselves.
// Uses only Node's built-ins: it runs before anything is installed.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";

/** Runs `npm ci` (or `npm install` when the lockfile is out of step) if needed. */
export function ensureDeps(/** @type {string} */ root) {
  const installed = join(root, "node_modules", ".package-lock.json");
  const lock = join(root, "package-lock.json");
  const fresh =
    existsSync(installed) &&
    (!existsSync(lock) || statSync(installed).mtimeMs >= statSync(lock).mtimeMs);
  if (fresh) return;
  const npm = (/** @type {string[]} */ args) =>
    execFileSync("npm", args, {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, npm_config_loglevel: "error" },
    });
  console.log("Installing npm dependencies (first run) …");
  try {
    npm(["ci", "--no-audit", "--no-fund"]);
  } catch {
    npm(["install", "--no-audit", "--no-fund"]);
  }
}
