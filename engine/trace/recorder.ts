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
  /** The op's attributes (stride, padding, dim, ...), as given to the op. */
  readonly attrs: unknown;
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

/** What a listener implements; every method is optional. */
export interface TraceListener {
  onOp?(event: OpEvent): void;
  /** Called once per node output, before the node runs, with the summed incoming gradient. */
  onGrad?(event: GradEvent): void;
  /** A backward pass (`backward()` or `autograd.grad`) starts: its node events follow. */
  onBackwardStart?(): void;
  /** Called once per node the backward pass runs, right after it ran, in execution order. */
  onBackwardNode?(event: BackwardNodeEvent): void;
  /** Called when an op throws; `name` as in OpEvent. */
  onOpError?(name: string, inputs: readonly Tensor[], error: unknown, attrs?: unknown): void;
  /**
   * An in-place op wrote through a view: the op's own node `fn` (heard in `onOp`) now lives
   * inside the base's new history `copySlices` (PyTorch's CopySlices), whose output is `base`.
   */
  onInPlaceView?(event: InPlaceViewEvent): void;
  /** An `nn.Module`'s forward starts (ops until the matching exit happen inside it). */
  onModuleEnter?(module: object): void;
  /** That forward returned or threw. */
  onModuleExit?(module: object): void;
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
export function traceModule<T>(module: object, forward: () => T): T {
  const l = listener;
  if (!l?.onModuleEnter) return forward();
  l.onModuleEnter(module);
  try {
    return forward();
  } finally {
    l.onModuleExit?.(module);
  }
}
