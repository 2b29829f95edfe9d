/**
 * The module calls of a run (the stack of `forward`s running now) and the layer hints they
 * give: for each op, which layer applied it and whether a container (`nn.Sequential`) rather
 * than the user's code called that layer; a container's own hint when its call ends; an
 * attention or transformer layer's hint from its output.
 */
import type { Tensor } from "../../engine/tensor";
import type { SourceLocation } from "../../webview/protocol";
import type { ModuleCall, TracedOp } from "./graph/trace";
import type { EngineKinds } from "./engineKinds";
import type { OpLog } from "./opLog";
import type { SourceNames } from "./sourceNames";
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

export class ModuleCalls {
  private readonly stack: ModuleCall[] = [];
  /** The index the next op had when each module call on the stack began. */
  private readonly callStarts = new Map<ModuleCall, number>();
  /** Hinted members of the container calls on the stack that the user's code made. */
  private readonly containerMembers = new Map<ModuleCall, ContainerMember[]>();
  private readonly created = new WeakMap<object, SourceLocation>();
  private calls = 0;

  /** @param failedAt the index of the op the run failed in, once one has */
  constructor(
    private readonly kinds: EngineKinds,
    private readonly hints: HintCollector,
    private readonly log: OpLog,
    private readonly sourceNames: SourceNames,
    private readonly failedAt: () => number | undefined,
  ) {}

  /** The module call running now (the one an op made now ran in). */
  get current(): ModuleCall | null {
    return this.stack[this.stack.length - 1] ?? null;
  }

  /** Where a module is constructed, as the engine heard it (`constructed` refines it). */
  createdAt(module: object, at: SourceLocation | undefined): void {
    if (at) this.created.set(module, at);
  }

  /** A value the user's code just made with `new` at `location`: a module's place and hint. */
  constructed(value: unknown, location: SourceLocation): void {
    if (!this.kinds.isModule(value)) return;
    this.created.set(value, location);
    this.hints.fromConstruction(value, location);
  }

  /** An op was recorded: its hints, and its layer's for the container that called the layer. */
  opRecorded(op: TracedOp): void {
    this.addMembers(this.hints.fromOp(op, this.layerPlace(op), this.layerOf(op)));
  }

  enter(module: object, inputs: readonly unknown[], location: SourceLocation | undefined): void {
    const parent = this.current;
    const typeName = (module.constructor as { name?: string } | undefined)?.name || "Module";
    const name =
      (parent && attributeName(parent.module, module)) ??
      this.sourceNames.moduleName(module) ??
      typeName;
    const call: ModuleCall = {
      id: this.calls++,
      name,
      typeName,
      parent,
      location,
      createdAt: this.created.get(module),
      module,
      input: inputs.find(this.kinds.isTensor),
    };
    this.stack.push(call);
    this.callStarts.set(call, this.log.nextIndex);
  }

  exit(module: object, output?: unknown): void {
    const i = this.stack.map((c) => c.module).lastIndexOf(module);
    if (i < 0) return;
    this.addMembers(this.hints.flush());
    const exited = this.stack.splice(i).reverse();
    for (const call of exited) this.endCall(call);
    this.attentionOutput(exited[exited.length - 1], output);
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
    const start = this.callStarts.get(call) ?? this.log.nextIndex;
    const members = this.containerMembers.get(call);
    this.callStarts.delete(call);
    this.containerMembers.delete(call);
    if (!members || !call.location) return;
    const failedAt = this.failedAt();
    if (failedAt !== undefined && failedAt >= start) return; // it threw
    const ops = this.log.since(start);
    const output = ops.at(-1)?.outputs[0];
    if (!output) return;
    const input = externalInput(call.module, ops);
    this.hints.fromContainer(call.location, call.typeName, input, output, members);
  }
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
