/**
 * What the model sandbox costs a run (issue 14's budget: about 20 ms), measured by
 * `npm run bench` in one process: examples/lenet.ts run again and again (1) in a sandbox the
 * way the worker runs it (a reused, warmed vm context; the result crossing the bridge as JSON
 * and checked) and (2) with the same run code and engine loaded straight into this realm, as
 * the runner did before the sandbox. Runs alternate, after the same warm-up; transpiling is
 * cached for both (it is the same either way). Also: what a fresh sandbox costs to make,
 * warm and seal (off the edit's path: it happens while the editor is idle), and the check that
 * a run left it clean. And issue 23's figure: the same LeNet written in Python
 * (examples/lenet.py, run on the Python front end, parsed anew each run as after an edit)
 * beside lenet.ts (whose transpile is cached, so the comparison favours TypeScript), runs
 * alternating in the same sandbox. Writes artifacts/sandbox-cost.json for the report
 * (editorLatency.ts).
 */
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
import * as engine from "../engine/index";
import { executeRun, type RunEnvironment } from "../extension/sandbox/execute";
import { Sandbox } from "../extension/worker/sandboxHost";
import { transpile } from "../extension/transpiler/transpile";
import type { TranspileFn } from "../extension/runProtocol/transpiled";
import { packValues } from "../extension/runProtocol/valuePacking";
import { WARM_UP } from "../extension/worker/warmUp";

export interface SandboxCost {
  samples: number;
  sandboxMs: number;
  sameRealmMs: number;
  createMs: number;
  warmUpMs: number;
  sealMs: number;
  reuseCheckMs: number;
  /** examples/lenet.py in the same sandbox (median). */
  pythonMs: number;
}

const root = path.resolve(__dirname, "../..");
const file = path.join(root, "examples/lenet.ts");
const source = fs.readFileSync(file, "utf8");
const pyFile = path.join(root, "examples/lenet.py");
const pySource = fs.readFileSync(pyFile, "utf8");
const cache = new Map<string, ReturnType<TranspileFn>>();
const cachedTranspile: TranspileFn = (f, s) => {
  const key = `${f}\n${s}`;
  if (!cache.has(key)) cache.set(key, transpile(f, s));
  return cache.get(key)!;
};
const quiet = { log: () => undefined, shapeHint: () => undefined, layerHint: () => undefined };
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (ms: number): number => Math.round(ms * 10) / 10;

/** The run code and engine in this realm: how the worker ran models before the sandbox. */
function sameRealmEnv(): RunEnvironment {
  return {
    host: {
      intrinsics: [],
      readText: (f) => (f === file ? source : fs.existsSync(f) ? fs.readFileSync(f, "utf8") : null),
      resolve: () => "",
      dirname: (f) => path.dirname(f),
      compile: (code, params, f) => vm.compileFunction(code, params, { filename: f }) as (...a: unknown[]) => unknown,
    },
    now: () => performance.now(),
    nextTurn: () => new Promise((r) => setImmediate(r)),
    process: { platform: process.platform, version: process.version, memoryUsage: () => 0 },
  };
}

async function sameRealmRun(): Promise<number> {
  const t0 = performance.now();
  const result = await executeRun({ file, source, backward: {} }, engine, cachedTranspile, {}, sameRealmEnv());
  packValues(result.graph);
  engine.trace.resetGlobalState();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const samples = Number(process.argv[2] ?? 15);
  let t = performance.now();
  const sandbox = new Sandbox(512, cachedTranspile);
  const createMs = performance.now() - t;
  t = performance.now();
  await sandbox.warmUp(WARM_UP);
  const warmUpMs = performance.now() - t;
  t = performance.now();
  sandbox.seal();
  const sealMs = performance.now() - t;
  await executeRun({ file: "/w.ts", source: WARM_UP, backward: {} }, engine, cachedTranspile, {}, sameRealmEnv());
  engine.trace.resetGlobalState();

  const inSandbox: number[] = [];
  const sameRealm: number[] = [];
  const checks: number[] = [];
  const python: number[] = [];
  for (let i = 0; i < samples + 3; i++) {
    t = performance.now();
    const outcome = await sandbox.run({ file, source, backward: {} }, quiet);
    const ms = performance.now() - t;
    if (outcome.type !== "result" || !outcome.result.ok) throw new Error("the sandboxed run failed");
    await new Promise((r) => setImmediate(r));
    t = performance.now();
    if (!sandbox.reuse()) throw new Error(`the sandbox was not reusable: ${sandbox.lastChange}`);
    checks.push(performance.now() - t);
    const other = await sameRealmRun();
    t = performance.now();
    const py = await sandbox.run({ file: pyFile, source: pySource, backward: {} }, quiet);
    const pyMs = performance.now() - t;
    if (py.type !== "result" || !py.result.ok) throw new Error("the sandboxed Python run failed");
    await new Promise((r) => setImmediate(r));
    if (!sandbox.reuse()) throw new Error(`the sandbox was not reusable after Python: ${sandbox.lastChange}`);
    if (i >= 3) python.push(pyMs);
    if (i >= 3) {
      inSandbox.push(ms); // the first runs of each warm the code for this model
      sameRealm.push(other);
    }
  }
  sandbox.dispose();
  const cost: SandboxCost = {
    samples,
    sandboxMs: round(median(inSandbox)),
    sameRealmMs: round(median(sameRealm)),
    createMs: round(createMs),
    warmUpMs: round(warmUpMs),
    sealMs: round(sealMs),
    reuseCheckMs: round(median(checks)),
    pythonMs: round(median(python)),
  };
  fs.mkdirSync(path.join(root, "artifacts"), { recursive: true });
  fs.writeFileSync(path.join(root, "artifacts/sandbox-cost.json"), JSON.stringify(cost, null, 2) + "\n");
  console.log(JSON.stringify(cost));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
