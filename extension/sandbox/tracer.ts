/**
 * The trace listener of a run: it records each op with the user-source place of its call and
 * the module call it ran in, the gradients backward computed, the op that threw, and (through the
 * instrumentation helpers) the names the source gave to tensors and modules. `trace()` hands it
 * all to the graph builder. It also tells the hint collector, for each op, which layer applied
 * it and whether a container (`nn.Sequential`) rather than the user's code called that layer.
 */
import type { Tensor } from "../../engine/tensor";
import type { Node } from "../../engine/autograd/node";
import type {
  BackwardEvent,
  BackwardNodeEvent,
  GradEvent,
  InPlaceViewEvent,
  OpEvent,
  OptimizerStepEvent,
  TraceListener,
} from "../../engine/trace/recorder";
import type { SourceLocation } from "../../webview/protocol";
import type { ModuleCall, Trace, TracedOp } from "./graph/trace";
import {
  ALIAS,
  ATTRIBUTE,
  BindingNames,
  InstrumentHelpers,
  PROGRESS_FILE,
  PROGRESS_LINE,
} from "../runProtocol/instrumentHelpers";
import { SourceMaps, userCallSite } from "./locations";
import { BackwardPasses } from "./backwardPasses";
import { StepRecorder } from "./trainingSteps";
import { sameLocation, type ContainerMember, type HintCollector } from "./explain/hints";
import type { ChainHint, HintedLayer, LayerPlace } from "./explain/callChains";
import { layerClass } from "./explain/layerFormula";
import { memberPath, userCall } from "./graph/modules";

/** Layers that only pass their input through others: their members keep their hints. */
const CONTAINERS = new Set(["Sequential", "ModuleList", "ModuleDict"]);
const HINTED_LAYERS = new Set<string>(["Linear", "Flatten"] satisfies HintedLayer[]);
/** Layers hinted by their output at the user's call. */
const ATTENTION_LAYERS = new Set([
  "MultiheadAttention",
  "TransformerEncoderLayer",
  "TransformerDecoderLayer",
  "TransformerEncoder",
  "TransformerDecoder",
  "Transformer",
]);

/** Ops kept for the graph; a longer run keeps its latest ones. */
export const MAX_TRACED_OPS = 20_000;
/** Tensor storage the trace may keep alive (a long training loop would otherwise hold it all). */
export const MAX_TRACED_BYTES = 128 << 20;

/** How to tell engine objects apart (the engine module the user's code was given). */
export interface EngineKinds {
  isTensor(v: unknown): v is Tensor;
  isModule(v: unknown): v is object;
  /** An error the engine threw (RuntimeError, IndexError, ... or a kernel's RangeError). */
  isEngineError(e: unknown): boolean;
}

export interface FailedOp {
  op: TracedOp;
  error: unknown;
}

export class RunTracer implements TraceListener {
  private ops: TracedOp[] = [];
  /** Ops forgotten because the run made more than the trace keeps (MAX_TRACED_OPS/BYTES). */
  private droppedOps = 0;
  private index = 0;
  private retainedBytes = 0;
  // Weak: the gradients of iterations no longer drawn go with their nodes.
  private readonly grads = new WeakMap<Node, (Tensor | undefined)[]>();
  /** What each node's backward passed back along its edges (the latest pass that ran it). */
  private readonly gradInputs = new WeakMap<Node, readonly (Tensor | null)[]>();
  /** The nodes of the latest backward pass, in the order the engine ran them. */
  private backwardOrder: Node[] = [];
  readonly names = new WeakMap<Tensor, string>();
  private readonly bindings = new WeakMap<Tensor, SourceLocation>();
  /** The latest tensor bound to each name (for "run backward from `loss`"). */
  readonly byName = new Map<string, Tensor>();
  private readonly moduleNames = new Map<object, string>();
  private readonly created = new WeakMap<object, SourceLocation>();
  /** Modules bound to a variable (not an attribute): their names prefix parameter labels. */
  private readonly moduleVariables = new Map<object, string>();
  private readonly stack: ModuleCall[] = [];
  /** The index the next op had when each module call on the stack began. */
  private readonly callStarts = new Map<ModuleCall, number>();
  /** Hinted members of the container calls on the stack that the user's code made. */
  private readonly containerMembers = new Map<ModuleCall, ContainerMember[]>();
  private moduleCalls = 0;
  lastFailure: FailedOp | null = null;
  backwardRan = false;
  readonly backwardPasses = new BackwardPasses();
  /** Each parameter's gradient norm at each optimizer step. */
  private readonly trainingSteps = new StepRecorder();

