/**
 * Trace → GraphDto: PyTorch's backward graph, as torchviz draws it, with names from the source.
 *
 * - Op nodes are the autograd nodes the engine built, found by walking `nextFunctions` from every
 *   recorded op, so the graph is exactly PyTorch's: grad_fn names, AccumulateGrad for leaves,
 *   users' Functions as `MyOpBackward`.
 * - Tensor nodes: leaves and parameters (feeding their AccumulateGrad), outputs (what no op
 *   consumed), intermediates the source named (`const y = ...`), and constant inputs worth seeing.
 * - Edges run the way data flows (producer → consumer), labelled with the tensor's shape.
 * - A training loop repeats the same graph; only its latest iteration is kept.
 * - Module calls become compound nodes; the op that threw is marked `failed`.
 * - After backward: each edge into an op carries what the op's backward passed back along it,
 *   the graph the order the engine ran its nodes in, and the warnings gradientWarnings finds.
 * - A training loop's per-step gradient norms (the tracer's) travel with the graph.
 */
import type { Node } from "../../../engine/autograd/node";
import type { Tensor } from "../../../engine/tensor";
import { bracketed } from "../../../engine/shape";
import type {
  GraphDto,
  GraphEdgeDto,
  GraphNodeDto,
  GraphNodeKind,
  NodeId,
  TensorSummary,
} from "../../../webview/protocol";
import { gradientWarnings } from "./gradientWarnings";
import type { ModuleCall, Trace, TracedOp } from "./trace";
import { accumulatedLeaf, reachable, structureHashes } from "./reach";
import { callOutputs, commonCall, chainOf, foldKeys, layerSettings, moduleLabel } from "./modules";
import { summarize } from "./summary";
import { forwardNodes, Producer } from "./forwardNodes";
import { callAt, makesValue, shortLabel, type CallText } from "./expressions";

/** Beyond this many autograd nodes, only the latest ones are drawn (a page can show this many). */
export const MAX_GRAPH_NODES = 2000;

export function buildGraph(trace: Trace): GraphDto {
  return new GraphBuilder(trace).build();
}

/**
 * Whether the op a run failed in is worth a node. A stand-in named after an engine function
 * (the engine's checks threw before any op ran) is not, when its name is an engine internal (an
 * accessor: `get savedScalar`) or nothing places it (no input, no module): it would float alone.
 * The failure is still told on its line and in the status.
 */
export function drawsFailure(op: TracedOp): boolean {
  if (op.node || op.index >= 0) return true;
  return /^[A-Za-z_$][\w$]*$/.test(op.name) && (op.inputs.length > 0 || op.module !== null);
}

/** Where a tensor node sits: by its producer and consumers' module calls. */
interface Placement {
  tensor: Tensor;
  kind: GraphNodeKind;
  producer?: ModuleCall | null;
  consumers: (ModuleCall | null)[];
}

class GraphBuilder {
  private readonly nodes: GraphNodeDto[] = [];
  private readonly edges: GraphEdgeDto[] = [];
  private readonly records: Map<Node, TracedOp>;
  /** The node (and output) that made a tensor: its grad_fn, or a forward stand-in. */
  private readonly producerOf: (t: Tensor) => Producer | undefined;
  private readonly opIds = new Map<Node, string>();
  private readonly opDtos = new Map<string, GraphNodeDto>();
  private readonly tensorIds = new Map<Tensor, string>();
  private readonly accOfLeaf = new Map<Tensor, string>();
  private readonly placements = new Map<string, Placement>();
  private readonly opCalls = new Map<string, ModuleCall | null>();
  /** Tensor nodes no variable names, still labelled by their kind: named from their use. */
  private readonly unnamed = new Map<string, GraphNodeDto>();
  private nextId = 0;

  constructor(private readonly trace: Trace) {
    if (trace.ops.some((op) => op.node)) {
      this.records = new Map(trace.ops.flatMap((op) => (op.node ? [[op.node, op] as const] : [])));
      this.producerOf = (t) => (t.gradFn ? [t.gradFn, t.outputNr] : undefined);
    } else {
      const forward = forwardNodes(trace.ops);
      this.records = forward.records;
      this.producerOf = (t) => forward.producers.get(t);
    }
  }

