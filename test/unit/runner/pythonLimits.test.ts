/**
 * A Python model file under the worker's limits, as the editor runs it: an endless loop stops
 * at the time limit on the loop's Python line, and memory past the limit is a memory error that
 * no `except` in the file can swallow.
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { RunPool } from "../../../extension/runner/runModel";
import { at, MODELS } from "./fixtures";

const pool = new RunPool();
after(() => pool.dispose());

test("python limits: an endless loop stops at the time limit, in the loop (the line it was on), after what it printed", async () => {
  const source = "import torch\nprint('before the loop')\nx = torch.ones(2)\nwhile True:\n    x = x * 1\n";
  const r = await pool.run({ file: path.join(MODELS, "spin.py"), source, timeoutMs: 1000 });
  assert.equal(r.error?.kind, "timeout", JSON.stringify(r.error));
  // the loop's line or its body's, whichever the run was on when the limit struck
  assert.ok(["4:1", "5:1"].includes(at(r.error!.location)), at(r.error!.location));
  assert.deepEqual(r.logs, ["before the loop"]);
});

test("python limits: memory past the limit ends the run even inside try/except", async () => {
  const source = [
    "import torch",
    "xs = []",
    "try:",
    "    while True:",
    "        xs.append(torch.ones(1000000))",
    "except Exception:",
    "    print('caught')",
  ].join("\n");
  const r = await pool.run({ file: path.join(MODELS, "hog.py"), source, memoryLimitMb: 64, timeoutMs: 20000 });
  assert.equal(r.error?.kind, "memory", JSON.stringify(r.error));
  assert.match(r.error!.message, /over the limit of 64 MB/);
  assert.deepEqual(r.logs, [], "the file's except did not run");
});