  /**
   * Where the user's code called the op now running: the innermost user frame of the stack
   * (TypeScript, through source maps), or what a Python run says (its interpreter's call site).
   */
  locate: () => SourceLocation | undefined = () => userCallSite(this.maps);

  /** Files given helpers, in order: their index is what the progress cell holds. */
  private readonly helperFiles: string[] = [];

  /**
   * @param progress where the helpers write the line the run is at (see PROGRESS_LINE), for
   * the host to read at a time-out; `onFile` is told each file's index there
   */
  constructor(
    private readonly maps: SourceMaps,
    private readonly kinds: EngineKinds,
    private readonly hints: HintCollector,
    private readonly progress: Int32Array = new Int32Array(2),
    private readonly onFile?: (index: number, file: string) => void,
  ) {}

  // ---- TraceListener --------------------------------------------------------------------

  /**
   * An in-place op wrote through a view: the op heard just before is drawn as PyTorch's graph
   * has it, the base's CopySlices (its own node lives inside that one).
   */
  onInPlaceView(e: InPlaceViewEvent): void {
    for (let i = this.ops.length - 1; i >= Math.max(0, this.ops.length - 4); i--) {
      const op = this.ops[i];
      if (op.node !== e.fn) continue;
      // The base before the write, drawn as an input when it had no history (the first write
      // into a fresh `Y`): its own object, so that `Y` after the writes is a node of its own.
      const [before] = e.copySlices.nextFunctions;
      let input = e.base;
      if (before[0] === null) {
        input = e.base.detach();
        const name = this.names.get(e.base);
        if (name !== undefined) this.names.set(input, name);
      }
      this.ops[i] = {
        ...op,
        name: e.copySlices.name,
        node: e.copySlices,
        inputs: [input, ...op.inputs.slice(1)],
        outputs: [e.base],
      };
      this.dropViewChain(e.view, e.base, i);
      return;
    }
  }

  /**
   * The view ops that made the view just written through (`Y.index(...)` in `Y.index(...).add_(v)`)
   * are not in PyTorch's backward graph any more (the view's history is now the base's): drop
   * them, back to the base, unless something else used what they made.
   */
  private dropViewChain(view: Tensor, base: Tensor, writeAt: number): void {
    let target = view;
    for (let i = writeAt - 1; i >= Math.max(0, writeAt - 16) && target !== base; i--) {
      const op = this.ops[i];
      if (op.outputs.length !== 1 || op.outputs[0] !== target) continue;
      const usedElsewhere = this.ops.some((o, j) => j > i && j !== writeAt && o.inputs.includes(target));
      if (usedElsewhere) return;
      this.ops.splice(i, 1);
      writeAt--;
      target = op.inputs[0];
    }
  }

  onOp(e: OpEvent): void {
    const op: TracedOp = {
      index: this.index++,
      name: e.name,
      node: e.node,
      inputs: e.inputs,
      outputs: e.outputs,
      attrs: e.attrs,
      spec: e.spec,
      location: this.locate(),
      module: this.stack[this.stack.length - 1] ?? null,
    };
    this.ops.push(op);
    this.retainedBytes += bytesOf(op.outputs);
    if (this.ops.length > MAX_TRACED_OPS || this.retainedBytes > MAX_TRACED_BYTES)
      this.dropOldest();
    this.addMembers(this.hints.fromOp(op, this.layerPlace(op), this.layerOf(op)));
  }

