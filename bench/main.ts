/**
 * `npm run bench`: every workload of bench/workloads.ts on Gradlens, tfjs-backend-cpu and
 * tfjs-backend-wasm (one thread) in one process. Before timing, Gradlens' output and
 * gradients are checked against each peer's on the same inputs and weights. Prints medians,
 * GFLOP/s, Gradlens / peer ratios (for a target against a peer also from samples taken in
 * turns, so that a shared machine's load falls on both alike), and each target as met or missed.
 *
 * Options: --only id,id (workload ids; "gemm" for the GEMM alone)   --budget ms (default 2000)
 *          --gemm js|wasm (force the GEMM micro-kernel)   --conv im2col (convs on im2col + GEMM,
 *          not the implicit-GEMM kernels)   --fma off (WebAssembly without relaxed SIMD's fused
 *          multiply-add even where the runtime has it)   --threads n (kernel threads, the
 *          caller's included; default every core: one helper thread per further core)
 * Workloads with a `threads` comparison also print 1 thread and 2 threads from samples taken in
 * turns (kernel threads: engine/kernels/kernelThreads.ts).
 */
import * as os from "os";
import { parseArgs } from "util";
import { WORKLOADS, Workload, Target } from "./workloads";
import { makeParams, makeData, flopsOf } from "./data";
import { prepareGradlens, withTrace, Prepared } from "./gradlens";
import { prepareTfjs, useTfjs, TfjsBackend } from "./tfjs";
import { measure, agree, pairedRatio } from "./measure";
import { benchGemm } from "./gemm";
import { editorLatencyReport } from "./editorLatency";
import * as path from "path";
import { gemmBackendName, _setGemmBackend } from "../engine/kernels/matmul";
import { jsBackend } from "../engine/kernels/gemmJs";
import { wasmBackend } from "../engine/kernels/gemmWasm";
import { convKernels } from "../engine/kernels/convWasm";
import { _setConvKernels } from "../engine/ops/convImplicit";
import { getNumThreads, installKernelThreads, setNumThreads } from "../engine/kernels/kernelThreads";
import { KernelHelperPool } from "../extension/kernelThreads/helperPool";

const { values: opts } = parseArgs({
  options: {
    only: { type: "string" },
    budget: { type: "string" },
    gemm: { type: "string" },
    conv: { type: "string" },
    fma: { type: "string" },
    threads: { type: "string" },
  },
});
const budget = Number(opts.budget ?? 2000);

interface Row {
  engine: string;
  ms?: number;
  /** Gradlens' time over this peer's, from samples taken in turns (measure.ts pairedRatio). */
  paired?: { ratio: number; pairs: number };
  cpu?: number;
  samples?: number;
  note?: string;
}

function timed(run: () => void): number {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

function measured(run: () => void, firstMs: number): { ms: number; cpu: number; samples: number } {
  const t = measure(run, budget, firstMs);
  return { ms: t.median, cpu: t.cpu, samples: t.samples };
}

const fmtMs = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));
const firstLine = (e: unknown) => String(e instanceof Error ? e.message : e).split("\n")[0].slice(0, 110);