  build(): GraphDto {
    const failed = [...this.trace.ops].reverse().find((op) => op.failed);
    const failedProducers = (failed?.inputs ?? []).flatMap((t) => this.producerOf(t)?.[0] ?? []);
    const kept = this.keptNodes(failedProducers);
    const ordered = [...kept].sort((a, b) => a.sequenceNr - b.sequenceNr);
    for (const node of ordered) this.addOpNode(node);
    const consumed = new Set<string>();
    for (const node of ordered) this.addInputEdges(node, kept, consumed);
    if (failed && drawsFailure(failed)) this.addFailedOp(failed, kept, consumed);
    for (const node of ordered) this.addOutputs(node, consumed);
    this.placeNodes();
    const root = this.trace.root ? this.tensorIds.get(this.trace.root) : undefined;
    const graph: GraphDto = {
      file: this.trace.file,
      nodes: this.nodes,
      edges: this.edges,
      ...(root ? { root } : {}),
      hasGradients: this.trace.backwardRan,
      runMs: this.trace.runMs,
      ...(this.trace.droppedOps ? { droppedOps: this.trace.droppedOps } : {}),
      ...this.backwardOrder(),
      ...(this.trace.trainingSteps ? { trainingSteps: this.trace.trainingSteps } : {}),
    };
    const warnings = gradientWarnings(graph);
    return warnings.length ? { ...graph, warnings } : graph;
  }

  /** The drawn op nodes of the latest backward pass, in the order the engine ran them. */
  private backwardOrder(): { backwardOrder?: NodeId[] } {
    if (!this.trace.backwardRan) return {};
    const order = (this.trace.backwardOrder ?? []).flatMap((n) => this.opIds.get(n) ?? []);
    return order.length ? { backwardOrder: order } : {};
  }

  /** Which input of `node` an edge feeds, and the gradient node's backward passed back along it. */
  private passedBack(node: Node, i: number): Partial<GraphEdgeDto> {
    const passed = this.trace.backwardRan ? this.trace.gradInputs?.get(node) : undefined;
    if (!passed) return { input: i };
    const g = passed[i];
    return { input: i, grad: g ? summarize(g) : null };
  }

  /** The backward graph of every recorded op, keeping only the latest of repeated iterations. */
  private keptNodes(failedProducers: Node[]): Set<Node> {
    const all = reachable([...this.records.keys(), ...failedProducers]);
    const consumed = new Set<Node>(failedProducers);
    for (const node of all) for (const [next] of node.nextFunctions) if (next) consumed.add(next);
    const site = (n: Node): string => {
      const loc = this.records.get(n)?.location;
      return loc ? `${loc.file}:${loc.line}:${loc.column}` : "";
    };
    const hashes = structureHashes(all, site);
    const latest = new Map<number, Node>();
    for (const node of all) {
      if (consumed.has(node)) continue;
      const h = hashes.get(node)!;
      const seen = latest.get(h);
      if (!seen || seen.sequenceNr < node.sequenceNr) latest.set(h, node);
    }
    const kept = reachable([...latest.values(), ...failedProducers]);
    if (kept.size <= MAX_GRAPH_NODES) return kept;
    return new Set([...kept].sort((a, b) => b.sequenceNr - a.sequenceNr).slice(0, MAX_GRAPH_NODES));
  }

  private id(): string {
    return `n${this.nextId++}`;
  }

  private grad(t: Tensor | null | undefined): { grad?: TensorSummary | null } {
    if (!this.trace.backwardRan) return {};
    return { grad: t ? summarize(t) : null };
  }

  private edge(
    source: string,
    target: string,
    shape: readonly number[],
    more: Partial<GraphEdgeDto> = {},
  ): void {
    const id = `e${this.edges.length}`;
    this.edges.push({ id, source, target, label: bracketed(shape), ...more }); // `[1, 16, 62]`
  }

  private addOpNode(node: Node): void {
    const leaf = accumulatedLeaf(node);
    const leafId = leaf && this.tensorNode(leaf, this.leafKind(leaf));
    const id = this.id();
    this.opIds.set(node, id);
    if (leaf && leafId) {
      this.accOfLeaf.set(leaf, id);
      this.edge(leafId, id, leaf.shape);
      const g = this.trace.grads.get(node)?.[0] ?? leaf.grad;
      this.nodes.push({
        id,
        kind: "op",
        label: node.name,
        shape: leaf.shape.slice(),
        ...this.grad(g),
      });
      return;
    }
    const rec = this.records.get(node);
    const out = rec?.outputs[0];
    this.opCalls.set(id, rec?.module ?? null);
    this.pushOp({
      id,
      kind: "op",
      label: node.name,
      shape: (out?.shape ?? node.inputShapes[0] ?? []).slice(),
      ...(rec?.location ? { location: rec.location } : {}),
      ...(out ? { value: summarize(out) } : {}),
      ...this.grad(this.trace.grads.get(node)?.[0]),
    });
  }

  private pushOp(dto: GraphNodeDto): void {
    this.nodes.push(dto);
    this.opDtos.set(dto.id, dto);
  }

  private leafKind(t: Tensor): GraphNodeKind {
    return this.trace.paramNames.get(t) !== undefined ? "param" : "leaf";
  }