  /** Hints of layers a container called, for the container's own hint at its call. */
  private addMembers(hints: readonly ChainHint[]): void {
    for (const { op, hint } of hints) {
      if (!hint.viaContainer || !op.module) continue;
      const container = userCall(op.module);
      const members = this.containerMembers.get(container) ?? [];
      members.push({ path: memberPath(op.module, container), hint });
      this.containerMembers.set(container, members);
    }
  }

  /**
   * The layer whose own forward ran `op`, when it did: a Linear or Flatten the user's code (or
   * a container) called gets its hint, any other layer ("other": attention's projections, a
   * transformer's Linear layers) none.
   */
  private layerOf(op: TracedOp): HintedLayer | "other" | undefined {
    const call = op.module;
    if (!call || !sameLocation(op.location, call.location)) return undefined;
    for (let c = call.parent; c && sameLocation(c.location, call.location); c = c.parent)
      if (!layerClass(c.module, CONTAINERS)) return "other";
    return (layerClass(call.module, HINTED_LAYERS) as HintedLayer | undefined) ?? "other";
  }

  /**
   * Where the layer that applied `op` was constructed, when the op ran in a module's own forward
   * (not in user code inside it, like `F.conv2d` in a custom forward), and whether a container
   * called that module.
   */
  private layerPlace(op: TracedOp): LayerPlace {
    const call = op.module;
    if (!call || !sameLocation(op.location, call.location)) return {};
    return {
      ...(call.createdAt ? { layerLocation: call.createdAt } : {}),
      ...(userCall(call) !== call ? { viaContainer: true } : {}),
    };
  }

  onOpError(
    name: string,
    inputs: readonly Tensor[],
    error: unknown,
    attrs?: unknown,
    spec: object | null = null,
  ): void {
    const op: TracedOp = {
      index: this.index++,
      name,
      node: null,
      inputs,
      outputs: [],
      attrs,
      spec,
      location: this.locate(),
      module: this.stack[this.stack.length - 1] ?? null,
      failed: true,
    };
    this.lastFailure = { op, error };
  }

  /** A backward pass starts: where (for quick fixes), and the order shown is the latest pass's. */
  onBackward(e: BackwardEvent): void {
    this.backwardPasses.start(this.locate(), e.retainGraph);
    this.backwardOrder = [];
    this.trainingSteps.backward(e.roots);
  }

  onOptimizerStep(e: OptimizerStepEvent): void {
    this.trainingSteps.step(e.params);
  }

  onBackwardNode(e: BackwardNodeEvent): void {
    this.backwardRan = true;
    this.backwardOrder.push(e.node);
    this.gradInputs.set(e.node, e.gradInputs);
  }

  onGrad(e: GradEvent): void {
    this.backwardRan = true;
    this.backwardPasses.reached(e.node);
    const list = this.grads.get(e.node) ?? [];
    list[e.outputNr] = e.grad;
    this.grads.set(e.node, list);
  }

  /** Where a module is constructed: `made` (after construction) refines it for `new` calls. */
  onModuleCreate(module: object): void {
    const at = this.locate();
    if (at) this.created.set(module, at);
  }

  onModuleEnter(module: object, inputs: readonly unknown[] = []): void {
    const parent = this.stack[this.stack.length - 1] ?? null;
    const typeName = (module.constructor as { name?: string } | undefined)?.name || "Module";
    const name =
      (parent && attributeName(parent.module, module)) ?? this.moduleNames.get(module) ?? typeName;
    const call: ModuleCall = {
      id: this.moduleCalls++,
      name,
      typeName,
      parent,
      location: this.locate(),
      createdAt: this.created.get(module),
      module,
      input: inputs.find(this.kinds.isTensor),
    };
    this.stack.push(call);
    this.callStarts.set(call, this.index);
  }

