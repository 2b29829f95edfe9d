/**
 * Where a run's time went, as the host records it (RunResult.phases, which the latency test in
 * VS Code reports): which worker took the run, and its milestones in the order they happen.
 * Times are never asserted, only their order.
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { RunPool } from "../../../extension/runner/runModel";
import { MODELS } from "./fixtures";

const pool = new RunPool();
after(() => pool.dispose());

async function keptIdle(): Promise<void> {
  for (let i = 0; i < 500 && !pool.stats().keptIdle; i++)
    await new Promise((r) => setTimeout(r, 10));
}

test("phases: a file's first run takes a new worker, its next run the kept one, milestones in order", async () => {
  const file = path.join(MODELS, "phases.ts");
  const source = (n: number): string =>
    `import * as torch from "gradlens";\nexport const loss = torch.ones(${n}).mul(2).sum();\n`;
  const first = await pool.run({ file, source: source(2) });
  assert.equal(first.ok, true, first.error?.message);
  assert.equal(first.phases?.worker, "new");
  await keptIdle();
  let hinted = false;
  const second = await pool.run({ file, source: source(3) }, () => (hinted = true));
  assert.equal(second.ok, true, second.error?.message);
  assert.ok(hinted);
  const p = second.phases!;
  assert.equal(p.worker, "kept");
  assert.ok(p.startedMs !== undefined && p.hintsMs !== undefined, JSON.stringify(p));
  assert.ok(p.startedMs <= p.hintsMs && p.hintsMs <= second.durationMs, JSON.stringify(p));
  assert.ok(p.transpileMs >= 0 && p.transpileMs <= p.hintsMs, JSON.stringify(p));
});

test("phases: a run that fails before its model code ends has no hints milestone", async () => {
  const file = path.join(MODELS, "phasesFail.ts");
  const r = await pool.run({ file, source: 'throw new Error("no");\n' });
  assert.equal(r.ok, false);
  assert.ok(r.phases, "a failed run still says where its time went");
  assert.equal(r.phases.hintsMs, undefined);
});