/** A target's verdict, e.g. "met (0.21× tfjs-cpu)" or "MISSED by 23 ms (1.23×)". */
function verdict(t: Target, rows: Map<string, Row>): [string, boolean | null] {
  const g = rows.get("gradlens")?.ms;
  if (t.kind === "ms") {
    const label = `≤ ${t.max} ms`;
    if (g === undefined) return [`${label}: not measured`, null];
    return g <= t.max
      ? [`${label}: met (${fmtMs(g)} ms)`, true]
      : [`${label}: MISSED by ${fmtMs(g - t.max)} ms (${(g / t.max).toFixed(2)}× the target)`, false];
  }
  const peer = t.kind === "vsTfjsCpu" ? "tfjs-cpu" : t.kind === "vsTfjsWasm" ? "tfjs-wasm" : null;
  const [base, peerName, label] = peer
    ? [rows.get(peer)?.ms, peer, `≤ ${t.max}× ${peer}`]
    : [g, "untraced", `traced ≤ ${t.max}× untraced`];
  const mine = t.kind === "traced" ? rows.get("gradlens + trace")?.ms : g;
  if (mine === undefined || base === undefined) return [`${label}: not measured`, null];
  // judged on samples taken in turns where there are some: the same load for both
  const paired = peer ? rows.get(peer)?.paired : undefined;
  const ratio = paired?.ratio ?? mine / base;
  const how = paired ? `, in turns over ${paired.pairs} pairs` : "";
  return ratio <= t.max
    ? [`${label}: met (${ratio.toFixed(2)}× ${peerName}${how})`, true]
    : [`${label}: MISSED (${ratio.toFixed(2)}× ${peerName}${how}, ${(ratio / t.max).toFixed(2)}× over)`, false];
}

/**
 * One thread against two on the same workload, from samples taken in turns (the same load for
 * both): rows "gradlens 1 thread" and "gradlens 2 threads". Leaves the thread setting as it was.
 */
function threadsInTurns(run: () => void, ms: number, rows: Map<string, Row>): void {
  const threads = getNumThreads();
  const on = (n: number) => () => {
    setNumThreads(n);
    run();
  };
  try {
    const t = pairedRatio(on(1), on(2), ms, ms, budget);
    const turns = `${t.pairs} pairs in turns`;
    rows.set("1 thread", { engine: "gradlens 1 thread", ms: t.mine, note: turns });
    rows.set("2 threads", { engine: "gradlens 2 threads", ms: t.theirs, note: `${turns}: ${(t.mine / t.theirs).toFixed(2)}× one thread` });
  } finally {
    setNumThreads(threads);
  }
}

async function runWorkload(w: Workload, summary: string[]): Promise<void> {
  const params = makeParams(w);
  const data = makeData(w);
  const names = params.map((p) => p.name);
  const flops = flopsOf(w);
  console.log(`\n■ ${w.title}   [${w.id}, ${(flops / 1e6).toFixed(1)} MFLOP]`);
  const rows = new Map<string, Row>();
  const checks: string[] = [];
  let mine: ReturnType<Prepared["result"]> | null = null;
  let mineRun: (() => void) | null = null;

  try {
    const g = prepareGradlens(w, params, data);
    if ("unavailable" in g) rows.set("gradlens", { engine: "gradlens", note: g.unavailable });
    else {
      const first = timed(g.run);
      mine = g.result();
      rows.set("gradlens", { engine: `gradlens (gemm: ${gemmBackendName()})`, ...measured(g.run, first) });
      mineRun = g.run;
      if (w.threads && getNumThreads() >= 2) threadsInTurns(g.run, rows.get("gradlens")!.ms!, rows);
      if (w.traced) rows.set("gradlens + trace", { engine: "gradlens + trace", ...withTrace(() => measured(g.run, first)) });
    }
  } catch (e) {
    rows.set("gradlens", { engine: "gradlens", note: `FAILED: ${firstLine(e)}` });
  }

  for (const backend of ["cpu", "wasm"] as TfjsBackend[]) {
    const name = `tfjs-${backend}`;
    let p: Prepared | null = null;
    try {
      await useTfjs(backend);
      p = prepareTfjs(w, params, data);
      const first = timed(p.run);
      const theirs = p.result();
      if (mine) {
        const a = agree(mine, theirs, names);
        checks.push(`${a.ok ? "ok" : "MISMATCH"} vs ${name} (worst: ${a.what}, rel. error ${a.worst.toExponential(1)})`);
      }
      const row: Row = { engine: name, ...measured(p.run, first) };
      const g = rows.get("gradlens")?.ms;
      const targeted = w.targets.some((t) => t.kind === (backend === "cpu" ? "vsTfjsCpu" : "vsTfjsWasm"));
      if (targeted && mineRun && g !== undefined && row.samples! > 1) {
        row.paired = pairedRatio(mineRun, p.run, g, row.ms!, budget);
      }
      rows.set(name, row);
    } catch (e) {
      const kernel = /Kernel '(\w+)' not registered/.exec(String(e));
      rows.set(name, { engine: name, note: kernel ? `cannot (no ${kernel[1]} kernel)` : `cannot: ${firstLine(e)}` });
    } finally {
      p?.dispose?.();
    }
  }

  const g = rows.get("gradlens")?.ms;
  for (const [key, r] of rows) {
    if (r.ms === undefined) {
      console.log(`  ${r.engine.padEnd(26)} ${r.note}`);
      continue;
    }
    const turns = r.paired ? `; in turns ${r.paired.ratio.toFixed(2)}×` : "";
    const ratio = key.startsWith("tfjs") && g !== undefined ? `   gradlens/${key} = ${(g / r.ms).toFixed(2)}×${turns}` : "";
    const gf = flops / (r.ms * 1e6);
    const cpu = r.cpu === undefined ? "".padStart(11) : r.samples === 1 ? "(1 run)".padStart(11) : `${fmtMs(r.cpu).padStart(8)} ms`;
    const note = r.note ? `   ${r.note}` : "";
    console.log(`  ${r.engine.padEnd(26)} ${fmtMs(r.ms).padStart(8)} ms ${cpu} ${gf.toFixed(2).padStart(7)} GFLOP/s${ratio}${note}`);
  }
  for (const c of checks) console.log(`  check: ${c}`);
  for (const t of w.targets) {
    const [text, met] = verdict(t, rows);
    console.log(`  target ${text}`);
    summary.push(`${met === null ? "  ?  " : met ? " met " : "MISS "} ${w.id.padEnd(10)} ${text}`);
  }
}

