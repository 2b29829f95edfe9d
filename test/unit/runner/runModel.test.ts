/** runModel: the worker, its limits (time, heap, tensor memory) and per-file cancellation. */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { disposeRunner, runModel, runnerStats } from "../../../extension/runner/runModel";
import { execFileSync } from "node:child_process";
import { WARM_UP } from "../../../extension/worker/warmUp";
import { sandboxBundlePath } from "../../../extension/worker/sandboxHost";
import { at, MODELS, model, nodeLabelled, runSource, SEED_LABELS } from "./fixtures";

after(disposeRunner);

/** Runs `body` while a 10 ms interval ticks; returns its result and the longest gap between ticks. */
async function whileTicking<T>(body: () => Promise<T>): Promise<{ result: T; maxGapMs: number }> {
  let last = performance.now();
  let maxGapMs = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
  }, 10);
  try {
    const result = await body();
    return { result, maxGapMs: Math.max(maxGapMs, performance.now() - last) };
  } finally {
    clearInterval(tick);
  }
}

test("worker: the seed file runs in a worker and returns its graph with gradients", async () => {
  const r = await runModel(model("seed", { backward: {} }));
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(
    r.graph.nodes.map((n) => n.label),
    SEED_LABELS,
  );
  assert.deepEqual(nodeLabelled(r.graph, "x").grad!.values, [-1.5, 0, 1.5, 3]);
  assert.deepEqual(r.logs, ["4.5"]);
  assert.ok(r.durationMs >= r.graph.runMs);
});

test("worker: an infinite loop stops at the time limit while the host keeps answering", async () => {
  const started = performance.now();
  const { result: r, maxGapMs } = await whileTicking(() =>
    runModel(model("infiniteLoop", { timeoutMs: 1000 })),
  );
  const elapsed = performance.now() - started;
  assert.equal(r.ok, false);
  assert.equal(r.error!.kind, "timeout");
  assert.equal(
    r.error!.message,
    "Gradlens stopped the run after 1 s: the code did not finish (an infinite loop?)",
  );
  assert.equal(at(r.error!.location), "9:1", "the time-out is placed on the loop that was running");
  assert.equal(r.error!.location!.file, model("infiniteLoop").file);
  assert.deepEqual(
    r.logs,
    ["before the loop"],
    "what the file printed before the loop still arrives",
  );
  assert.deepEqual(
    r.shapeHints.map((h) => `${at(h.location)} ${h.op} → [${h.outputShape}]`),
    ["6:16 conv1d → [1,4,8]"],
    "and so do the hints",
  );
  assert.deepEqual(
    r.layerHints.map((h) => `${at(h.location)} ${h.description}`),
    ["5:14 Conv1d(2→4, k=3)"],
  );
  assert.ok(elapsed >= 1000, `stopped after ${elapsed} ms`);
  // a host blocked by the run would stall for the whole second (or more)
  assert.ok(maxGapMs < 500, `the host's event loop stalled for ${maxGapMs} ms`);
  // the next run is unaffected
  const next = await runModel(model("seed"));
  assert.equal(next.ok, true);
});

test("worker: tensors past the memory limit give a memory error at their line, not a crash", async () => {
  const huge = await runModel(model("hugeAlloc"));
  assert.equal(huge.error!.kind, "memory");
  assert.match(
    huge.error!.message,
    /^Gradlens stopped the run: it asked for 38147 MB of tensor memory/,
  );
  assert.equal(at(huge.error!.location), "5:19");
  const big = await runModel(model("bigAlloc", { memoryLimitMb: 256 }));
  assert.equal(big.error!.kind, "memory");
  assert.match(
    big.error!.message,
    /it asked for 1526 MB of tensor memory .* over the limit of 256 MB/,
  );
  assert.equal(at(big.error!.location), "5:19");
});

test("worker: a heap past the limit gives a memory error and the host carries on", async () => {
  const { result: r, maxGapMs } = await whileTicking(() =>
    runModel(model("heapHog", { memoryLimitMb: 64, timeoutMs: 20000 })),
  );
  assert.equal(r.error!.kind, "memory");
  assert.equal(
    r.error!.message,
    "Gradlens stopped the run: it used more than 64 MB of memory (gradlens.memoryLimitMb)",
  );
  assert.equal(at(r.error!.location), "3:1", "at the loop that filled the heap");
  assert.ok(maxGapMs < 500, `the host's event loop stalled for ${maxGapMs} ms`);
  assert.equal((await runModel(model("seed"))).ok, true);
});

