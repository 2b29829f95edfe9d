/**
 * What the extension asks of a run of the user's model file, and what comes back. The runner
 * (a worker thread with time and memory limits) fills these in; the graph panel, the inlay
 * hints, the diagnostics, the status bar and the CLI all read the same RunResult.
 */
import type { GraphDto, SourceLocation } from "../../webview/protocol";

export interface RunRequest {
  /** Absolute path of the model file (relative imports resolve against it). */
  file: string;
  /** The file's text, unsaved edits included. */
  source: string;
  /**
   * Run backward after the file: from `root` (a variable name the user picked), else from the
   * file's output (exported `loss` or default export, else the last scalar nobody consumed).
   * Gradients of a backward the file itself calls are reported either way.
   */
  backward?: { root?: string } | false;
  /** Wall-clock limit for the whole run, in ms (setting `gradlens.timeoutMs`, default 5000). */
  timeoutMs?: number;
  /** Heap limit of the worker, in MB (setting `gradlens.memoryLimitMb`); tensor memory too. */
  memoryLimitMb?: number;
  /** Unsaved texts of other files the model imports, by absolute path (else read from disk). */
  texts?: Record<string, string>;
}

export type RunErrorKind = "syntax" | "runtime" | "timeout" | "memory";

export interface RunError {
  kind: RunErrorKind;
  /** PyTorch's message (runtime errors), or what went wrong. */
  message: string;
  /** The line in the user's file that failed (mapped back through source maps). */
  location?: SourceLocation;
  /** A plain explanation naming the layer and shapes, when we can give one. */
  explanation?: string;
}

/**
 * A conv / transposed conv / pool call and its output size, for inlay hints; or the output of
 * an `nn.Sequential` call whose members' hints went to the members' constructions. Shapes are
 * the ones the user's tensors have (an unbatched conv's internal batch dim left out).
 */
export interface ShapeHint {
  /**
   * Where the call that applied the layer is (e.g. `conv.forward(x)`); for a member of an
   * `nn.Sequential`, the Sequential's call (`seq.forward(x)`).
   */
  location: SourceLocation;
  /** `conv2d`, `convTranspose1d`, `maxPool2d`, ...; for a container's own hint its class name. */
  op: string;
  inputShape: number[];
  outputShape: number[];
  /**
   * The size formula with this call's numbers filled in; for a container, one line per member
   * that has a hint (`[0] conv1d: [1, 2, 32] → [1, 8, 30]`).
   */
  formula: string;
  /** PyTorch's documented formula, for the hover (empty for a container). */
  documentation: string;
  /**
   * Where the layer that applied the op was constructed (`new nn.Conv1d(2, 8, 3)`), when the op
   * ran in a layer's own forward and the source constructed that layer with `new`.
   */
  layerLocation?: SourceLocation;
  /**
   * The layer has no call of its own in the user's code: a container (`nn.Sequential`) called
   * it, at `location`. Its hint belongs at `layerLocation`.
   */
  viaContainer?: boolean;
}

/** A layer construction (`new nn.Conv2d(...)`) and its formula, for the hint at that line. */
export interface LayerHint {
  location: SourceLocation;
  /** e.g. `Conv2d(20→16, k=[3, 5])`. */
  description: string;
  formula: string;
}

export interface RunResult {
  ok: boolean;
  /** The graph built so far (up to the failure when the run failed). */
  graph: GraphDto;
  error?: RunError;
  /** What the file printed (console.log and friends), in order. */
  logs: string[];
  shapeHints: ShapeHint[];
  layerHints: LayerHint[];
  /** Candidate roots for Run Backward (variable names of scalar outputs nobody consumed). */
  roots: string[];
  /** The file exports its root (`loss` or `default`): Run Backward starts there, asking nothing. */
  exportedRoot?: "loss" | "default";
  /** The user's files the run loaded: the model file and the .ts files it imports. */
  files?: string[];
  durationMs: number;
  /** A newer run of the same file stopped this one (its result is not worth showing). */
  cancelled?: boolean;
}
