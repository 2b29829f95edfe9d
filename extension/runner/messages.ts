/** What the host and the runner's worker say to each other (one run per worker). */
import type { LayerHint, RunRequest, RunResult, ShapeHint } from "./types";

/** What the host passes when it starts a worker. */
export interface WorkerOptions {
  /** Tensor (typed-array) memory limit, in MB; the heap limit is set by the host. */
  memoryLimitMb: number;
}

export type ToWorker = { type: "run"; request: RunRequest };

export type FromWorker =
  | { type: "ready" } // the engine and TypeScript are loaded
  | { type: "log"; line: string }
  | { type: "shapeHint"; hint: ShapeHint }
  | { type: "layerHint"; hint: LayerHint }
  | { type: "result"; result: RunResult }
  | { type: "crash"; message: string }; // the runner itself failed
