/**
 * TypeScript's transpile is slow until V8 has optimised it: a small model file takes ~25 ms
 * for its first dozens of transpiles and ~5 ms after (measured on examples/lenet.ts). The
 * transpiler worker lives as long as the extension, so it warms itself in idle turns; each
 * warm-up transpile is its own macrotask, so a run's request that arrives meanwhile waits for
 * one of them at most, never for the whole warm-up.
 */

/** Calls `work(0)`, …, `work(times - 1)`, each in its own turn of the event loop. */
export function inIdleTurns(times: number, work: (i: number) => void, done?: () => void): void {
  let i = 0;
  const step = (): void => {
    if (i >= times) {
      done?.();
      return;
    }
    try {
      work(i++);
    } catch {
      i = times; // a warm-up that fails only costs speed
    }
    // a timer, not setImmediate: messages that came in are handled before the next turn
    setTimeout(step, 0);
  };
  setTimeout(step, 0);
}
