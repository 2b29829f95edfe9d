// Starts code-server (VS Code's server) the way both the integration suite and `npm start` need
// it: in its own process group, every state folder under a temp dir, quiet offline defaults,
// and the smoke-test driver on so that a URL payload can load an extension under development.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

/**
 * @typedef {{ env?: Record<string, string>, logFile: string, echo?: (chunk: string) => void,
 *   logs?: import("node:fs").WriteStream[], trust?: boolean }} LaunchOptions
 */

/**
 * Launches code-server on 127.0.0.1:`port` and resolves once /healthz answers.
 * @param {import("./install.mjs").Instance} instance
 * @param {string} tmp
 * @param {number} port
 * @param {LaunchOptions} options
 */
export async function launchCodeServer(instance, tmp, port, options) {
  const dir = (/** @type {string} */ name) => {
    mkdirSync(join(tmp, name), { recursive: true });
    return join(tmp, name);
  };
  const userData = dir("user-data");
  // User settings: quiet, offline-friendly defaults, so nothing pops over what tests look at.
  mkdirSync(join(userData, "User"), { recursive: true });
  writeFileSync(
    join(userData, "User", "settings.json"),
    JSON.stringify(
      {
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "extensions.autoCheckUpdates": false,
        "extensions.autoUpdate": false,
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": false,
        "security.workspace.trust.enabled": options.trust === false,
        // Keep the chat side bar from taking a third of every screenshot.
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "chat.disableAIFeatures": true,
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(tmp, "config.yaml"),
    `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`,
  );
  const args = [
    instance.codeServerEntry,
    "--bind-addr",
    `127.0.0.1:${port}`,
    "--auth",
    "none",
    "--disable-telemetry",
    "--disable-update-check",
    ...(options.trust === false ? [] : ["--disable-workspace-trust"]),
    "--disable-getting-started-override",
    "--user-data-dir",
    userData,
    "--extensions-dir",
    dir("extensions"),
    "--config",
    join(tmp, "config.yaml"),
    // Without it the workbench ignores the payload and no extension under development loads.
    "--vscode-option",
    "enable-smoke-test-driver",
  ];
  const env = { ...process.env };
  for (const k of Object.keys(env))
    if (k.startsWith("VSCODE_") || k === "ELECTRON_RUN_AS_NODE") delete env[k];
  Object.assign(env, {
    XDG_CONFIG_HOME: dir("xdg/config"),
    XDG_DATA_HOME: dir("xdg/data"),
    XDG_CACHE_HOME: dir("xdg/cache"),
    // No extension gallery (code-server defaults to open-vsx): offline it only logs errors.
    EXTENSIONS_GALLERY: "{}",
    ...options.env,
  });
  // detached: its own process group, so teardown can stop the extension host and helpers too.
  const server = spawn(instance.node, args, {
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = createWriteStream(options.logFile);
  options.logs?.push(log);
  let tail = "";
  for (const s of [server.stdout, server.stderr]) {
    s.on("data", (d) => {
      log.write(d);
      tail = (tail + d).slice(-3000);
      options.echo?.(String(d));
    });
  }
  const died = new Promise((res) => server.once("exit", (code) => res(code)));
  const deadline = Date.now() + 90_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return server;
    const gone = await Promise.race([died, sleep(250).then(() => "running")]);
    if (gone !== "running" || Date.now() > deadline) {
      const why = gone !== "running" ? `exited (${gone})` : "not healthy in 90 s";
      throw new Error(`code-server ${why}; log ${options.logFile} ends:\n${tail}`);
    }
  }
}

/** The workbench URL that opens `folder` with the payload's extension (and tests) loaded. */
export function workbenchUrl(
  /** @type {number} */ port,
  /** @type {string} */ folder,
  /** @type {[string, string][]} */ payload,
) {
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return /** @type {Promise<number>} */ (
    new Promise((res, rej) => {
      const srv = createServer().listen(0, "127.0.0.1", () => {
        const addr = srv.address();
        srv.close(() =>
          typeof addr === "object" && addr ? res(addr.port) : rej(new Error("no port")),
        );
      });
    })
  );
}

const sleep = (/** @type {number} */ ms) => new Promise((res) => setTimeout(res, ms));
