/**
 * `apply`: the one place where graph edges are made. Every op — built-in ops defined with
 * `defineOp` and users' `autograd.Function` subclasses alike — runs its forward through here;
 * when grad mode is on and an input requires grad, the outputs get a node whose
 * `nextFunctions` point at the inputs' nodes. The trace listener hears of every op.
 */
import { Tensor } from "../tensor";
import { Edge, Node } from "./node";
import { isGradEnabled, setGradEnabled } from "./gradMode";
import { traceListener, type TraceListener } from "../trace/recorder";
import { RuntimeError } from "../errors";
import { Shape, sameShape, bracketed, numelOf } from "../shape";
import { sumTo } from "../tensorKernels";
import { sumToRecorded } from "../ops/gradGraph";

const FREED_MESSAGE =
  "Trying to backward through the graph a second time (or directly access saved tensors after " +
  "they have already been freed). Saved intermediate values of the graph are freed when you call " +
  ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the " +
  "graph a second time or if you need to access saved tensors after calling backward.";

/**
 * What an op's forward and backward share: saved tensors and which inputs need gradients.
 * Users' `autograd.Function`s get it as `ctx` (`saveForBackward`, `savedTensors`), and may
 * keep their own values on it (`ctx.scale = 2`).
 */
export class OpContext {
  [key: string]: unknown;
  /** For each input, whether its gradient is needed (PyTorch's `ctx.needs_input_grad`). */
  readonly needsInputGrad: readonly boolean[];
  private savedTensors_: (Tensor | null)[] | null = [];
  private savedVersions: number[] = [];
  /** For each saved tensor that is an output of this op, its output number. */
  private savedOutputNrs: (number | undefined)[] = [];
  private freed = false;
  /** Set by `apply` once the node exists; names the op in version-mismatch errors. */
  node: Node | null = null;

  private readonly inputShapes: readonly Shape[];

  constructor(needsInputGrad: readonly boolean[], inputShapes: readonly Shape[]) {
    this.needsInputGrad = needsInputGrad;
    this.inputShapes = inputShapes;
  }

  /** The shape input `i` had (to sum a gradient back to it). */
  inputShape(i: number): Shape {
    return this.inputShapes[i];
  }

  /** The saved tensors that require grad (what makes a gradient differentiable), unchecked. */
  savedRequiringGrad(): Tensor[] {
    return (this.savedTensors_ ?? []).filter((t): t is Tensor => t !== null && t.requiresGrad);
  }

  /** Keeps tensors for backward (null for one not needed); an in-place change to one is an error. */
  save(...tensors: (Tensor | null)[]): void {
    this.savedTensors_ = tensors;
    this.savedVersions = tensors.map((t) => (t ? t._versionCounter.n : 0));
  }

  /** The saved tensors, checked against in-place changes and a freed graph. */
  get saved(): (Tensor | null)[] {
    if (this.freed) throw new RuntimeError(FREED_MESSAGE, { kind: "retainGraph" });
    const tensors = this.savedTensors_ ?? [];
    for (let i = 0; i < tensors.length; i++) {
      const t = tensors[i];
      if (t && t._versionCounter.n !== this.savedVersions[i]) {
        // PyTorch names the op that saved an output, and an input's current producer
        const nr = this.savedOutputNrs[i];
        const producer = nr !== undefined && this.node ? { node: this.node, nr } : t.gradFn && { node: t.gradFn, nr: t.outputNr };
        throw versionError(t, this.savedVersions[i], producer);
      }
    }
    return tensors;
  }

  /** Called by `apply` once outputs are wired: notes which saved tensors are outputs. */
  noteOutputs(outputs: readonly Tensor[]): void {
    this.savedOutputNrs = (this.savedTensors_ ?? []).map((t) => {
      const nr = t ? outputs.indexOf(t) : -1;
      return nr >= 0 ? nr : undefined;
    });
  }

  /** PyTorch's name for `save`, for users' Functions. */
  saveForBackward(...tensors: (Tensor | null)[]): void {
    this.save(...tensors);
  }

  /** PyTorch's name for `saved`, for users' Functions. */
  get savedTensors(): Tensor[] {
    return this.saved as Tensor[];
  }

  /** Whether a saved tensor's values live in `buffer` (engine-internal). */
  holds(buffer: ArrayBufferLike): boolean {
    for (const t of this.savedTensors_ ?? []) {
      if (t && (t._storage()?.buffer === buffer || t._transposeSource()?.buffer === buffer)) return true;
    }
    return false;
  }

  /** Drops the saved tensors (backward without retainGraph). */
  release(): void {
    if (this.savedTensors_ && this.savedTensors_.length > 0) this.freed = true;
    this.savedTensors_ = null;
  }
}