test("worker: a loop in an imported file is placed there", async () => {
  const lib = path.join(MODELS, "spinLib.ts");
  const r = await runModel({
    file: path.join(MODELS, "spinMain.ts"),
    source: 'import { spin } from "./spinLib";\nconsole.log("start");\nspin();\n',
    texts: { [lib]: "export function spin(): void {\n  let i = 0;\n  for (;;) {\n    i++;\n  }\n}\n" },
    timeoutMs: 500,
  });
  assert.equal(r.error!.kind, "timeout");
  assert.equal(r.error!.location?.file, lib);
  assert.equal(r.error!.location?.line, 3);
});

test("worker: a large file's transpile does not eat its own or another file's time limit", async () => {
  // Seconds of TypeScript (interfaces: nothing of them is left for V8 to compile); both runs
  // have 500 ms for their code, and their code is quick.
  const large = Array.from({ length: 40_000 }, (_, i) => `interface I${i} { a: number; b: I${i}[] }`).join("\n");
  const started = performance.now();
  const [big, small] = await Promise.all([
    runModel({ file: path.join(MODELS, "large.ts"), source: large + "\nconsole.log('ran');\n", timeoutMs: 500 }),
    new Promise<void>((r) => setTimeout(r, 50)).then(() => runModel({ ...model("seed"), timeoutMs: 500 })),
  ]);
  const waited = performance.now() - started;
  assert.ok(waited > 1000, `the transpile took only ${waited} ms: the test shows nothing`);
  assert.equal(big.ok, true, big.error?.message);
  assert.deepEqual(big.logs, ["ran"]);
  assert.equal(small.ok, true, small.error?.message);
});

test("worker: a new run of the same file cancels the one still going", async () => {
  const first = runModel(model("infiniteLoop", { timeoutMs: 20000 }));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const started = performance.now();
  const second = runModel({ ...model("seed"), file: model("infiniteLoop").file });
  const r1 = await first;
  assert.ok(performance.now() - started < 1000, "the old run ends at once");
  assert.equal(r1.cancelled, true);
  assert.equal(r1.ok, false);
  const r2 = await second;
  assert.equal(r2.ok, true, r2.error?.message);
  assert.equal(r2.cancelled, undefined);
});

test("worker: imports are transpiled by the shared transpiler worker, unsaved texts included", async () => {
  const importer = model("importer", { backward: {} });
  const layers = path.join(MODELS, "lib", "layers.ts");
  const ok = await runModel(importer);
  assert.equal(ok.ok, true, ok.error?.message);
  assert.equal(nodeLabelled(ok.graph, "MulBackward0").location!.file, layers);
  assert.deepEqual(nodeLabelled(ok.graph, "x").grad!.values, [2, 2, 2]);
  // The import's unsaved text, with a syntax error: reported in that file, at its line.
  const broken =
    'import * as torch from "gradlens";\nexport function double(t) {\n  return t.mul(2;\n}\n';
  const r = await runModel({ ...importer, texts: { [layers]: broken } });
  assert.equal(r.ok, false);
  assert.equal(r.error!.kind, "syntax");
  assert.equal(r.error!.location!.file, layers);
  assert.equal(at(r.error!.location), "3:17");
  // And the file on disk again: the transpiler's cache is keyed by text, not by name alone.
  const again = await runModel(importer);
  assert.equal(again.ok, true, again.error?.message);
});

test("worker: the worker that runs user code does not load TypeScript", () => {
  // Walks the emitted CommonJS requires from worker.js: TypeScript must stay in the transpiler.
  const extensionDir = path.resolve(__dirname, "../../../extension");
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = fs.readFileSync(file, "utf8");
    for (const [, spec] of code.matchAll(/require\("([^"]+)"\)/g)) {
      assert.notEqual(spec, "typescript", `${path.relative(extensionDir, file)} requires typescript`);
      if (spec.startsWith(".")) visit(require.resolve(path.resolve(path.dirname(file), spec)));
    }
  };
  visit(path.join(extensionDir, "worker", "worker.js"));
  for (const needed of ["worker/transpileClient.js", "worker/sandboxHost.js", "runProtocol/resultCheck.js"])
    assert.ok(seen.has(path.join(extensionDir, needed)), [...seen].join("\n"));
  // and the code the worker runs inside each sandbox is the engine and the run code only
  const bundle = fs.readFileSync(sandboxBundlePath(), "utf8");
  assert.doesNotMatch(bundle, /createSourceFile|ts\.transpileModule/);
});

