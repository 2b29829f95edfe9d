/**
 * The trace listener of a run: it records each op with the user-source place of its call and
 * the module call it ran in, the gradients backward computed, the op that threw, and (through the
 * instrumentation helpers) the names the source gave to tensors and modules. `trace()` hands it
 * all to the graph builder. The parts live beside it: the op log (opLog.ts), writes through views
 * (viewWrites.ts), module calls and their layer hints (moduleCalls.ts), the source's names
 * (sourceNames.ts) and the helpers of each user file (fileHelpers.ts).
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
import type { Trace, TracedOp } from "./graph/trace";
import type { InstrumentHelpers } from "../runProtocol/instrumentHelpers";
import { SourceMaps, userCallSite } from "./locations";
import { BackwardPasses } from "./backwardPasses";
import { StepRecorder } from "./trainingSteps";
import type { HintCollector } from "./explain/hints";
import type { EngineKinds } from "./engineKinds";
import { OpLog } from "./opLog";
import { drawAsCopySlices } from "./viewWrites";
import { ModuleCalls } from "./moduleCalls";
import { SourceNames } from "./sourceNames";
import { FileHelpers } from "./fileHelpers";

export interface FailedOp {
  op: TracedOp;
  error: unknown;
}

export class RunTracer implements TraceListener {
  private readonly log = new OpLog();
  // Weak: the gradients of iterations no longer drawn go with their nodes.
  private readonly grads = new WeakMap<Node, (Tensor | undefined)[]>();
  /** What each node's backward passed back along its edges (the latest pass that ran it). */
  private readonly gradInputs = new WeakMap<Node, readonly (Tensor | null)[]>();
  /** The nodes of the latest backward pass, in the order the engine ran them. */
  private backwardOrder: Node[] = [];
  private readonly sourceNames: SourceNames;
  readonly names: WeakMap<Tensor, string>;
  /** The latest tensor bound to each name (for "run backward from `loss`"). */
  readonly byName: Map<string, Tensor>;
  private readonly modules: ModuleCalls;
  private readonly fileHelpers: FileHelpers;
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

  /**
   * @param progress where the helpers write the line the run is at (see PROGRESS_LINE), for
   * the host to read at a time-out; `onFile` is told each file's index there
   */
  constructor(
    private readonly maps: SourceMaps,
    kinds: EngineKinds,
    hints: HintCollector,
    progress: Int32Array = new Int32Array(2),
    onFile?: (index: number, file: string) => void,
  ) {
    this.sourceNames = new SourceNames(kinds);
    this.names = this.sourceNames.names;
    this.byName = this.sourceNames.byName;
    this.modules = new ModuleCalls(
      kinds,
      hints,
      this.log,
      this.sourceNames,
      () => this.lastFailure?.op.index,
    );
    const events = {
      bind: this.sourceNames.bind.bind(this.sourceNames),
      made: this.modules.constructed.bind(this.modules),
    };
    this.fileHelpers = new FileHelpers(events, progress, onFile);
  }

  // ---- TraceListener --------------------------------------------------------------------

  onInPlaceView(e: InPlaceViewEvent): void {
    drawAsCopySlices(this.log.ops, e, this.names);
  }

  onOp(e: OpEvent): void {
    const op: TracedOp = {
      index: this.log.takeIndex(),
      name: e.name,
      node: e.node,
      inputs: e.inputs,
      outputs: e.outputs,
      attrs: e.attrs,
      spec: e.spec,
      location: this.locate(),
      module: this.modules.current,
    };
    this.log.add(op);
    this.modules.opRecorded(op);
  }

  onOpError(
    name: string,
    inputs: readonly Tensor[],
    error: unknown,
    attrs?: unknown,
    spec: object | null = null,
  ): void {
    const op: TracedOp = {
      index: this.log.takeIndex(),
      name,
      node: null,
      inputs,
      outputs: [],
      attrs,
      spec,
      location: this.locate(),
      module: this.modules.current,
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
    this.modules.createdAt(module, this.locate());
  }

  onModuleEnter(module: object, inputs: readonly unknown[] = []): void {
    this.modules.enter(module, inputs, this.locate());
  }

  onModuleExit(module: object, output?: unknown): void {
    this.modules.exit(module, output);
  }

  // ---- helpers the instrumented code calls ----------------------------------------------------

  /** The `__gradlens` object of one user file. */
  helpers(file: string): InstrumentHelpers {
    return this.fileHelpers.of(file);
  }

  // ---- results ----------------------------------------------------------------------------

  get tracedOps(): readonly TracedOp[] {
    return this.log.ops;
  }

  /** Where the source bound `t` to its name (its declaration). */
  bindingOf(t: Tensor): SourceLocation | undefined {
    return this.sourceNames.bindings.get(t);
  }

  /** Whether a backward pass has already reached `t`'s node. */
  gradReached(t: Tensor): boolean {
    return !!t.gradFn && this.grads.has(t.gradFn);
  }

  /** Parameters' labels (`conv.weight`, `net.fc1.bias`): see SourceNames.paramNames. */
  paramNames(): Map<Tensor, string> {
    return this.sourceNames.paramNames();
  }

  /** The trace for the graph; `failed` adds the op the run failed in. */
  trace(file: string, runMs: number, root: Tensor | null, failed: TracedOp | null): Trace {
    const paramNames = this.paramNames();
    const trainingSteps = this.trainingSteps.result((p) => paramNames.get(p) ?? this.names.get(p));
    const ops = this.log.ops;
    return {
      file,
      ops: failed ? [...ops, failed] : ops,
      grads: this.grads,
      names: this.names,
      bindings: this.sourceNames.bindings,
      paramNames,
      backwardRan: this.backwardRan,
      root,
      runMs,
      droppedOps: this.log.droppedOps,
      backwardOrder: this.backwardOrder,
      gradInputs: this.gradInputs,
      ...(trainingSteps ? { trainingSteps } : {}),
    };
  }
}
