/**
 * What a run of a model file leaves behind for the graph: the ops the engine applied (with the
 * autograd nodes it built), the module calls they ran in, the gradients backward computed and
 * the names the source gave to tensors. The runner's tracer fills this in inside the worker;
 * tests fill it in by running engine code in-process. Everything here is plain data over live
 * engine objects, so that `buildGraph` stays a pure function of it.
 */
import type { Tensor } from "../../../engine/tensor";
import type { Node } from "../../../engine/autograd/node";
import type { SourceLocation, TrainingSteps } from "../../../webview/protocol";

/** A read-only map (a Map or a WeakMap). */
export interface Lookup<K, V> {
  get(key: K): V | undefined;
}

/** One `nn.Module` forward call. */
export interface ModuleCall {
  readonly id: number;
  /** Its attribute name in the parent module (`fc1`), or the variable it is bound to (`net`). */
  readonly name: string;
  /** The module's class name (`Linear`, `Net`). */
  readonly typeName: string;
  readonly parent: ModuleCall | null;
  /** Where the user's code called it (`net.forward(x)`). */
  readonly location?: SourceLocation;
  /** Where the source constructed the module (`new nn.Linear(...)`), when it did. */
  readonly createdAt?: SourceLocation;
  readonly module: object;
  /** The first tensor it was called with (the layer's input). */
  readonly input?: Tensor;
}

/** One op applied in the forward pass. */
export interface TracedOp {
  /** Order of application. */
  readonly index: number;
  /** PyTorch's grad_fn name (`MulBackward0`). */
  readonly name: string;
  /** The autograd node the engine built, or null when nothing was recorded (or it threw). */
  readonly node: Node | null;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  /** The op's attributes; `isOp(op, Convolution)` (engine/trace/ops.ts) types them. */
  readonly attrs: unknown;
  /** Which op it is (its definition), for `isOp`; null for a functional op's failed checks. */
  readonly spec?: object | null;
  /** The call in the user's source (the innermost frame in a user file). */
  readonly location?: SourceLocation;
  /** The innermost module whose forward was running. */
  readonly module: ModuleCall | null;
  /** The op threw: the run failed here (no outputs). */
  readonly failed?: boolean;
}

export interface Trace {
  /** The model file. */
  readonly file: string;
  /** Ops in order; the runner may have dropped the oldest of a very long run. */
  readonly ops: readonly TracedOp[];
  /** The summed gradient of each node output, per node (the latest backward wins). */
  readonly grads: Lookup<Node, readonly (Tensor | undefined)[]>;
  /** The variable a tensor was bound to in the source (`const y = x.sub(2)` → `y`). */
  readonly names: Lookup<Tensor, string>;
  /** Where that binding is (for leaves, which no op made). */
  readonly bindings?: Lookup<Tensor, SourceLocation>;
  /** Parameters' labels: module variable + namedParameters path (`conv.weight`). */
  readonly paramNames: Lookup<Tensor, string>;
  /** Whether any backward pass ran (the file's own or the runner's). */
  readonly backwardRan: boolean;
  /** The output backward ran (or would run) from. */
  readonly root?: Tensor | null;
  /** Wall-clock time of the run, in ms. */
  readonly runMs: number;
  /** How many of the run's earliest ops were dropped (a very long run). */
  readonly droppedOps?: number;
  /** The nodes of the latest backward pass, in the order the engine ran them. */
  readonly backwardOrder?: readonly Node[];
  /** What each node's backward passed back along each of its edges (null: nothing). */
  readonly gradInputs?: Lookup<Node, readonly (Tensor | null)[]>;
  /** The text of a user file, to name tensors no variable holds after their expression. */
  readonly sourceText?: (file: string) => string | undefined;
  /** Each parameter's gradient norm at each optimizer step, when the run stepped one. */
  readonly trainingSteps?: TrainingSteps;
}