async function main(): Promise<void> {
  const flavour = opts.fma === "off" ? "simd" : "relaxed";
  if (opts.gemm === "js") _setGemmBackend(jsBackend);
  else if (opts.gemm === "wasm" || opts.fma === "off") _setGemmBackend(wasmBackend(flavour) ?? jsBackend);
  const conv = opts.conv === "im2col" ? null : convKernels(flavour);
  _setConvKernels(conv);
  const pool = new KernelHelperPool();
  installKernelThreads(pool);
  if (opts.threads) setNumThreads(Number(opts.threads));
  const only = opts.only?.split(",");
  const chosen = WORKLOADS.filter((w) => !only || only.includes(w.id));
  const started = performance.now();
  console.log(`Gradlens bench — node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`GEMM micro-kernel: ${gemmBackendName()}; convolutions: ${conv ? `implicit GEMM (wasm${conv.flavour === "relaxed" ? "-fma" : ""})` : "im2col + GEMM"}; kernel threads: ${getNumThreads()}`);
  console.log(`Peers: ${await useTfjs("cpu")}, ${await useTfjs("wasm")}`);
  console.log(`Medians over samples of ≥ 5 ms after warm-up: wall clock, then CPU time (this process; near an`);
  console.log(`idle machine's wall clock when other jobs load this one). Targets are judged on wall clock;`);
  console.log(`GFLOP/s (from wall clock) counts conv/linear/matmul work only.`);
  if (!only || only.includes("gemm")) benchGemm(budget);
  const summary: string[] = [];
  for (const w of chosen) await runWorkload(w, summary);
  console.log(`\nTargets (issues 7 and 22):`);
  for (const s of summary) console.log(`  ${s}`);
  for (const line of editorLatencyReport(path.resolve(__dirname, "../.."))) console.log(`  ${line}`);
  pool.stop();
  console.log(`\nTotal ${((performance.now() - started) / 1000).toFixed(0)} s, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