function versionError(t: Tensor, expected: number, from: { node: Node; nr: number } | null): RuntimeError {
  const kind = t.dtype === "int64" ? "LongTensor" : t.dtype === "bool" ? "BoolTensor" : "FloatTensor";
  const producer = from ? `, which is output ${from.nr} of ${from.node.name},` : "";
  const version = t._versionCounter.n;
  return new RuntimeError(
    `one of the variables needed for gradient computation has been modified by an inplace ` +
      `operation: [torch.${kind} ${bracketed(t.shape)}]${producer} is at version ${version}; ` +
      `expected version ${expected} instead. Hint: enable anomaly detection to find the operation ` +
      `that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).`,
    {
      kind: "versionMismatch",
      shape: t.shape.slice(),
      version,
      expected,
      ...(from ? { producer: from.node.name } : {}),
    },
  );
}

/** A built-in op: forward and backward side by side, on the op's typed attributes. */
export interface OpSpec<A> {
  /** PyTorch's grad_fn class name, or a function of the attributes when it depends on them. */
  readonly name: string | ((attrs: A, inputs: readonly Tensor[]) => string);
  /**
   * The op's argument checks (PyTorch's messages), run by `apply` before forward, so that a
   * trace listener hears of a failed check as a failure of this op (`AddmmBackward0`).
   */
  check?(inputs: readonly Tensor[], attrs: A): void;
  forward(ctx: OpContext, inputs: Tensor[], attrs: A): Tensor | Tensor[];
  /** One gradient per input (null where none is needed), given one per output. */
  backward(ctx: OpContext, gradOutputs: Tensor[], attrs: A): (Tensor | null)[];
  /**
   * The same formula as `backward`, written with recorded tensor ops, so that a gradient has
   * a grad_fn and can be differentiated again (`createGraph: true`). Without it, such a
   * gradient's grad_fn is PyTorch's `NotImplemented`, whose backward fails with its message.
   */
  graphBackward?(ctx: OpContext, gradOutputs: Tensor[], attrs: A): (Tensor | null)[];
  /** `backward` is written with tensor ops (users' Functions): with createGraph it records itself. */
  readonly backwardRecords?: boolean;
  /**
   * Outputs that carry no gradient (e.g. the indices of `max(dim)`). Their slots of backward's
   * `gradOutputs` hold an empty placeholder (backward.ts's undefinedGrad), never read.
   */
  readonly nonDifferentiableOutputs?: readonly number[];
  /**
   * Forward is written with tensor ops (users' Functions, composite ops): run it with grad
   * mode off, give it its own context, and keep its inner ops out of the trace.
   */
  readonly forwardWithoutGrad?: boolean;
}

/** The node made for one application of an op. */
export class OpNode<A> extends Node {
  readonly name: string;
  private readonly outShapes: Shape[];

  constructor(
    private readonly spec: OpSpec<A>,
    readonly ctx: OpContext,
    readonly attrs: A,
    name: string,
    edges: Edge[],
    inputShapes: Shape[],
    outputs: Tensor[],
  ) {
    super(edges, inputShapes);
    this.name = name;
    this.outShapes = outputs.map((o) => o.shape);
  }

  get numOutputs(): number {
    return this.outShapes.length;
  }

  outputShape(index: number): Shape {
    return this.outShapes[index];
  }

  override _carriesGrad(index: number): boolean {
    return !this.spec.nonDifferentiableOutputs?.includes(index);
  }

  /**
   * With grad mode on (a backward with `createGraph`), a gradient that depends on something
   * requiring grad (the incoming gradients or what the op saved) is computed with recorded
   * ops; otherwise, and always without createGraph, with the op's kernels.
   */
  apply(gradOutputs: Tensor[]): (Tensor | null)[] {
    const { spec, ctx, attrs } = this;
    if (!isGradEnabled() || spec.backwardRecords) return validateGradients(this, spec.backward(ctx, gradOutputs, attrs));
    const dependsOn = [...gradOutputs.filter((g) => g.requiresGrad), ...ctx.savedRequiringGrad()];
    if (dependsOn.length === 0) return validateGradients(this, spec.backward(ctx, gradOutputs, attrs));
    if (spec.graphBackward) return validateGradients(this, spec.graphBackward(ctx, gradOutputs, attrs));
    const grads = spec.backward(ctx, gradOutputs, attrs);
    const name = doubleBackwardName(this.name);
    return validateGradients(
      this,
      grads.map((g) => g && apply(NOT_IMPLEMENTED, [g, ...dependsOn], { name })[0]),
    );
  }

  override release(): void {
    this.ctx.release();
  }

  /** Whether backward is the engine's own code: not a user's Function, nor a composite op. */
  get builtIn(): boolean {
    return this.spec.forwardWithoutGrad !== true;
  }
}