  /** The node of a leaf, parameter, constant, named intermediate or output tensor (made once). */
  private tensorNode(t: Tensor, kind: GraphNodeKind, producer?: ModuleCall | null): string {
    const existing = this.tensorIds.get(t);
    if (existing) return existing;
    const id = this.id();
    this.tensorIds.set(t, id);
    this.placements.set(id, { tensor: t, kind, producer, consumers: [] });
    const name = kind === "param" ? this.trace.paramNames.get(t) : this.trace.names.get(t);
    const location = this.trace.bindings?.get(t);
    const g = kind === "tensor" ? this.intermediateGrad(t) : kind === "constant" ? null : t.grad;
    const base = t._base && (this.trace.names.get(t._base) ?? this.trace.paramNames.get(t._base));
    const dto: GraphNodeDto = {
      id,
      kind,
      label: name ?? (kind === "tensor" ? "output" : "input"),
      shape: t.shape.slice(),
      ...(location ? { location } : {}),
      ...(base ? { viewOf: base } : {}),
      value: summarize(t),
      ...this.grad(g),
    };
    this.nodes.push(dto);
    if (name === undefined) this.unnamed.set(id, dto);
    return id;
  }

  /** The call an op was made by, read from the source (when the trace has it). */
  private callOf(rec: TracedOp | undefined): CallText | undefined {
    const loc = rec?.location;
    const text = loc && this.trace.sourceText?.(loc.file);
    return text ? callAt(text, loc.line, loc.column) : undefined;
  }

  /** Labels an unnamed tensor node after an expression (once: the first use wins). */
  private nameAfter(id: string | undefined, expression: string | undefined): void {
    const dto = id === undefined ? undefined : this.unnamed.get(id);
    if (!dto || !expression) return;
    dto.label = shortLabel(expression);
    this.unnamed.delete(id!);
  }

  /**
   * The source text of input `i` of an op: the receiver of a method call (`x` in `x.mul(2)`),
   * or an argument that makes a value (`torch.randn(1, 600)`) where inputs follow the call's
   * operands; inside a layer, the layer call's one argument (`fc1.forward(torch.randn(1, 600))`).
   */
  private operandText(rec: TracedOp | undefined, i: number): string | undefined {
    const call = this.callOf(rec);
    if (!call || !rec) return undefined;
    if (rec.module)
      return call.args.length === 1 && makesValue(call.args[0]) ? call.args[0] : undefined;
    // `torch.mul(a, b)`, `F.relu(x)`, `MyFn.apply(x)`: a namespace or class, not an operand
    const method =
      call.receiver !== undefined && !/^(torch|F|nn)(\.[\w$]+)*$|^[A-Z][\w$]*$/.test(call.receiver);
    const operands = method ? [call.receiver!, ...call.args] : call.args;
    const text = operands[i];
    return text !== undefined && ((method && i === 0) || makesValue(text)) ? text : undefined;
  }

  private intermediateGrad(t: Tensor): Tensor | null | undefined {
    const fromBackward = t.gradFn ? this.trace.grads.get(t.gradFn)?.[t.outputNr] : undefined;
    return fromBackward ?? (t.retainsGrad ? t.grad : undefined);
  }

  /** Where output `nr` of `producer` comes from: its named tensor node, or the op itself. */
  private sourceOf(producer: Node, nr: number): string {
    const opId = this.opIds.get(producer)!;
    if (accumulatedLeaf(producer)) return opId;
    const rec = this.records.get(producer);
    const t = rec?.outputs[nr];
    if (!t || this.producerOf(t)?.[0] !== producer || this.trace.names.get(t) === undefined) {
      return opId;
    }
    const had = this.tensorIds.has(t);
    const id = this.tensorNode(t, "tensor", rec!.module);
    if (!had) this.edge(opId, id, t.shape);
    return id;
  }

  /** Records that the op node `target` (run in `call`) consumes the tensor node `source`. */
  private consume(source: string, call: ModuleCall | null): void {
    this.placements.get(source)?.consumers.push(call);
  }

  private addInputEdges(node: Node, kept: Set<Node>, consumed: Set<string>): void {
    const target = this.opIds.get(node)!;
    const rec = this.records.get(node);
    const call = rec?.module ?? null;
    node.nextFunctions.forEach(([next, nr], i) => {
      const shape = node.inputShapes[i] ?? [];
      if (next && kept.has(next)) {
        consumed.add(`${next.sequenceNr}:${nr}`);
        const source = this.sourceOf(next, nr);
        const leaf = accumulatedLeaf(next);
        this.consume(leaf ? this.tensorIds.get(leaf)! : source, call);
        if (leaf) this.nameAfter(this.tensorIds.get(leaf), this.operandText(rec, i));
        this.edge(source, target, shape, this.passedBack(node, i));
      } else if (!next && rec) {
        const t = rec.inputs[i];
        if (t && this.showConstant(t)) {
          const source = this.tensorNode(t, "constant");
          this.nameAfter(source, this.operandText(rec, i));
          this.consume(source, call);
          this.edge(source, target, t.shape, { input: i });
        } else if (t && t.numel() === 1 && t.shape.length === 0) {
          // `y.mul(3)`: no node for the 3, but the step-through's formula names it
          const dto = this.opDtos.get(target);
          if (dto) dto.scalarInputs = { ...dto.scalarInputs, [i]: t._values[0] };
        }
      }
    });
  }

