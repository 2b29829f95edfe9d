/**
 * Kernel threads: how the engine splits its large GEMMs and convolutions over helper threads
 * without spawning any itself (it runs where Node is out of reach: a model's sandbox).
 *
 * The WebAssembly kernels run on one shared memory (`kernelMemory`): the engine's own instances
 * and every helper's instance of the same build. Whoever can start threads (the run worker, the
 * CLI, a test) installs a provider; the provider hands the memory and a small control block to
 * its helper threads, which wait on the block (kernelHelper.ts). A job is one kernel call split
 * into independent slices that write disjoint outputs (column panels of a GEMM block, tiles of
 * a conv's output rows, taps of a weight gradient): every output element is computed by the
 * same instruction sequence whichever thread takes its slice, so results are bit-identical to
 * one thread. The caller posts the job, wakes the helpers and takes slices itself; each slice
 * goes to whoever claims it first (an atomic counter), so a helper that is late, busy or gone
 * only costs speed: the caller never waits for a slice nobody started.
 *
 * Protocol on the control block (Int32Array, Atomics): the caller writes the job, sets OPEN and
 * bumps SEQ (helpers wait on SEQ); a helper adds itself to ACTIVE, then takes part only while
 * OPEN is set. When no slice is left the caller clears OPEN and waits for ACTIVE to drop to 0:
 * a helper counted in ACTIVE either saw OPEN and is finishing the slices it claimed, or sees it
 * cleared and leaves; no helper can read a job while the next one is being written.
 */
import { RuntimeError } from "../errors";
import { JOBS, JobKind, JobExports } from "./kernelJobs";
import { chooseSplit, timedJob } from "./splitTuner";
import { WasmFlavour, WasmMemory, sharedWasmMemory } from "./wasmModule";

/** Pages of the shared kernel memory at start (the GEMM's fixed regions) and at most. */
export const KERNEL_MEMORY_PAGES = 44;
export const KERNEL_MEMORY_MAX_PAGES = 4096;

/** Words of the control block. */
export const CONTROL = {
  SEQ: 0,
  OPEN: 1,
  NEXT: 2,
  TOTAL: 3,
  ACTIVE: 4,
  /** Set by a helper whose slice failed: the caller then runs every slice itself. */
  FAILED: 5,
  KIND: 6,
  /** 1: the relaxed-SIMD build, 0: the plain one (a helper must run the caller's). */
  RELAXED: 7,
  /** Slices helpers have run (statistics: tests see the helpers took part). */
  HELPER_SLICES: 8,
  /** Helper threads serving this block now. */
  HELPERS: 9,
  ARGS: 16,
  WORDS: 32,
} as const;

/** The memory every kernel instance runs on and the block that coordinates the threads. */
export interface SharedKernelMemory {
  memory: WasmMemory;
  control: SharedArrayBuffer;
}

/** What an environment that can start threads gives the engine. */
export interface KernelThreadsProvider {
  /**
   * Puts helper threads to work on `shared` (they instantiate the kernels on its memory and
   * wait on its control block); returns how many will serve it, 0 for none.
   */
  attach(shared: SharedKernelMemory): number;
}

let shared: SharedKernelMemory | null | undefined;

/** The engine's shared kernel memory, made on first use; null where shared memory is missing. */
export function kernelMemory(): SharedKernelMemory | null {
  if (shared === undefined) {
    const memory = sharedWasmMemory(KERNEL_MEMORY_PAGES, KERNEL_MEMORY_MAX_PAGES);
    const words = CONTROL.WORDS * 4;
    shared = memory ? { memory, control: new SharedArrayBuffer(words) } : null;
  }
  return shared;
}

let helpers = 0;
let requested = Infinity;
let control: Int32Array | null = null;
let jobArgs: Int32Array | null = null;

/**
 * Installs the environment's kernel threads (null: none): returns how many helpers serve the
 * engine's kernels now. Where shared memory is missing the kernels stay on one thread.
 */
export function installKernelThreads(provider: KernelThreadsProvider | null): number {
  const mem = kernelMemory();
  helpers = provider && mem ? Math.max(0, Math.floor(Number(provider.attach(mem)) || 0)) : 0;
  control = helpers > 0 && mem ? new Int32Array(mem.control) : null;
  jobArgs = control ? control.subarray(CONTROL.ARGS, CONTROL.WORDS) : null;
  return helpers;
}

/**
 * `torch.set_num_threads(n)`: the threads large GEMMs and convolutions may use, the caller's
 * included. More than there are (1 + the installed helpers) means all of them.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) && Number.isFinite(n))
    throw new RuntimeError("set_num_threads expects an int, but got float");
  if (!Number.isInteger(n) || n <= 0)
    throw new RuntimeError("set_num_threads expects a positive integer");
  requested = n;
}

/** `torch.get_num_threads()`: the threads large kernels run on now (1 without helpers). */
export function getNumThreads(): number {
  return Math.min(requested, 1 + helpers);
}

