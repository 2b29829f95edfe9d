/**
 * Whether splitting pays on this machine now, found out as the bench does it: eligible kernel
 * jobs (kernelThreads.ts) run split and whole in turns for a while, and the faster way per
 * multiply-add is kept for the next few hundred, then tried again. Where other jobs keep the
 * other cores busy, a helper that lost its core makes the caller wait, slower than one
 * thread; there the jobs stay whole until a later probe finds the cores free. Timed with
 * Date.now (JavaScript's own clock, 1 ms: summed over a probe's jobs of a few ms each).
 */

/** Eligible jobs of each kind per probe, in turns. */
const PROBE_EACH = 16;
/** Eligible jobs that follow a probe's choice before the next probe. */
const HOLD = 256;
/** Splitting must beat whole jobs by this factor (time per multiply-add) to be kept. */
const MARGIN = 0.97;

const now = Date.now;
const spent = { split: 0, whole: 0 };
const work = { split: 0, whole: 0 };
let probing = true;
let count = 0;
let choice = true;

/** Whether the next eligible job should be split. */
export function chooseSplit(): boolean {
  if (!probing) {
    if (++count <= HOLD) return choice;
    [probing, count] = [true, 0];
    spent.split = spent.whole = work.split = work.whole = 0;
  }
  return count % 2 === 0;
}

/** Runs an eligible job (`macs` multiply-adds), timing it for the probe. */
export function timedJob(split: boolean, macs: number, run: () => void): void {
  if (!probing) return run();
  const t0 = now();
  run();
  const way = split ? "split" : "whole";
  spent[way] += now() - t0;
  work[way] += macs;
  if (++count < 2 * PROBE_EACH) return;
  choice = spent.split / work.split < (MARGIN * spent.whole) / work.whole;
  [probing, count] = [false, 0];
}
