/**
 * What the host, the run workers (one run each) and the transpiler worker say to each other.
 */
import type { MessagePort } from "worker_threads";
import type { LayerHint, RunJob, RunResult, ShapeHint } from "./types";
import type { Transpiled } from "./transpiled";
import type { PackedValues } from "./valuePacking";

/** What the host passes when it starts a run worker. */
export interface WorkerOptions {
  /** Tensor (ArrayBuffer) memory limit, in MB; the heap limit is set by the host. */
  memoryLimitMb: number;
  /** This worker's own line to the transpiler worker. */
  transpiler: MessagePort;
}

export type ToWorker = { type: "run"; job: RunJob };

export type FromWorker =
  | { type: "ready" } // the sandbox bundle is loaded and warm
  // a run started; `progress` is its [line, file index] cell (instrumentHelpers.ts)
  | { type: "running"; progress: SharedArrayBuffer | null }
  | { type: "file"; index: number; file: string }
  // the run waits for the transpiler (its time limit pauses), or runs again
  | { type: "transpiling"; waiting: boolean }
  | { type: "log"; line: string }
  | { type: "shapeHint"; hint: ShapeHint }
  | { type: "layerHint"; hint: LayerHint }
  // the model's code finished without an error: every hint is sent; the result follows
  | { type: "ran" }
  | { type: "result"; result: RunResult; values: PackedValues }
  | { type: "crash"; message: string } // the runner itself failed
  | { type: "idle" }; // after a result: the thread is free and the next sandbox is made

/**
 * Host → transpiler worker: a new run worker's port; or a model file about to run, transpiled
 * ahead (while the run worker starts the run) so that the run worker's request finds it cached.
 */
export type ToTranspiler =
  | { type: "connect"; port: MessagePort }
  | { type: "prefetch"; file: string; source: string };

/** Run worker → transpiler, on its port; `signal` is the cell the asker sleeps on. */
export interface TranspileRequest {
  id: number;
  file: string;
  source: string;
  signal: SharedArrayBuffer;
}

export type TranspileReply =
  { id: number; ok: true; result: Transpiled } | { id: number; ok: false; message: string };
