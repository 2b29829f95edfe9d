/**
 * The messages between the extension host and the graph webview, and the graph they carry.
 * Both sides import this file (the host: types only). No runtime code, no vscode, no DOM.
 * The same GraphDto is what the CLI writes as JSON and embeds in its HTML page.
 */

export type NodeId = string;

/** Statistics of a tensor, and its first values for the details panel. */
export interface TensorSummary {
  shape: number[];
  dtype: "float32" | "int64" | "bool";
  numel: number;
  min: number;
  max: number;
  mean: number;
  /** The 2-norm of all elements. */
  norm: number;
  /**
   * Row-major values, at most the first 4096; `truncated` says when cut. Absent in a graph the
   * extension posted to the page when there are many: the page asks for them (`needValues`)
   * when the node is shown, so that a new graph reaches the page without megabytes of numbers.
   * A Float32Array from the run to the page: worker, host and VS Code's webview channel copy it
   * as bytes (each summary its own buffer), never as an array of numbers.
   */
  values?: Float32Array;
  truncated: boolean;
  /**
   * How the values spread: `counts[i]` elements fall in the i-th of equal bins from `min` to
   * `max` (over all elements, not only the values sent). Absent for older graphs.
   */
  histogram?: number[];
}

/** A place in the user's source: 1-based line and column, as editors show them. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * - `op`: a backward function (PyTorch's grad_fn), labelled with its class name.
 * - `leaf`: a tensor the user made with requiresGrad; `param`: a module's parameter;
 * - `tensor`: an op's output (named after its variable where there is one);
 * - `constant`: an input that needs no gradient;
 * - `module`: an nn.Module call, a compound node holding the ops run inside it.
 */
export type GraphNodeKind = "op" | "leaf" | "param" | "tensor" | "constant" | "module";

export interface GraphNodeDto {
  id: NodeId;
  kind: GraphNodeKind;
  /** What is drawn: grad_fn name, variable name, `conv.weight`, `fc1 (Linear)`. */
  label: string;
  /** The enclosing module node, if any. */
  parent?: NodeId;
  /**
   * A module's layer type and settings, as Netron labels layers: `Conv2d 1→6 k5 p2`,
   * `Linear 400→120`, `MaxPool2d 2` (just the type for layers without settings).
   */
  layer?: string;
  /** The tensor's shape (tensor kinds), the op's first output shape, or a module's output's. */
  shape?: number[];
  /** Where the op was called, or the tensor/module created. */
  location?: SourceLocation;
  /** The tensor's own values (tensor kinds). */
  value?: TensorSummary;
  /** Its gradient after backward; null when backward ran and none reached it. */
  grad?: TensorSummary | null;
  /** The op that threw: the run failed here. */
  failed?: boolean;
  /** Identical repeated blocks share a key, so the page can fold them. */
  foldKey?: string;
  /** A tensor that is a view of another (shares its storage): the other's name. */
  viewOf?: string;
  /**
   * An op's inputs that were plain numbers (`y.mul(3)`: input 1 is 3), by input index: they
   * have no node, but the step-through's formulas name them.
   */
  scalarInputs?: Record<number, number>;
}

export interface GraphEdgeDto {
  id: string;
  source: NodeId;
  target: NodeId;
  /** The shape of the tensor flowing along the edge, e.g. `[1, 16, 62]`. */
  label: string;
  /**
   * After backward: the gradient the target's backward passed back along this edge (to the
   * source); null when it passed none. Absent when backward has not run or nothing ran it.
   */
  grad?: TensorSummary | null;
  /** Which input of the target this edge feeds (0-based, in the target op's input order). */
  input?: number;
}

/**
 * Something about the gradients worth a learner's attention, found in the graph after backward:
 * - `vanishing` / `exploding`: a layer's parameter gradient is more than `factor` times smaller
 *   (larger) than the layer nearest the loss's (`relativeTo`);
 * - `zero`: a parameter's gradient is exactly zero everywhere (`cause` "deadRelu": the ReLU after
 *   its layer let nothing through);
 * - `none`: backward ran but no gradient reached a parameter (`cause` "detached");
 * - `nonFinite`: a gradient holds NaN or ±Infinity, first at `nodeId` in backward order.
 */
export type GradientWarningKind = "vanishing" | "exploding" | "zero" | "none" | "nonFinite";

export interface GradientWarning {
  kind: GradientWarningKind;
  /** The node it is about: a layer (module node), a parameter, or the op where NaN appeared. */
  nodeId: NodeId;
  /** Every node the page marks for it (the layers past the factor, the parameter and its layer). */
  marked: NodeId[];
  /** The layer compared with (vanishing, exploding). */
  relativeTo?: NodeId;
  /** How many times smaller (vanishing) or larger (exploding) than `relativeTo`'s. */
  factor?: number;
  /** The likely cause, when the graph shows one. */
  cause?: "sigmoid" | "tanh" | "deadRelu" | "detached";
  /** What the page and the editor say, in words: `conv1's gradient is 10⁴× smaller than fc3's: sigmoid saturates`. */
  message: string;
  /** The line to put the editor's diagnostic on (the layer's construction, or the op's call). */
  location?: SourceLocation;
  /**
   * Found by an earlier run's backward: the latest run did not run backward (an edit re-runs the
   * file forward only), so this is kept until a backward replaces it.
   */
  stale?: boolean;
}

