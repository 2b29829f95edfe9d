// The second runner for the same suite: desktop VS Code through @vscode/test-electron, for
// machines that can download VS Code builds (these cannot: use `npm test`, whose VS Code tier
// runs code-server + Chromium, see scripts/vscode-instance/). Run: `npm run test:electron`.
//
// Usage: node out/test/integration/runElectron.js [workspaceFolder]
import * as path from "path";
import { runTests } from "@vscode/test-electron";

const repoRoot = path.resolve(__dirname, "../../.."); // out/test/integration -> repo
const workspace = path.resolve(process.argv[2] ?? path.join(repoRoot, "test/fixtures/workspace"));

async function main(): Promise<number> {
  try {
    return await runTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(__dirname, "index.js"),
      launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust"],
      extensionTestsEnv: {
        GRADLENS_TEST_RESULTS: path.join(repoRoot, "artifacts/vscode-electron-results.json"),
      },
      timeout: 30_000, // idle timeout of the download, so a dead network fails instead of hanging
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // runTests rejects with TestRunFailedError when the tests ran and failed: nothing to add.
    if (
      /download|fetch|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|getaddrinfo|socket/i.test(message)
    ) {
      console.error(
        `[gradlens] @vscode/test-electron could not download VS Code (${message}).\n` +
          "[gradlens] This runner needs to reach the VS Code update servers. Offline, run the same\n" +
          "[gradlens] suite in code-server instead: node scripts/test-all.mjs --only vscode",
      );
    } else {
      console.error(`[gradlens] integration tests failed: ${message}`);
    }
    return 1;
  }
}

main().then((code) => process.exit(code));