test("worker: the warm-up model runs, and leaves the random numbers as a fresh engine's", async () => {
  const warm = await runSource(WARM_UP, { backward: {} });
  assert.equal(warm.ok, true, warm.error?.message);
  assert.ok(warm.graph.hasGradients);
  // A warm worker's first randn, without manualSeed, is a fresh process's first randn.
  const r = await runModel({
    ...model("seed"),
    source: 'import * as torch from "gradlens";\nconsole.log(torch.randn(5).tolist().join(" "));\n',
  });
  assert.equal(r.ok, true, r.error?.message);
  const engineFile = require.resolve("../../../engine/index");
  const fresh = execFileSync(process.execPath, [
    "-e",
    `console.log(require(${JSON.stringify(engineFile)}).randn(5).tolist().join(" "))`,
  ])
    .toString()
    .trim();
  assert.deepEqual(r.logs, [fresh]);
});

test("worker: a huge op output (not only a huge factory tensor) stops at the memory limit", async () => {
  // 3000 × 6000 floats = 72 MB from two tiny inputs; the engine takes such outputs unzeroed.
  const source =
    'import * as torch from "gradlens";\n' +
    "const big = torch.ones(3000, 1).matmul(torch.ones(1, 6000));\n" +
    "console.log(big.shape);\n";
  const r = await runModel({ ...model("seed"), source, memoryLimitMb: 64 });
  assert.equal(r.ok, false, "the 72 MB product was allocated under a 64 MB limit");
  assert.equal(r.error!.kind, "memory");
  assert.match(r.error!.message, /over the limit of 64 MB/);
  assert.equal(at(r.error!.location), "2:33"); // at matmul
});

/** Waits until the worker kept after the last run says it is idle (or 5 s). */
async function keptIdle(): Promise<void> {
  for (let i = 0; i < 500 && !runnerStats().keptIdle; i++) await new Promise((r) => setTimeout(r, 10));
}

test("worker: the next run of a file reuses its worker, starting from a fresh engine", async () => {
  const file = path.join(MODELS, "reuse.ts");
  const source =
    'import * as torch from "gradlens";\n' +
    "console.log(torch.isGradEnabled(), torch.randn(3).tolist().join(' '));\n" +
    "torch.setGradEnabled(false);\ntorch.manualSeed(7);\n";
  const first = await runModel({ file, source });
  await keptIdle();
  const started = runnerStats().workersStarted;
  const second = await runModel({ file, source });
  assert.equal(runnerStats().workersStarted, started, "the second run started a worker");
  assert.deepEqual(second.logs, first.logs, "the reused worker's run saw the first run's engine state");
  assert.match(first.logs[0], /^true /);
});

test("worker: a run never sees what the run before it changed, in the same worker", async () => {
  const file = path.join(MODELS, "leftovers.ts");
  const tamper = [
    'import * as torch from "gradlens";',
    "(globalThis as any).leaked = 1;",
    "const map = Array.prototype.map;",
    "(Array.prototype as any).map = function (this: any, ...a: any[]) { return map.apply(this, a as any); };",
    "(Array.prototype as any).sum = () => 42;",
    "Float32Array.prototype.fill = function () { return this; };",
    "(torch.Tensor.prototype as any).add = () => 'patched';",
    "(Object.prototype as any).polluted = true;",
    "setTimeout(() => console.log('a timer of the last run'), 30);",
    "setInterval(() => console.log('an interval of the last run'), 5);",
  ].join("\n");
  const check = [
    'import * as torch from "gradlens";',
    "const x = torch.ones(2).add(1);",
    "console.log(typeof (globalThis as any).leaked, /native code/.test(String([].map)), typeof ([] as any).sum,",
    "  new Float32Array(2).fill(3).join(','), x.tolist().join(','), ({} as any).polluted);",
    "export default new Promise((done) => setTimeout(done, 80));",
  ].join("\n");
  const tampered = await runModel({ file, source: tamper });
  assert.equal(tampered.ok, true, tampered.error?.message);
  await keptIdle();
  const started = runnerStats().workersStarted;
  const clean = await runModel({ file, source: check });
  assert.equal(clean.ok, true, clean.error?.message);
  assert.equal(runnerStats().workersStarted, started, "not the same worker: the test shows nothing");
  assert.deepEqual(clean.logs, ["undefined true undefined 3,3 2,2 undefined"]);
});