/** Values at some optimizer steps: `values[i]` belongs to step `steps[i]` (1-based, ascending). */
export interface StepSeries {
  steps: number[];
  /** null: nothing to show at that step (the parameter had no gradient; the loss was unknown). */
  values: (number | null)[];
}

/**
 * A training loop's gradients, step by step: what each optimizer `step()` found, heard from the
 * engine's step hook. A long loop keeps every `stride`-th step (steps 1, 1 + stride, …).
 */
export interface TrainingSteps {
  /** `step()` calls in the run, of all its optimizers together. */
  totalSteps: number;
  /** Every `stride`-th step is kept (1: every step). */
  stride: number;
  /** ‖grad‖ of each parameter at the steps its optimizer took, by the parameter table's name. */
  gradNorms: Record<string, StepSeries>;
  /** The loss at each step: the scalar the backward pass before it started from. */
  loss?: StepSeries;
}

export interface GraphDto {
  /** The model file this graph was made from. */
  file: string;
  nodes: GraphNodeDto[];
  edges: GraphEdgeDto[];
  /** The output backward ran (or would run) from. */
  root?: NodeId;
  /** Whether gradients are present (backward has run). */
  hasGradients: boolean;
  /** Wall-clock time of the run, in ms. */
  runMs: number;
  /**
   * A very long run made more ops than Gradlens keeps: this many of its earliest ops are not
   * in the graph (it shows the latest ones).
   */
  droppedOps?: number;
  /**
   * After backward: the op nodes in the order the engine ran them (its real execution order,
   * heard from the trace hook), for "step through backward". AccumulateGrad nodes included.
   */
  backwardOrder?: NodeId[];
  /** What looks wrong with the gradients (empty or absent: nothing). */
  warnings?: GradientWarning[];
  /** The run called an optimizer's `step()`: each parameter's gradient norm per step. */
  trainingSteps?: TrainingSteps;
}

export type ToWebview =
  // `seq` numbers the graphs posted, so that the page can say which graph a request is about.
  // `stale`: the latest run failed before reaching the model (mid-edit); this is the last good
  // run's graph, shown dimmed until a run works again.
  | { type: "graph"; graph: GraphDto; seq?: number; stale?: boolean }
  // The reply to the page's `needValues` number `replyTo`: the values it left out.
  | { type: "values"; replyTo: number; value?: Float32Array; grad?: Float32Array }
  // The reply to the page's `needEdgeGrads` number `replyTo`: each asked edge's gradient values.
  | { type: "edgeGrads"; replyTo: number; grads: Record<string, Float32Array> }
  | { type: "gradients"; grads: Record<NodeId, TensorSummary | null> }
  | { type: "status"; state: "running" | "idle" | "untrusted" | "error"; message?: string }
  | { type: "error"; message: string; line?: number }
  // The page replies with `exported`, `replyTo` this `id`.
  | { type: "export"; id: number; format: "png" | "svg" | "json" }
  | { type: "select"; nodeId: NodeId };

export type FromWebview =
  | { type: "ready" } // sent once Cytoscape is mounted
  | { type: "reveal"; nodeId: NodeId } // user asked to go to the node's source
  | {
      type: "rendered";
      /** Nodes and edges drawn (a parameter and its AccumulateGrad count once, closed layers once). */
      nodes: number;
      edges: number;
      /** Nodes in the graph the host sent (GraphDto.nodes), whatever the page shows of it. */
      graphNodes: number;
      labels: string[];
      gradients: number;
      /** The graph drawn is a stale one (the `graph` message said so). */
      stale?: boolean;
      /** Time spent in the layout, and from the graph's arrival to the first frame drawn (ms). */
      layoutMs?: number;
      /** Huge graphs draw the part in view first, the rest over the next frames: both times. */
      firstDrawMs?: number;
      drawMs?: number;
    }
  | { type: "selected"; nodeId: NodeId | null } // lets tests see a selection (the host needs none)
  // The shown node's values were left out of graph `seq`; the host replies with `values`.
  | { type: "needValues"; id: number; seq: number; nodeId: NodeId }
  // The step-through shows what these edges of graph `seq` passed back, whose values were left
  // out (many of them); the host replies with `edgeGrads`.
  | { type: "needEdgeGrads"; id: number; seq: number; edgeIds: string[] }
  // `data`: png as plain base64 (no `data:` prefix), svg as SVG text, json as the GraphDto text;
  // "" when there is no graph yet. `replyTo`: the host's `export`; absent when the page's own
  // export buttons made it.
  | { type: "exported"; replyTo?: number; format: "png" | "svg" | "json"; data: string }
  | { type: "runBackward" };
