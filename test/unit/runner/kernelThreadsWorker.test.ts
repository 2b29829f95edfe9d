/**
 * Kernel threads in the run worker (what the extension and the CLI run models in): a model sees
 * the worker's helper threads, and a run stopped at its time limit in the middle of a split conv
 * takes its helpers with it without holding up the host, whose next run works.
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { RunPool } from "../../../extension/runner/runModel";
import { defaultHelperCount } from "../../../extension/kernelThreads/helperPool";

const pool = new RunPool();
after(() => pool.dispose());

const file = "/kernel-threads/model.ts";
const CONV = `import * as torch from "gradlens";
const conv = new torch.nn.Conv2d(20, 16, [3, 5]);
const x = torch.randn(1, 20, 64, 128);
console.log("threads " + torch.getNumThreads());
`;

test("worker: a model sees the run worker's kernel threads (one helper per further core)", async () => {
  const r = await pool.run({ file, source: CONV + "conv.forward(x).sum().backward();\n" });
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(r.logs, [`threads ${1 + defaultHelperCount()}`]);
});

test("worker: a run stopped at its time limit inside split convs ends with its helpers; the next run works", async () => {
  const started = performance.now();
  const r = await pool.run({
    file,
    source: CONV + "for (;;) conv.forward(x).sum().backward();\n",
    timeoutMs: 1500,
  });
  assert.equal(r.ok, false);
  assert.equal(r.error!.kind, "timeout");
  assert.ok(
    performance.now() - started < 10_000,
    "the host waited for the stopped worker's threads",
  );
  const next = await pool.run({ file, source: CONV });
  assert.equal(next.ok, true, next.error?.message);
});
