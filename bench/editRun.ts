/**
 * Where the run an edit causes spends its time (issue 22, part 4: edit → hints on
 * examples/lenet.ts), outside VS Code. Every run widens the output layer, as the VS Code
 * latency test does, so no transpile comes from a cache. Two views, rounds alternating:
 *  - through the real runner (runModel: the file's kept worker, its warm sandbox, the shared
 *    transpiler worker), a pause between runs as a user's: when the hints were in (the run's
 *    "ran" message), the host's total, the run's own clock (transpile and model), and the rest
 *    (graph building, packing, the result crossing the sandbox bridge and the thread, checks);
 *  - the sandbox's steps in this process, each timed: transpiling (TypeScript and the
 *    instrumentation), the model (loading, running, tracing, hints), and what follows it.
 *
 *   node out/bench/editRun.js [--runs 15] [--pause 300]
 */
import * as fs from "fs";
import * as path from "path";
import * as os from "os";
import { parseArgs } from "util";
import { RunPool } from "../extension/runner/runModel";
import { Sandbox } from "../extension/worker/sandboxHost";
import { transpile } from "../extension/transpiler/transpile";
import type { TranspileFn } from "../extension/runProtocol/transpiled";
import { WARM_UP } from "../extension/worker/warmUp";

const root = path.resolve(__dirname, "../..");
const file = path.join(root, "examples/lenet.ts");
const original = fs.readFileSync(file, "utf8");
const LAYER = "new nn.Linear(84, 10)";
if (!original.includes(LAYER)) throw new Error(`examples/lenet.ts no longer has ${LAYER}`);
/** The model with its output layer `width` wide: a new text, as after an edit. */
const edited = (width: number): string => original.replace(LAYER, `new nn.Linear(84, ${width})`);

const median = (xs: number[]): string => [...xs].sort((a, b) => a - b)[xs.length >> 1].toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quiet = { log: () => undefined, shapeHint: () => undefined, layerHint: () => undefined };

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: "string" }, pause: { type: "string" } },
  });
  const runs = Number(values.runs ?? 15);
  const pause = Number(values.pause ?? 300);
  let transpileMs = 0;
  const timedTranspile: TranspileFn = (f, s) => {
    const t = performance.now();
    try {
      return transpile(f, s);
    } finally {
      transpileMs += performance.now() - t;
    }
  };
  let sandbox = new Sandbox(512, timedTranspile);
  await sandbox.warmUp(WARM_UP);
  sandbox.seal();
  const host = {
    total: [] as number[],
    hints: [] as number[],
    run: [] as number[],
    rest: [] as number[],
  };
  const local = {
    total: [] as number[],
    transpile: [] as number[],
    model: [] as number[],
    after: [] as number[],
  };
  const pool = new RunPool();
  let width = 10;
  for (let i = 0; i < runs + 2; i++) {
    const counted = i >= 2; // the first runs warm the code paths of this model
    width += 2;
    const t0 = performance.now();
    let hintsMs = NaN;
    const r = await pool.run(
      { file, source: edited(width), backward: false },
      () => (hintsMs = performance.now() - t0),
    );
    if (!r.ok) throw new Error(`the run failed: ${r.error?.message}`);
    if (counted) {
      host.total.push(r.durationMs);
      host.hints.push(hintsMs);
      host.run.push(r.graph.runMs);
      host.rest.push(r.durationMs - r.graph.runMs);
    }
    await sleep(pause);
    width += 2;
    transpileMs = 0;
    const t1 = performance.now();
    const outcome = await sandbox.run({ file, source: edited(width), backward: false }, quiet);
    const total = performance.now() - t1;
    if (outcome.type !== "result" || !outcome.result.ok)
      throw new Error("the sandboxed run failed");
    if (counted) {
      local.total.push(total);
      local.transpile.push(transpileMs);
      local.model.push(outcome.result.durationMs - transpileMs);
      local.after.push(total - outcome.result.durationMs);
    }
    await new Promise((r) => setImmediate(r));
    if (!sandbox.reuse()) {
      sandbox = new Sandbox(512, timedTranspile);
      await sandbox.warmUp(WARM_UP);
      sandbox.seal();
    }
    await sleep(pause);
  }
  sandbox.dispose();
  pool.dispose();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  console.log(`edit → run of examples/lenet.ts, medians of ${runs} (load ${load}):`);
  console.log(
    `  runner (worker threads): hints in ${median(host.hints)} ms, the result in ${median(host.total)} ms = the run's clock ${median(host.run)} (transpile + model) + ${median(host.rest)} after it (graph, packing, bridge, thread, checks)`,
  );
  console.log(
    `  its steps in this process: ${median(local.total)} ms = transpile ${median(local.transpile)} + model ${median(local.model)} + ${median(local.after)} after it`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