  onModuleExit(module: object, output?: unknown): void {
    const i = this.stack.map((c) => c.module).lastIndexOf(module);
    if (i < 0) return;
    this.addMembers(this.hints.flush());
    const exited = this.stack.splice(i).reverse();
    for (const call of exited) this.endCall(call);
    this.attentionOutput(exited[exited.length - 1], output);
  }

  /** An attention or transformer layer the user's code called: its output at the call. */
  private attentionOutput(call: ModuleCall, output: unknown): void {
    if (!call.location || userCall(call) !== call) return;
    if (!layerClass(call.module, ATTENTION_LAYERS)) return;
    const [out, weights] = Array.isArray(output) ? output : [output];
    if (!this.kinds.isTensor(out)) return;
    const extra = this.kinds.isTensor(weights) ? weights : undefined;
    this.hints.fromModuleOutput(call.location, call.typeName, call.input, out, extra);
  }

  /** A module call is over: a container whose members got hints gets one for its output. */
  private endCall(call: ModuleCall): void {
    const start = this.callStarts.get(call) ?? this.index;
    const members = this.containerMembers.get(call);
    this.callStarts.delete(call);
    this.containerMembers.delete(call);
    if (!members || !call.location) return;
    if (this.lastFailure && this.lastFailure.op.index >= start) return; // it threw
    let first = this.ops.length;
    while (first > 0 && this.ops[first - 1].index >= start) first--;
    const ops = this.ops.slice(first);
    const output = ops.at(-1)?.outputs[0];
    if (!output) return;
    const input = externalInput(call.module, ops);
    this.hints.fromContainer(call.location, call.typeName, input, output, members);
  }

  /** Forgets the oldest quarter of the ops (the graph shows the latest iteration anyway). */
  private dropOldest(): void {
    const dropped = this.ops.splice(0, Math.max(1, Math.floor(this.ops.length / 4)));
    this.droppedOps += dropped.length;
    for (const op of dropped) this.retainedBytes -= bytesOf(op.outputs);
  }

  // ---- helpers the instrumented code calls ----------------------------------------------------

  /** The `__gradlens` object of one user file. */
  helpers(file: string): InstrumentHelpers {
    let index = this.helperFiles.indexOf(file);
    if (index < 0) {
      index = this.helperFiles.push(file) - 1;
      this.onFile?.(index, file);
    }
    const progress = this.progress;
    const at = (line: number): void => {
      progress[PROGRESS_LINE] = line;
      progress[PROGRESS_FILE] = index;
    };
    return {
      loop: at,
      bind: (value, names, line, column, flags = 0) => {
        at(line);
        this.bind(value, names, { file, line, column }, flags);
        return value;
      },
      made: (value, line, column) => {
        at(line);
        if (this.kinds.isModule(value)) {
          this.created.set(value, { file, line, column });
          this.hints.fromConstruction(value, { file, line, column });
        }
        return value;
      },
      ctor: (callee, written) => {
        if (isConstructor(callee)) return callee;
        throw new TypeError(`${written} is not a constructor`);
      },
    };
  }

  private bind(value: unknown, names: BindingNames, location: SourceLocation, flags: number): void {
    if (typeof names === "string") this.bindOne(value, names, location, flags);
    else if (Array.isArray(names) && Array.isArray(value))
      names.forEach((n, i) => n && this.bindOne(value[i], n, location, flags));
    else if (!Array.isArray(names) && value && typeof value === "object") {
      for (const [key, n] of Object.entries(names))
        this.bindOne((value as Record<string, unknown>)[key], n, location, flags);
    }
  }

