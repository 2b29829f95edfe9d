// Suite-side half of the screenshot handshake. The extension host cannot see the workbench's
// pixels, but the harness driving the browser (scripts/vscode-instance/run-suite.mjs) can: a
// test writes `<dir>/<name>.request`, the harness saves `<dir>/<name>.png` and deletes the
// request, and the test waits for that deletion. Without a harness (e.g. @vscode/test-electron)
// GRADLENS_SCREENSHOT_DIR is unset and a request is a no-op.
import * as fs from "fs";
import * as path from "path";

/** The folder screenshots land in, or undefined when no harness takes them. */
export function screenshotDir(): string | undefined {
  return process.env.GRADLENS_SCREENSHOT_DIR || undefined;
}

/** A file-name-safe slug for a test title: "smoke draws 3 nodes" -> "smoke-draws-3-nodes". */
export function screenshotName(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug.slice(0, 100) || "screenshot";
}

/**
 * Asks the harness for a screenshot of the whole workbench, saved as `<name>.png`.
 * Resolves true once it is on disk, false when no harness is listening; rejects on timeout.
 */
export async function requestScreenshot(name: string, timeoutMs = 15_000): Promise<boolean> {
  const dir = screenshotDir();
  if (!dir) return false;
  if (!/^[A-Za-z0-9._-]+$/.test(name))
    throw new Error(`bad screenshot name: ${JSON.stringify(name)}`);
  fs.mkdirSync(dir, { recursive: true });
  const request = path.join(dir, `${name}.request`);
  fs.writeFileSync(request, new Date().toISOString());
  const deadline = Date.now() + timeoutMs;
  while (fs.existsSync(request)) {
    if (Date.now() > deadline) {
      fs.rmSync(request, { force: true });
      throw new Error(
        `no screenshot ${name}.png within ${timeoutMs} ms: is the harness polling ${dir}?`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}
