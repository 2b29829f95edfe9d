/** Timing (medians of batched samples after a warm-up) and the numeric check between engines. */

export interface Timing {
  /** Median wall-clock milliseconds per run. */
  median: number;
  /**
   * Median CPU milliseconds per run (this process, all threads): on a machine other jobs keep
   * busy it stays near what an idle machine's wall clock would show, where wall time does not.
   */
  cpu: number;
  samples: number;
  runsPerSample: number;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Times `run`, whose first (checked) run took `firstMs`: warms up (≥ 3 runs and ≥ 1 s or half
 * the budget), then takes samples of enough runs to last ≥ 5 ms each until
 * `budgetMs` is spent (3 to 31 samples). A run longer than the budget is timed once only.
 */
export function measure(run: () => void, budgetMs: number, firstMs: number): Timing {
  if (firstMs >= budgetMs) return { median: firstMs, cpu: NaN, samples: 1, runsPerSample: 1 };
  const now = () => performance.now();
  let t0 = now();
  let warm = 0;
  // V8 keeps re-optimising small hot code for a second or so (a 100 ms warm-up left the MLP
  // at twice its steady time), and the extension re-runs a model often enough to be warm
  while (warm < 3 || now() - t0 < Math.min(1000, budgetMs / 2)) {
    run();
    warm++;
  }
  const perRun = (now() - t0) / warm;
  const runsPerSample = Math.max(1, Math.ceil(5 / perRun));
  const wall: number[] = [];
  const cpu: number[] = [];
  t0 = now();
  while (wall.length < 3 || (wall.length < 31 && now() - t0 < budgetMs)) {
    const s = now();
    const c = cpuMs();
    for (let r = 0; r < runsPerSample; r++) run();
    cpu.push((cpuMs() - c) / runsPerSample);
    wall.push((now() - s) / runsPerSample);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
  return { median: median(wall), cpu: median(cpu), samples: wall.length, runsPerSample };
}

/**
 * The ratio of `mine`'s time to `theirs'`, from samples taken in turns (one of each, the order
 * swapped every pair, ≥ 5 ms each): a machine that other jobs load slows both alike, where
 * two separate medians taken seconds apart can each catch another load. Both are warm (just
 * measured), `mineMs`/`theirsMs` their medians. Returns the median of the per-pair ratios, and
 * each side's median over the same pairs.
 */
export function pairedRatio(
  mine: () => void,
  theirs: () => void,
  mineMs: number,
  theirsMs: number,
  budgetMs: number,
): { ratio: number; pairs: number; mine: number; theirs: number } {
  const now = () => performance.now();
  const sample = (run: () => void, ms: number) => {
    const runs = Math.max(1, Math.ceil(5 / ms));
    const s = now();
    for (let r = 0; r < runs; r++) run();
    return (now() - s) / runs;
  };
  const ratios: number[] = [];
  const [mines, theirses]: number[][] = [[], []];
  const t0 = now();
  while (ratios.length < 5 || (ratios.length < 41 && now() - t0 < budgetMs)) {
    const swap = ratios.length % 2 === 1;
    const first = swap ? sample(theirs, theirsMs) : sample(mine, mineMs);
    const second = swap ? sample(mine, mineMs) : sample(theirs, theirsMs);
    mines.push(swap ? second : first);
    theirses.push(swap ? first : second);
    ratios.push(swap ? second / first : first / second);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
  return { ratio: median(ratios), pairs: ratios.length, mine: median(mines), theirs: median(theirses) };
}

export interface Agreement {
  ok: boolean;
  /** Largest |a − b| over a tensor, relative to that tensor's largest |b|; the worst tensor. */
  worst: number;
  what: string;
}

/** Compares Gradlens' output and gradients with a peer's, tensor by tensor. */
export function agree(
  mine: { output: Float32Array; grads: Float32Array[] },
  peer: { output: Float32Array; grads: Float32Array[] },
  names: string[],
  tolerance = 1e-4,
): Agreement {
  const pairs: [string, Float32Array, Float32Array][] = [["output", mine.output, peer.output]];
  if (peer.grads.length !== mine.grads.length) return { ok: false, worst: Infinity, what: "number of gradients" };
  mine.grads.forEach((g, i) => pairs.push([`grad ${names[i]}`, g, peer.grads[i]]));
  let worst = 0;
  let what = "";
  for (const [name, a, b] of pairs) {
    if (a.length !== b.length) return { ok: false, worst: Infinity, what: `${name} size ${a.length} vs ${b.length}` };
    let scale = 0;
    for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
    let diff = 0;
    for (let i = 0; i < a.length; i++) {
      const d = Math.abs(a[i] - b[i]);
      if (d > diff || (d !== d && b[i] === b[i])) diff = d !== d ? Infinity : d; // a NaN of ours is the worst
    }
    const rel = diff / Math.max(scale, 1e-30);
    if (rel > worst || what === "") {
      worst = rel;
      what = name;
    }
  }
  return { ok: worst <= tolerance, worst, what };
}