/**
 * Checks a backward's result as PyTorch's `validate_outputs` does: one gradient per input,
 * each of the input's shape (a broadcastable one is summed down to it).
 */
function validateGradients(node: Node, grads: (Tensor | null | undefined)[]): (Tensor | null)[] {
  const expected = node.nextFunctions.length;
  if (grads.length !== expected) {
    throw new RuntimeError(
      `function ${node.name} returned an incorrect number of gradients (expected ${expected}, got ${grads.length})`,
      { kind: "gradientCount", op: node.name, expected, got: grads.length },
    );
  }
  const out: (Tensor | null)[] = new Array(expected);
  for (let i = 0; i < expected; i++) {
    const g = grads[i];
    if (g === null || g === undefined || node.nextFunctions[i][0] === null) {
      out[i] = null;
      continue;
    }
    const want = node.inputShapes[i];
    if (sameShape(g.shape, want)) out[i] = g;
    else if (isExpandableTo(want, g.shape))
      out[i] = g.requiresGrad && isGradEnabled() ? sumToRecorded(g, want) : sumTo(g, want);
    else {
      throw new RuntimeError(
        `Function ${node.name} returned an invalid gradient at index ${i} - got ${bracketed(g.shape)} ` +
          `but expected shape compatible with ${bracketed(want)}`,
        { kind: "gradientShape", op: node.name, index: i, got: g.shape.slice(), expected: want.slice() },
      );
    }
  }
  return out;
}

/** Whether `small` broadcasts to `big` (so a gradient of shape `big` can be summed to it). */
function isExpandableTo(small: Shape, big: Shape): boolean {
  if (small.length > big.length) return false;
  for (let i = 1; i <= small.length; i++) {
    const s = small[small.length - i];
    if (s !== 1 && s !== big[big.length - i]) return false;
  }
  return numelOf(small) > 0 || numelOf(big) === 0;
}

/**
 * The grad_fn of a gradient whose op has no double backward (PyTorch's `NotImplemented`): it
 * passes the gradient's values on and fails when a backward reaches it, as PyTorch does.
 */
const NOT_IMPLEMENTED: OpSpec<{ name: string }> = {
  name: "NotImplemented",
  forward: (_ctx, [g]) => g,
  backward(_ctx, _g, { name }) {
    throw new RuntimeError(`derivative for aten::${name} is not implemented`);
  },
};

/** ATen's name for an op's backward, from its grad_fn: `MaxPool2DWithIndicesBackward0` → `max_pool2d_with_indices_backward`. */
function doubleBackwardName(gradFnName: string): string {
  const op = gradFnName.replace(/Backward\d*$/, "");
  return `${op.replace(/(\d)D/g, "$1d").replace(/(?<=[a-z0-9])([A-Z])/g, "_$1").toLowerCase()}_backward`;
}

/** The edge to the node that made `t`: its grad_fn, its leaf accumulator, or none. */
export function edgeOf(t: Tensor): Edge {
  if (t.gradFn) return [t.gradFn, t.outputNr];
  if (t.requiresGrad) return [t._accumulator(), 0];
  return [null, 0];
}

const NOT_RECORDING = new OpContext([], []);

/** Depth of ops running inside another op's forward; only the outermost reach the trace. */
let nesting = 0;

/** Runs an op on tensor inputs and, when a gradient will be needed, records its node. */
export function apply<A>(spec: OpSpec<A>, inputs: Tensor[], attrs: A): Tensor[] {
  let record = false;
  if (isGradEnabled()) {
    for (let i = 0; i < inputs.length; i++) {
      if (inputs[i].requiresGrad) {
        record = true;
        break;
      }
    }
  }
  const shapes = record || spec.forwardWithoutGrad ? inputs.map((t) => t.shape) : null;
  const ctx = shapes
    ? new OpContext(
        inputs.map((t) => t.requiresGrad),
        shapes,
      )
    : NOT_RECORDING;
  const listener = nesting === 0 ? traceListener() : null;
  let result: Tensor | Tensor[];
  const previousMode = spec.forwardWithoutGrad ? setGradEnabled(false) : true;
  nesting++;
  try {
    spec.check?.(inputs, attrs);
    result = spec.forward(ctx, inputs, attrs);
  } catch (error) {
    // a wrong argument (a number where a tensor goes) fails here too: the trace gets tensors only
    if (listener) tellFailure(listener, failedOpName(spec, attrs, inputs), tensorsIn(inputs), error, attrs, spec);
    throw error;
  } finally {
    nesting--;
    if (spec.forwardWithoutGrad) setGradEnabled(previousMode);
  }
  const outputs = Array.isArray(result) ? result : [result];
  let node: Node | null = null;
  if (record) {
    const edges = inputs.map(edgeOf);
    const opNode = new OpNode(
      spec,
      ctx,
      attrs,
      opName(spec, attrs, inputs),
      edges,
      shapes!,
      outputs,
    );
    ctx.node = opNode;
    const skip = spec.nonDifferentiableOutputs;
    for (let i = 0; i < outputs.length; i++) {
      if (skip && skip.includes(i)) continue;
      outputs[i] = outputs[i]._asOutputOf(opNode, i, inputs);
    }
    ctx.noteOutputs(outputs);
    node = opNode;
  }
  keepFrontEndClass(inputs, outputs);
  if (listener?.onOp) {
    listener.onOp({ name: node ? node.name : opName(spec, attrs, inputs), node, inputs, outputs, attrs, spec });
  }
  return outputs;
}

