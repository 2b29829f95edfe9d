/**
 * The trace hook: one listener may observe every op the engine applies and every gradient
 * the backward pass computes, without the engine knowing who listens (the extension's
 * runner installs one; tests install their own). With no listener, the cost is one null check
 * per op.
 */
import type { Tensor } from "../tensor";
import type { Node } from "../autograd/node";

/** One op applied in the forward pass. */
export interface OpEvent {
  /** PyTorch's grad_fn name of the op (`"MulBackward0"`), also when nothing was recorded. */
  readonly name: string;
  /** The backward node, or null when no input required grad (or inside `noGrad`). */
  readonly node: Node | null;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  /**
   * The op's attributes (stride, padding, dim, ...), as given to the op; `isOp(event, Convolution)`
   * (engine/trace/ops.ts) types them.
   */
  readonly attrs: unknown;
  /** Which op this is (its definition): what `isOp` compares. */
  readonly spec: object;
}

/** A gradient the backward pass computed for one output of a node. */
export interface GradEvent {
  readonly node: Node;
  readonly outputNr: number;
  readonly grad: Tensor;
}

/**
 * A node the backward pass has just run, in the order the engine ran them: what it passed back
 * along each of its `nextFunctions` edges (null where it passed nothing). An `AccumulateGrad`
 * passes nothing on (`gradInputs` is empty).
 */
export interface BackwardNodeEvent {
  readonly node: Node;
  readonly gradInputs: readonly (Tensor | null)[];
}

/** An in-place op through a view, as the graph records it. */
export interface InPlaceViewEvent {
  readonly fn: Node;
  readonly copySlices: Node;
  readonly view: Tensor;
  readonly base: Tensor;
}

/** A backward pass starts (`backward()` or `autograd.grad`), from these roots. */
export interface BackwardEvent {
  readonly roots: readonly Tensor[];
  /** Whether the pass keeps what the graph saved (`retainGraph: true`). */
  readonly retainGraph: boolean;
}

/**
 * An optimizer's `step()` is about to update `params` from their gradients (after its closure,
 * if any, ran): what a tool reads to follow gradients over a training loop.
 */
export interface OptimizerStepEvent {
  readonly optimizer: object;
  /** Every parameter of every group, in the optimizer's order (those with no grad included). */
  readonly params: readonly Tensor[];
}

/** What a listener implements; every method is optional. */
export interface TraceListener {
  onOp?(event: OpEvent): void;
  /** Called once per node output, before the node runs, with the summed incoming gradient. */
  onGrad?(event: GradEvent): void;
  /**
   * Called when an op throws, or a functional op's argument checks (`view`, `crossEntropy`):
   * `name` as in OpEvent or the functional name; `spec` as in OpEvent (null for a functional op).
   */
  onOpError?(
    name: string,
    inputs: readonly Tensor[],
    error: unknown,
    attrs?: unknown,
    spec?: object | null,
  ): void;
  /** Called once per node the backward pass runs, right after it ran, in execution order. */
  onBackwardNode?(event: BackwardNodeEvent): void;
  /**
   * An in-place op wrote through a view: the op's own node `fn` (heard in `onOp`) now lives
   * inside the base's new history `copySlices` (PyTorch's CopySlices), whose output is `base`.
   */
  onInPlaceView?(event: InPlaceViewEvent): void;
  /**
   * An `nn.Module`'s forward starts (ops until the matching exit happen inside it), called
   * with `inputs`.
   */
  onModuleEnter?(module: object, inputs?: readonly unknown[]): void;
  /** That forward returned `output` (undefined when it threw). */
  onModuleExit?(module: object, output?: unknown): void;
  /** An `nn.Module` is being constructed (its base constructor runs; fields are not set yet). */
  onModuleCreate?(module: object): void;
  /** A backward pass starts; its `onGrad` calls follow. */
  onBackward?(event: BackwardEvent): void;
  /** An optimizer step starts: the gradients it will use are the parameters' `grad` now. */
  onOptimizerStep?(event: OptimizerStepEvent): void;
}

let listener: TraceListener | null = null;

/** Installs `l` (or removes the current one with null); returns the previous listener. */
export function setTraceListener(l: TraceListener | null): TraceListener | null {
  const previous = listener;
  listener = l;
  return previous;
}

/** The current listener, if any; engine-internal. */
export function traceListener(): TraceListener | null {
  return listener;
}

/** Runs a module's forward so that the listener sees the ops inside it as the module's. */
export function traceModule<T>(
  module: object,
  forward: () => T,
  inputs: readonly unknown[] = [],
): T {
  const l = listener;
  if (!l?.onModuleEnter) return forward();
  l.onModuleEnter(module, inputs);
  let output: T | undefined;
  try {
    output = forward();
    return output;
  } finally {
    l.onModuleExit?.(module, output);
  }
}
