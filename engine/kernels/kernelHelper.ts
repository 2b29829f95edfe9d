/**
 * A helper thread's side of kernel threads (kernelThreads.ts): waits on the control block,
 * takes slices of each job as they come, and runs them on its own instances of the caller's
 * builds on the shared memory. Plain JavaScript and Atomics: the thread that runs it (started
 * by extension/kernelThreads/) gives it the shared memory, its WebAssembly and a way to hear of
 * the next memory to serve.
 */
import { CONTROL, SharedKernelMemory } from "./kernelThreads";
import { JOBS, JOB_MODULE, JobKind } from "./kernelJobs";
import { KernelModule, instantiateKernelModule } from "./kernelModules";
import type { WasmApi, WasmFlavour } from "./wasmModule";

/** What the helper's thread tells it between jobs: a memory to serve instead, or stop. */
export type HelperNews = () => SharedKernelMemory | "stop" | null;

/** How long a helper sleeps before it looks for news unasked (the host also wakes it). */
const NEWS_EVERY_MS = 1000;

/**
 * Serves jobs on `first` until told to stop: blocks its thread (Atomics.wait) between jobs.
 * `news` is asked whenever the helper wakes.
 */
export function serveKernelJobs(first: SharedKernelMemory, api: WasmApi, news: HelperNews): void {
  let shared = first;
  let c = new Int32Array(shared.control);
  let instances = new Map<string, KernelModule | null>();
  const {
    SEQ,
    OPEN,
    NEXT,
    TOTAL,
    ACTIVE,
    FAILED,
    KIND,
    RELAXED,
    HELPER_SLICES,
    HELPERS,
    ARGS,
    WORDS,
  } = CONTROL;
  let args = c.subarray(ARGS, WORDS);
  const instance = (kind: JobKind, flavour: WasmFlavour): KernelModule | null => {
    const key = `${JOB_MODULE[kind]} ${flavour}`;
    if (!instances.has(key)) {
      const m = instantiateKernelModule(JOB_MODULE[kind], flavour, shared.memory, api);
      instances.set(key, m && m.flavour === flavour ? m : null); // only the caller's own build
    }
    return instances.get(key)!;
  };
  Atomics.add(c, HELPERS, 1);
  let seen = Atomics.load(c, SEQ);
  for (;;) {
    Atomics.wait(c, SEQ, seen, NEWS_EVERY_MS);
    const next = news();
    if (next !== null) {
      Atomics.sub(c, HELPERS, 1);
      if (next === "stop") return;
      [shared, c, instances] = [next, new Int32Array(next.control), new Map()];
      args = c.subarray(ARGS, WORDS);
      Atomics.add(c, HELPERS, 1);
      seen = Atomics.load(c, SEQ);
      continue;
    }
    seen = Atomics.load(c, SEQ);
    Atomics.add(c, ACTIVE, 1);
    if (Atomics.load(c, OPEN) === 1) {
      const kind = c[KIND] as JobKind;
      const total = c[TOTAL];
      const m = JOBS[kind] ? instance(kind, c[RELAXED] === 1 ? "relaxed" : "simd") : null;
      for (let i = Atomics.add(c, NEXT, 1); i < total; i = Atomics.add(c, NEXT, 1)) {
        try {
          if (!m) throw new Error("this helper cannot run the caller's build");
          JOBS[kind](m.exports, args, i, total);
          Atomics.add(c, HELPER_SLICES, 1);
        } catch {
          Atomics.store(c, FAILED, 1);
        }
      }
    }
    if (Atomics.sub(c, ACTIVE, 1) === 1) Atomics.notify(c, ACTIVE);
  }
}