/** The error the trace was last told of: a failure inside nested traced scopes is told once. */
let toldError: unknown = null;

function tellFailure(
  listener: TraceListener,
  name: string,
  inputs: readonly Tensor[],
  error: unknown,
  attrs: unknown,
  spec: object | null,
): void {
  if (error === toldError || !listener.onOpError) return;
  toldError = error;
  listener.onOpError(name, inputs, error, attrs, spec);
}

/**
 * Runs a functional op's argument checks and body (`view`, `crossEntropy`) so that a failure
 * reaches the trace as a failure of `op` on the tensors among `args`, as one inside `apply` does;
 * the innermost scope that heard a failure names it (an `apply` inside `body` names its grad_fn).
 */
export function traced<T>(op: string, args: readonly unknown[], body: () => T, attrs?: unknown): T {
  const listener = nesting === 0 ? traceListener() : null;
  if (!listener) return body();
  try {
    return body();
  } catch (error) {
    tellFailure(listener, op, tensorsIn(args), error, attrs, null);
    throw error;
  }
}

/** The tensors among a functional op's arguments (a list of tensors, as `cat` takes, counts). */
function tensorsIn(args: readonly unknown[]): Tensor[] {
  const out: Tensor[] = [];
  for (const a of args) {
    if (a instanceof Tensor) out.push(a);
    else if (Array.isArray(a)) for (const t of a) if (t instanceof Tensor) out.push(t);
  }
  return out;
}

/** Prototypes of Tensor subclasses whose ops give their own class (MXNet's NDArray). */
const keptClasses = new Set<object>();

/** Ops on instances of `cls` give `cls`, as a PyTorch Tensor subclass's do. */
export function keepClassThroughOps(cls: { prototype: Tensor }): void {
  keptClasses.add(cls.prototype);
}

/** Gives plain outputs the class of an input whose class is kept through ops. */
function keepFrontEndClass(inputs: readonly Tensor[], outputs: Tensor[]): void {
  if (keptClasses.size === 0) return; // no front end that asks for it is in use: one check per op
  for (let i = 0; i < inputs.length; i++) {
    const proto = Object.getPrototypeOf(inputs[i]) as object;
    if (!keptClasses.has(proto)) continue;
    for (const o of outputs) if (Object.getPrototypeOf(o) === Tensor.prototype) Object.setPrototypeOf(o, proto);
    return;
  }
}

/** Runs a node's backward (`node.apply`) with its ops kept out of the trace. */
export function applyUntraced(node: Node, gradOutputs: Tensor[]): (Tensor | null)[] {
  nesting++;
  try {
    return node.apply(gradOutputs);
  } finally {
    nesting--;
  }
}

/** The op's name for a failure, which may have come from computing the name itself. */
function failedOpName<A>(spec: OpSpec<A>, attrs: A, inputs: readonly Tensor[]): string {
  try {
    return opName(spec, attrs, inputs);
  } catch {
    return "unknown op";
  }
}

function opName<A>(spec: OpSpec<A>, attrs: A, inputs: readonly Tensor[]): string {
  return typeof spec.name === "string" ? spec.name : spec.name(attrs, inputs);
}

/** An op defined once, applied many times: `Mul.apply(a, b)`. */
export interface Op<A> {
  readonly spec: OpSpec<A>;
  /** Applies the op to tensor (or number) inputs; returns its single output. */
  apply(inputs: Tensor[], attrs: A): Tensor;
  /** Applies the op; returns all its outputs. */
  applyMulti(inputs: Tensor[], attrs: A): Tensor[];
}

/** Defines a built-in op from its forward and backward; see engine/ops for examples. */
export function defineOp<A = undefined>(spec: OpSpec<A>): Op<A> {
  return {
    spec,
    apply: (inputs, attrs) => apply(spec, inputs, attrs)[0],
    applyMulti: (inputs, attrs) => apply(spec, inputs, attrs),
  };
}
