// What the views (graph panel, inlay hints) show of a document: its latest run, or, while that
// run failed before reaching an op of the model (a half-typed line that does not parse, a name
// typed half-way, a time-out), the last run that worked, marked stale. A failure at an op (a
// shape mistake) is shown as it is: its graph up to the failed op is the point. Pure (no vscode).
import type { RunResult } from "../runProtocol/types";

/** A finished run and the text it was given. */
export interface SeenRun {
  result: RunResult;
  source: string;
}

export interface ShownRun extends SeenRun {
  /** The run shown is not the latest: the latest failed, this is the last good one. */
  stale: boolean;
}

/** Whether a failed run says nothing about the model's graph (no op of it failed). */
export function failedBeforeModel(result: RunResult): boolean {
  return !result.ok && !result.cancelled && !result.graph.nodes.some((n) => n.failed);
}

/** The run to show, given the latest one and the last one that worked. */
export function shownRun(
  latest: SeenRun | undefined,
  good: SeenRun | undefined,
): ShownRun | undefined {
  if (!latest) return undefined;
  if (good && good.result !== latest.result && failedBeforeModel(latest.result))
    return { ...good, stale: true };
  return { ...latest, stale: false };
}
