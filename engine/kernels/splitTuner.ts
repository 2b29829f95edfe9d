/**
 * Whether splitting pays on this machine now, found out as the bench does it: eligible kernel
 * jobs (kernelThreads.ts) of one kind run split and whole in turns for a while, and the faster
 * way per multiply-add is kept for that kind's next few hundred, then tried again. Where other
 * jobs keep the other cores busy, a helper that lost its core makes the caller wait, slower than
 * one thread; there the jobs stay whole until a later probe finds the cores free. Timed with
 * Date.now (JavaScript's own clock, 1 ms: summed over a probe's jobs of a few ms each).
 */

/** Eligible jobs of each way per probe, in turns. */
const PROBE_EACH = 16;
/** Eligible jobs that follow a probe's choice before the next probe. */
const HOLD = 256;
/** Splitting must beat whole jobs by this factor (time per multiply-add) to be kept. */
const MARGIN = 0.97;

const now = Date.now;

/** One kind of job's probe and choice. */
interface Tuning {
  spent: { split: number; whole: number };
  work: { split: number; whole: number };
  probing: boolean;
  count: number;
  choice: boolean;
}

const tunings = new Map<number, Tuning>();

function tuningOf(kind: number): Tuning {
  let t = tunings.get(kind);
  if (!t) {
    t = {
      spent: { split: 0, whole: 0 },
      work: { split: 0, whole: 0 },
      probing: true,
      count: 0,
      choice: true,
    };
    tunings.set(kind, t);
  }
  return t;
}

/** Whether the next eligible job of `kind` should be split. */
export function chooseSplit(kind: number): boolean {
  const t = tuningOf(kind);
  if (!t.probing) {
    if (++t.count <= HOLD) return t.choice;
    [t.probing, t.count] = [true, 0];
    t.spent.split = t.spent.whole = t.work.split = t.work.whole = 0;
  }
  return t.count % 2 === 0;
}

/** Runs an eligible job of `kind` (`macs` multiply-adds), timing it while its kind is probed. */
export function timedJob(kind: number, split: boolean, macs: number, run: () => void): void {
  const t = tuningOf(kind);
  if (!t.probing) return run();
  const t0 = now();
  run();
  const way = split ? "split" : "whole";
  t.spent[way] += now() - t0;
  t.work[way] += macs;
  if (++t.count < 2 * PROBE_EACH) return;
  t.choice = t.spent.split / t.work.split < (MARGIN * t.spent.whole) / t.work.whole;
  [t.probing, t.count] = [false, 0];
}