  private bindOne(value: unknown, name: string, location: SourceLocation, flags: number): void {
    const alias = (flags & ALIAS) !== 0;
    if (this.kinds.isTensor(value)) {
      if (!alias || !this.names.has(value)) this.names.set(value, name);
      if (!this.bindings.has(value)) this.bindings.set(value, location);
      this.byName.set(name, value);
    } else if (this.kinds.isModule(value)) {
      if (!alias || !this.moduleNames.has(value)) this.moduleNames.set(value, name);
      if ((flags & ATTRIBUTE) === 0 && (!alias || !this.moduleVariables.has(value)))
        this.moduleVariables.set(value, name);
    }
  }

  // ---- results ----------------------------------------------------------------------------

  get tracedOps(): readonly TracedOp[] {
    return this.ops;
  }

  /** Where the source bound `t` to its name (its declaration). */
  bindingOf(t: Tensor): SourceLocation | undefined {
    return this.bindings.get(t);
  }

  /** Whether a backward pass has already reached `t`'s node. */
  gradReached(t: Tensor): boolean {
    return !!t.gradFn && this.grads.has(t.gradFn);
  }

  /**
   * Parameters' labels: a module variable's name + its namedParameters path (`conv.weight`,
   * `net.fc1.bias`); the shortest wins when several modules hold the same parameter.
   */
  paramNames(): Map<Tensor, string> {
    const labels = new Map<Tensor, string>();
    for (const [module, name] of this.moduleVariables) {
      const named = (module as { namedParameters?: () => Iterable<[string, Tensor]> })
        .namedParameters;
      if (typeof named !== "function") continue;
      for (const [path, p] of named.call(module)) {
        const label = `${name}.${path}`;
        const had = labels.get(p);
        if (had === undefined || label.length < had.length) labels.set(p, label);
      }
    }
    return labels;
  }

  /** The trace for the graph; `failed` adds the op the run failed in. */
  trace(file: string, runMs: number, root: Tensor | null, failed: TracedOp | null): Trace {
    const paramNames = this.paramNames();
    const trainingSteps = this.trainingSteps.result((p) => paramNames.get(p) ?? this.names.get(p));
    return {
      file,
      ops: failed ? [...this.ops, failed] : this.ops,
      grads: this.grads,
      names: this.names,
      bindings: this.bindings,
      paramNames,
      backwardRan: this.backwardRan,
      root,
      runMs,
      droppedOps: this.droppedOps,
      backwardOrder: this.backwardOrder,
      gradInputs: this.gradInputs,
      ...(trainingSteps ? { trainingSteps } : {}),
    };
  }
}

/** Whether `new f()` can run: a class or function declaration, or a bound one (no prototype). */
function isConstructor(f: unknown): boolean {
  if (typeof f !== "function") return false;
  if (f.prototype !== undefined) return true;
  try {
    Reflect.construct(Object, [], f); // needs `f` to be a constructor; does not call it
    return true;
  } catch {
    return false;
  }
}

function bytesOf(tensors: readonly Tensor[]): number {
  let n = 0;
  for (const t of tensors) n += t._values.byteLength;
  return n;
}

/**
 * The input of a module call, from its ops: the first tensor they read that none of them made
 * and that is not one of the module's parameters.
 */
function externalInput(module: object, ops: readonly TracedOp[]): Tensor | undefined {
  const params = (module as { parameters?: () => Iterable<Tensor> }).parameters;
  const own = new Set<Tensor>(typeof params === "function" ? params.call(module) : []);
  for (const op of ops) {
    for (const t of op.inputs) if (!own.has(t)) return t;
    for (const t of op.outputs) own.add(t);
  }
  return undefined;
}

/** The field (or container index) under which `parent` holds `child`. */
function attributeName(parent: object, child: object): string | undefined {
  const named = (parent as { namedChildren?: () => [string, object][] }).namedChildren;
  if (typeof named === "function") {
    for (const [name, m] of named.call(parent)) if (m === child) return name;
  }
  for (const [name, v] of Object.entries(parent)) if (v === child) return name;
  return undefined;
}