  /** Inputs that need no gradient are drawn when named or not a bare number (nor empty). */
  private showConstant(t: Tensor): boolean {
    return t.numel() > 0 && (this.trace.names.get(t) !== undefined || t.shape.length > 0);
  }

  private addFailedOp(op: TracedOp, kept: Set<Node>, consumed: Set<string>): void {
    const id = this.id();
    this.opCalls.set(id, op.module);
    this.nodes.push({
      id,
      kind: "op",
      label: op.name,
      shape: (op.inputs[0]?.shape ?? []).slice(),
      ...(op.location ? { location: op.location } : {}),
      failed: true,
    });
    for (const t of op.inputs) {
      let source: string | undefined;
      const made = this.producerOf(t);
      if (made && kept.has(made[0])) {
        consumed.add(`${made[0].sequenceNr}:${made[1]}`);
        source = this.sourceOf(made[0], made[1]);
        this.consume(source, op.module);
      } else if (t.requiresGrad) {
        source = this.accOfLeaf.get(t) ?? this.tensorNode(t, this.leafKind(t));
        this.consume(this.tensorIds.get(t)!, op.module);
      } else if (this.showConstant(t)) {
        source = this.tensorNode(t, "constant");
        this.consume(source, op.module);
      }
      if (source) this.edge(source, id, t.shape);
    }
  }

  /** Tensors no op consumed: the results of the file (`a`, `loss`, or unnamed `output`). */
  private addOutputs(node: Node, consumed: Set<string>): void {
    if (accumulatedLeaf(node)) return;
    const rec = this.records.get(node);
    if (!rec) return;
    rec.outputs.forEach((t, nr) => {
      if (
        this.producerOf(t)?.[0] !== node ||
        consumed.has(`${node.sequenceNr}:${nr}`) ||
        this.tensorIds.has(t)
      )
        return;
      const id = this.tensorNode(t, "tensor");
      this.nameAfter(id, this.callOf(rec)?.text); // `x.view(-1)`, `net.forward(images)`
      this.edge(this.opIds.get(node)!, id, t.shape);
    });
  }

  /** Parents: ops in their module call; tensors where their producer and consumers meet. */
  private placeNodes(): void {
    const parentOf = new Map<string, ModuleCall | null>(this.opCalls);
    for (const [id, p] of this.placements) {
      if (p.kind === "param") parentOf.set(id, this.ownerCall(p));
      else if (p.kind === "tensor" && p.producer !== undefined && p.consumers.length > 0) {
        parentOf.set(id, commonCall([p.producer, ...p.consumers]));
      }
    }
    for (const [leaf, accId] of this.accOfLeaf) {
      parentOf.set(accId, parentOf.get(this.tensorIds.get(leaf)!) ?? null);
    }
    const calls = new Set<ModuleCall>();
    for (const call of parentOf.values()) for (const c of chainOf(call)) calls.add(c);
    const keys = foldKeys(this.trace.ops);
    const outputs = callOutputs(this.trace.ops);
    const moduleNodes: GraphNodeDto[] = [...calls]
      .sort((a, b) => a.id - b.id)
      .map((c) => ({
        id: `m${c.id}`,
        kind: "module",
        label: moduleLabel(c),
        layer: layerSettings(c),
        ...(outputs.has(c) ? { shape: outputs.get(c) } : {}),
        ...(c.parent ? { parent: `m${c.parent.id}` } : {}),
        ...(c.createdAt || c.location ? { location: c.createdAt ?? c.location } : {}),
        ...(keys.has(c) ? { foldKey: keys.get(c) } : {}),
      }));
    for (const n of this.nodes) {
      const call = parentOf.get(n.id);
      if (call) n.parent = `m${call.id}`;
      // a parameter's source is its layer's construction (`new nn.Linear(...)`)
      if (call && n.kind === "param" && !n.location && call.createdAt) n.location = call.createdAt;
    }
    this.nodes.unshift(...moduleNodes);
  }

  /**
   * A parameter sits in the innermost consuming call whose module holds it as an attribute; of
   * several calls (two forward passes), the latest: the one the loss usually comes from.
   */
  private ownerCall(p: Placement): ModuleCall | null {
    for (const consumer of [...p.consumers].reverse()) {
      for (const c of chainOf(consumer).reverse()) {
        if (Object.values(c.module).includes(p.tensor)) return c;
      }
    }
    return null;
  }
}
