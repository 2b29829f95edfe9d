/**
 * python/torch/engineSignatures.ts is generated from the engine's source: regenerated into a
 * temporary file, it must be the committed table, so an engine function added without
 * `node scripts/make-python-signatures.mjs` fails here (its keyword arguments would be lost).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../../..");

test("engineSignatures.ts is what make-python-signatures.mjs generates from today's engine", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gradlens-signatures-"));
  try {
    const fresh = path.join(dir, "engineSignatures.ts");
    execFileSync(process.execPath, [path.join(ROOT, "scripts/make-python-signatures.mjs"), fresh], { cwd: ROOT, stdio: "pipe" });
    const committed = fs.readFileSync(path.join(ROOT, "python/torch/engineSignatures.ts"), "utf8");
    assert.ok(
      fs.readFileSync(fresh, "utf8") === committed,
      "python/torch/engineSignatures.ts is out of date: run `node scripts/make-python-signatures.mjs` and commit it",
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
