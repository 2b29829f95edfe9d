/** Timing (medians of batched samples after a warm-up) and the numeric check between engines. */

export interface Timing {
  /** Median milliseconds per run. */
  median: number;
  samples: number;
  runsPerSample: number;
}

/**
 * Times `run`, whose first (checked) run took `firstMs`: warms up (≥ 3 runs and ≥ 100 ms, so
 * V8 has optimised it), then takes samples of enough runs to last ≥ 5 ms each until
 * `budgetMs` is spent (3 to 31 samples). A run longer than the budget is timed once only.
 */
export function measure(run: () => void, budgetMs: number, firstMs: number): Timing {
  if (firstMs >= budgetMs) return { median: firstMs, samples: 1, runsPerSample: 1 };
  const now = () => performance.now();
  let t0 = now();
  let warm = 0;
  while (warm < 3 || (now() - t0 < 100 && now() - t0 < budgetMs / 4)) {
    run();
    warm++;
  }
  const perRun = (now() - t0) / warm;
  const runsPerSample = Math.max(1, Math.ceil(5 / perRun));
  const times: number[] = [];
  t0 = now();
  while (times.length < 3 || (times.length < 31 && now() - t0 < budgetMs)) {
    const s = now();
    for (let r = 0; r < runsPerSample; r++) run();
    times.push((now() - s) / runsPerSample);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], samples: times.length, runsPerSample };
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
