/**
 * What the extension asks of a run of the user's model file, and what comes back. The runner
 * (a worker thread with time and memory limits) fills these in; the graph panel, the inlay
 * hints, the diagnostics, the status bar and the CLI all read the same RunResult.
 */
import type { GraphDto, SourceLocation } from "../../webview/protocol";
import type { FailureReason } from "../../engine/failureReasons";

export type { FailureReason, FailureKind, ReasonOf } from "../../engine/failureReasons";

/** What a run worker is asked to run; the limits stay with the host, which enforces them. */
export interface RunJob {
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
  /** Unsaved texts of other files the model imports, by absolute path (else read from disk). */
  texts?: Record<string, string>;
}

/** The limits the host holds a run to. */
export interface RunLimits {
  /** Wall-clock limit for the whole run, in ms (setting `gradlens.timeoutMs`, default 5000). */
  timeoutMs?: number;
  /**
   * Heap limit of the worker, in MB (setting `gradlens.memoryLimitMb`); tensor memory too (the
   * worker is started with it, so it is not part of the job).
   */
  memoryLimitMb?: number;
}

/** A run as the editor and the CLI ask for it. */
export interface RunRequest extends RunJob, RunLimits {}

export type RunErrorKind = "syntax" | "runtime" | "timeout" | "memory";

export interface RunError {
  kind: RunErrorKind;
  /** PyTorch's message (runtime errors), or what went wrong. */
  message: string;
  /** The line in the user's file that failed (mapped back through source maps). */
  location?: SourceLocation;
  /** A plain explanation naming the layer and shapes, when we can give one. */
  explanation?: string;
  /** Why it failed, as data read from the run (never from the message): what quick fixes use. */
  fix?: FixReason;
  /** The layer whose settings caused the failure: where the fix goes. */
  layer?: LayerSite;
  /** What failed, as data (runtime errors the engine threw); read this, never `message`. */
  failure?: FailureDetails;
}

/**
 * The mistakes Gradlens knows how to fix, with the numbers the fix needs:
 * - `linearFeatures`: a Linear built for `expected` input features got input whose last dim is `got`;
 * - `convChannels`: a conv built for `expected` input channels got `got`;
 * - `viewSize`: `view`/`reshape` to `shape` of a tensor of `inputShape` (the sizes do not fit);
 * - `backwardTwice`: a backward through a graph an earlier backward (at `first`) freed.
 */
export type FixReason =
  | { kind: "linearFeatures"; expected: number; got: number; inputShape: number[] }
  | { kind: "convChannels"; expected: number; got: number; inputShape: number[] }
  | { kind: "viewSize"; shape: number[]; inputShape: number[] }
  | { kind: "backwardTwice"; first: SourceLocation };

/** A layer construction, named as the user's code names the layer. */
export interface LayerSite {
  /** Where it was constructed (`new nn.Linear(256, 120)`). */
  location: SourceLocation;
  /** `fc1`, or `net[7]` for an unnamed member of a container. */
  name: string;
  /** `Linear(256 → 120)`. */
  description: string;
  /** A container (`nn.Sequential`) called it, not the user's code. */
  viaContainer?: boolean;
}

/**
 * An engine error as data: the op that threw, what it was given, the layer it ran in and why,
 * e.g. `{ errorType: "RuntimeError", op: "AddmmBackward0", inputs: [[60], [1, 1000], [600, 60]],
 * module: { path: "net.fc1", name: "fc1", typeName: "Linear", layer: { type: "Linear", inFeatures: 600,
 * outFeatures: 60 } },
 * reason: { kind: "matmulShapes", a: [1, 1000], b: [600, 60] } }`.
 */
export interface FailureDetails {
  /** Python's exception type: `RuntimeError`, `IndexError`, `ValueError`, `TypeError`, ... */
  errorType: string;
  /**
   * The op that threw: PyTorch's grad_fn name (`AddmmBackward0`) or, for a check before any op,
   * the functional name (`view`, `crossEntropy`); absent when no op was running (backward's own
   * checks, an optimizer's settings).
   */
  op?: string;
  /** The op's tensor inputs, in its order (addmm: bias, input, weightᵀ). */
  inputs: FailureInput[];
  /** The innermost module whose forward was running, when one was. */
  module?: FailedModule;
  reason: FailureReason;
}

export interface FailureInput {
  shape: number[];
  /** The variable (or parameter label) the source gave it, when it has one. */
  name?: string;
}

/** The module a failure happened in. */
export interface FailedModule {
  /** The names of the module calls it ran in, from the outermost (`net.fc1`, `net.features.0`). */
  path: string;
  /** Its name as the graph shows it: the attribute (`fc1`), the variable (`net`) or `seq.0`. */
  name: string;
  /** Its class (`Linear`, `Net`). */
  typeName: string;
  /** Where the source constructed it (`new nn.Linear(600, 60)`). */
  createdAt?: SourceLocation;
  /** Where the user's code called it (`this.fc1.forward(x)`; a container's call for its members). */
  calledAt?: SourceLocation;
  /** Its settings, when it is (or extends) one of the engine's sized layers. */
  layer?: LayerSettings;
}

/**
 * A layer's settings that its input must fit, by layer family. A Linear's quick fix reads
 * `inFeatures` beside the input's last dim; a conv's `inChannels` beside `reason.got`.
 */
export type LayerSettings =
  | { type: "Linear"; inFeatures: number; outFeatures: number }
  | {
      /** Conv1d/2d, ConvTranspose1d/2d (`className` says which). */
      type: "Conv";
      className: string;
      transposed: boolean;
      inChannels: number;
      outChannels: number;
      kernelSize: number[];
      stride: number[];
      padding: number[] | string;
      dilation: number[];
      groups: number;
    }
  | { type: "BatchNorm"; className: string; numFeatures: number }
  | { type: "LayerNorm"; normalizedShape: number[] }
  | { type: "GroupNorm"; numGroups: number; numChannels: number }
  | { type: "Embedding"; numEmbeddings: number; embeddingDim: number };

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

/** A run's size hints: all of them once its model code has finished (before its graph is built). */
export type RunHints = Pick<RunResult, "shapeHints" | "layerHints">;

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
  /** Where the run's time went, as the host saw it (set by the host's runner, not the worker). */
  phases?: RunPhases;
  /** A newer run of the same file stopped this one (its result is not worth showing). */
  cancelled?: boolean;
}

/**
 * A run's milestones in milliseconds from the host's request, as the host heard them: what the
 * latency test and `GRADLENS_TIMING=1` report.
 */
export interface RunPhases {
  /** Which worker took the run: the one kept from the file's last run, a warm spare, a new one. */
  worker: "kept" | "spare" | "new";
  /** The worker said it took the run (its sandbox was ready). */
  startedMs?: number;
  /** Time the run waited for the transpiler, in total. */
  transpileMs: number;
  /** The model's code finished: the hints were handed on. */
  hintsMs?: number;
}