/** Puts the thread setting back as at start-up (every thread there is). */
export function resetNumThreads(): void {
  requested = Infinity;
}

/**
 * Fewest multiply-adds a job needs before it is split: below it, waking a helper and waiting
 * for it costs more than its half of the work saves (bench: `npm run bench`, 1 and 2 threads).
 */
let minSplitMacs = 1 << 21;

/** Tests: the caller takes no slice before a helper joined (≤ 1 s), so that helpers compute. */
let helpersFirst = false;

/** Engine-internal (tests): whether the caller waits for a helper before taking slices. */
export function _setHelpersFirst(on: boolean): void {
  helpersFirst = on;
}

/** Engine-internal (tests): the split threshold; returns the previous one. */
export function _setSplitThreshold(macs: number): number {
  const previous = minSplitMacs;
  minSplitMacs = macs;
  return previous;
}

/**
 * How many slices a `kind` job of `macs` multiply-adds over `units` independent parts should be cut
 * into on kernels running on `memory`: 1 (run it whole, here) unless helpers serve that memory
 * and the job is large enough to pay.
 */
export function slicesFor(kind: JobKind, macs: number, units: number, memory: WasmMemory): number {
  const threads = getNumThreads();
  if (threads < 2 || macs < minSplitMacs || units < 2 || memory !== shared?.memory) return 1;
  // split when that was faster lately (splitTuner.ts); a few slices per thread, so that a
  // helper that starts late still gets a share
  const split = helpersFirst || chooseSplit(kind);
  eligibleMacs = macs;
  return split ? Math.min(units, 2 * threads) : 1;
}

/** The multiply-adds of the job `slicesFor` just found large enough to split (0: none). */
let eligibleMacs = 0;

/**
 * Runs `kind` with `args` in `slices` slices on the caller's kernel instance `ex` (of build
 * `flavour`) and the helpers; returns once every slice is done. With `slices` 1 it is a plain
 * call here.
 */
export function runJob(
  kind: JobKind,
  args: ArrayLike<number>,
  slices: number,
  ex: JobExports,
  flavour: WasmFlavour,
): void {
  const macs = eligibleMacs;
  eligibleMacs = 0;
  const run = () =>
    slices < 2 ? JOBS[kind](ex, args, 0, 1) : runSplit(kind, args, slices, ex, flavour);
  if (macs > 0 && !helpersFirst) timedJob(kind, slices > 1, macs, run);
  else run();
}

/** runJob's split: posts the job, takes slices beside the helpers, waits for theirs. */
function runSplit(
  kind: JobKind,
  args: ArrayLike<number>,
  slices: number,
  ex: JobExports,
  flavour: WasmFlavour,
): void {
  const job = JOBS[kind];
  const c = control;
  const a = jobArgs;
  if (!c || !a) return job(ex, args, 0, 1);
  const { SEQ, OPEN, NEXT, TOTAL, ACTIVE, FAILED, KIND, RELAXED } = CONTROL;
  a.set(args);
  c[KIND] = kind;
  c[RELAXED] = flavour === "relaxed" ? 1 : 0;
  c[TOTAL] = slices;
  Atomics.store(c, NEXT, 0);
  Atomics.store(c, FAILED, 0);
  Atomics.store(c, OPEN, 1);
  Atomics.add(c, SEQ, 1);
  Atomics.notify(c, SEQ, getNumThreads() - 1);
  // (tests) until a helper claimed a slice, at most a second
  if (helpersFirst)
    for (let t = 0; t < 1000 && Atomics.load(c, NEXT) === 0; t++)
      Atomics.wait(c, CONTROL.WORDS - 1, 0, 1);
  for (let i = Atomics.add(c, NEXT, 1); i < slices; i = Atomics.add(c, NEXT, 1))
    job(ex, a, i, slices);
  Atomics.store(c, OPEN, 0);
  waitForZero(c, ACTIVE);
  // a helper's slice failed (it could not run this build): every slice again, here
  if (Atomics.load(c, FAILED) !== 0) for (let i = 0; i < slices; i++) job(ex, a, i, slices);
}

/** Waits until c[at] is 0: a short spin (the helper is usually about done), then sleeps. */
function waitForZero(c: Int32Array, at: number): void {
  for (let spin = 0; spin < 2000; spin++) if (Atomics.load(c, at) === 0) return;
  for (let v = Atomics.load(c, at); v !== 0; v = Atomics.load(c, at)) {
    try {
      Atomics.wait(c, at, v, 10);
    } catch {
      // a thread that may not block (a browser's main thread): keep spinning
    }
  }
}

/** Slices helpers have run on the engine's control block so far (tests). */
export function helperSlices(): number {
  return control ? Atomics.load(control, CONTROL.HELPER_SLICES) : 0;
}
