/**
 * The backward pass, after PyTorch's engine: from the roots, count how many edges reach each
 * node, then run nodes once all their gradients have arrived (latest-created first), summing
 * the gradients that reach the same node output. `AccumulateGrad` nodes add into `.grad`;
 * `autograd.grad` captures gradients at its inputs instead and touches no `.grad`.
 *
 * With `createGraph`, grad mode stays on while nodes run, so each node's backward formula is
 * recorded (see OpNode.apply) and the gradients have grad_fns: they can be differentiated again.
 */
import { Tensor } from "../tensor";
import { AccumulateGrad, Edge, Node } from "./node";
import { edgeOf, applyUntraced } from "./apply";
import { GradOwnership } from "./ownership";
import { walkPostOrder } from "./walk";
import { isGradEnabled, setGradEnabled } from "./gradMode";
import { traceListener } from "../trace/recorder";
import { RuntimeError } from "../errors";
import { sameShape, torchSize } from "../shape";
import { addSameShape, zerosOf, onesOf } from "../tensorKernels";

export interface BackwardOptions {
  /** Keep saved tensors so that backward can run through the graph again (default: createGraph). */
  retainGraph?: boolean;
  /** Record the gradient's own graph, so that it can be differentiated (higher-order gradients). */
  createGraph?: boolean;
}

/** Priority of a ready node: accumulators first (as PyTorch), then the latest-created node. */
function priority(node: Node): number {
  return node instanceof AccumulateGrad ? Number.MAX_SAFE_INTEGER : node.sequenceNr;
}

/** The roots' edges and their starting gradients, with PyTorch's messages for bad roots. */
function rootEdges(roots: Tensor[], gradients: (Tensor | null | undefined)[]): [Edge[], Tensor[]] {
  const edges: Edge[] = [];
  const grads: Tensor[] = [];
  roots.forEach((root, i) => {
    if (!root.requiresGrad) {
      throw new RuntimeError(
        `element ${i} of tensors does not require grad and does not have a grad_fn`,
        { kind: "noGrad", index: i },
      );
    }
    let g = gradients[i];
    if (g === null || g === undefined) {
      if (root.numel() !== 1)
        throw new RuntimeError("grad can be implicitly created only for scalar outputs", {
          kind: "nonScalarBackward",
          shape: root.shape.slice(),
        });
      g = onesOf(root.shape);
    } else if (!sameShape(g.shape, root.shape)) {
      throw new RuntimeError(
        `Mismatch in shape: grad_output[${i}] has a shape of ${torchSize(g.shape)} and output[${i}] ` +
          `has a shape of ${torchSize(root.shape)}.`,
      );
    }
    edges.push(edgeOf(root));
    grads.push(g);
  });
  return [edges, grads];
}

/** How many edges from the roots reach each node. */
function countDependencies(starts: Node[]): Map<Node, number> {
  const deps = new Map<Node, number>();
  const stack = starts.slice();
  while (stack.length > 0) {
    const edges = stack.pop()!.nextFunctions;
    for (let i = 0; i < edges.length; i++) {
      const next = edges[i][0];
      if (!next) continue;
      const n = deps.get(next);
      deps.set(next, n === undefined ? 1 : n + 1);
      // first time reached: walk it (a start is walked already)
      if (n === undefined && !starts.includes(next)) stack.push(next);
    }
  }
  return deps;
}

/** Nodes from which some target can be reached (the only ones `autograd.grad` must run). */
function nodesLeadingTo(starts: Node[], targets: Set<Node>): Set<Node> {
  const memo = new Map<Node, boolean>();
  const leadsToTarget = (node: Node): void => {
    let leads = targets.has(node);
    for (const [next] of node.nextFunctions) if (next && memo.get(next)) leads = true;
    memo.set(node, leads);
  };
  for (const root of starts) walkPostOrder(root, (next) => !memo.has(next), leadsToTarget);
  return new Set([...memo].filter(([, leads]) => leads).map(([node]) => node));
}

const NO_GRADS: (Tensor | null)[] = [];

let undefinedGradTensor: Tensor | null = null;

/**
 * What backward gets for an output that carries no gradient (PyTorch's undefined tensor): no
 * zeros are made for it, e.g. for max pooling's indices on every pass. Made on first use
 * (tensor.ts imports this module before Tensor exists).
 */
function undefinedGrad(): Tensor {
  return (undefinedGradTensor ??= zerosOf([0]));
}

/** A tiny max-heap of ready nodes by priority. */
class ReadyQueue {
  private items: Node[] = [];
  get size(): number {
    return this.items.length;
  }
  push(node: Node): void {
    const a = this.items;
    a.push(node);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (priority(a[parent]) >= priority(a[i])) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }
  pop(): Node {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && priority(a[l]) > priority(a[m])) m = l;
        if (r < a.length && priority(a[r]) > priority(a[m])) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/** Gradients of one node's outputs, summed as they arrive. */
function addToBuffer(
  buffers: Map<Node, (Tensor | null)[]>,
  node: Node,
  index: number,
  g: Tensor,
  owners: GradOwnership | null,
): void {
  let buffer = buffers.get(node);
  if (!buffer) {
    buffer = new Array<Tensor | null>(node.numOutputs).fill(null);
    buffers.set(node, buffer);
  }
  const existing = buffer[index];
  if (!existing) {
    buffer[index] = g;
    owners?.wait(g, 1);
    return;
  }
  // with createGraph (grad mode on) a sum of differentiable gradients is recorded
  const sum =
    isGradEnabled() && (existing.requiresGrad || g.requiresGrad)
      ? existing.add(g)
      : addSameShape(existing, g);
  buffer[index] = sum;
  if (owners) {
    owners.wait(existing, -1);
    owners.made(sum);
    owners.wait(sum, 1);
  }
}

interface Capture {
  /** Where each requested input's gradient is read: its accumulator or its producer's output. */
  edges: Edge[];
  results: (Tensor | null)[];
}

/** Runs the backward pass; with `capture`, gathers input gradients instead of accumulating. */
function execute(
  roots: Tensor[],
  gradients: (Tensor | null | undefined)[],
  { createGraph = false, retainGraph = createGraph }: BackwardOptions,
  capture?: Capture,
): void {
  traceListener()?.onBackward?.({ roots, retainGraph });
  const [edges, grads] = rootEdges(roots, gradients);
  const starts = [...new Set(edges.map((e) => e[0]!))];
  const deps = countDependencies(starts);
  const needed = capture ? nodesLeadingTo(starts, new Set(capture.edges.map((e) => e[0]!))) : null;
  const buffers = new Map<Node, (Tensor | null)[]>();
  // which gradients a leaf may keep without a copy; autograd.grad hands them to the user, and
  // gradients with a graph are never written into
  const owners = capture || createGraph ? null : new GradOwnership();
  edges.forEach(([node, nr], i) => {
    owners?.expose(grads[i]);
    addToBuffer(buffers, node!, nr, grads[i], owners);
  });

  const queue = new ReadyQueue();
  for (const s of starts) if (!deps.has(s)) queue.push(s);
  const listener = traceListener();
  const previousMode = setGradEnabled(createGraph);
  try {
    while (queue.size > 0) {
      const node = queue.pop();
      const buffer = buffers.get(node) ?? new Array<Tensor | null>(node.numOutputs).fill(null);
      buffers.delete(node);
      const gradOutputs: Tensor[] = new Array(buffer.length);
      for (let i = 0; i < buffer.length; i++) {
        let g = buffer[i];
        if (g && node.hasTensorHooks) g = buffer[i] = runHooks(node, i, g, owners);
        gradOutputs[i] =
          g ?? (node._carriesGrad(i) ? zerosOf(node.outputShape(i)) : undefinedGrad());
        if (!g) continue;
        owners?.wait(g, -1);
        if (listener?.onGrad) {
          owners?.expose(g);
          listener.onGrad({ node, outputNr: i, grad: g });
        }
        node.retainedTensor(i)?._accumulateGrad(g);
      }
      if (capture) {
        capture.edges.forEach(([target, nr], k) => {
          if (target === node) capture.results[k] = buffer[nr];
        });
      }
      const isAccumulator = node instanceof AccumulateGrad;
      const run = capture ? !isAccumulator && needed!.has(node) : true;
      let inputGrads: (Tensor | null)[] = NO_GRADS;
      if (run && isAccumulator) {
        const g = gradOutputs[0];
        node.accumulate(g, owners !== null && owners.mayTake(g));
      } else if (run) {
        inputGrads = applyUntraced(node, gradOutputs);
        owners?.produced(node, inputGrads);
      }
      if (run && listener?.onBackwardNode) {
        // the listener may keep them: a leaf must not take them over as its .grad
        for (const g of inputGrads) if (g) owners?.expose(g);
        listener.onBackwardNode({ node, gradInputs: inputGrads });
      }
      if (!retainGraph && run) node.release();
      const nextEdges = node.nextFunctions;
      for (let i = 0; i < nextEdges.length; i++) {
        const [next, nr] = nextEdges[i];
        if (!next) continue;
        const g = inputGrads[i];
        if (g) addToBuffer(buffers, next, nr, g, owners);
        const left = deps.get(next)! - 1;
        deps.set(next, left);
        if (left === 0) queue.push(next);
      }
    }
  } finally {
    setGradEnabled(previousMode);
  }
}

/** A gradient after the hooks the user put on it; the user has seen both (never taken). */
function runHooks(node: Node, nr: number, g: Tensor, owners: GradOwnership | null): Tensor {
  owners?.expose(g);
  const result = node.runTensorHooks(nr, g);
  if (result !== g && owners) {
    owners.wait(g, -1);
    owners.expose(result);
    owners.wait(result, 1);
  }
  return result;
}

/**
 * Computes the gradient of `roots` with respect to the graph's leaves and accumulates it
 * into their `.grad` (PyTorch's `torch.autograd.backward`).
 */
export function backward(
  roots: Tensor | Tensor[],
  gradients?: Tensor | (Tensor | null | undefined)[] | null,
  options: BackwardOptions = {},
): void {
  const rootList = Array.isArray(roots) ? roots : [roots];
  const gradList =
    gradients === undefined || gradients === null
      ? []
      : Array.isArray(gradients)
        ? gradients
        : [gradients];
  execute(rootList, gradList, options);
}

/**
 * Returns the gradients of `outputs` with respect to `inputs` without touching `.grad`
 * (PyTorch's `torch.autograd.grad`).
 * @example const [dx] = torch.autograd.grad(y, x);
 */
export function grad(
  outputs: Tensor | Tensor[],
  inputs: Tensor | Tensor[],
  gradOutputs?: Tensor | (Tensor | null | undefined)[] | null,
  options: BackwardOptions & { allowUnused?: boolean } = {},
): (Tensor | null)[] {
  const outputList = Array.isArray(outputs) ? outputs : [outputs];
  const inputList = Array.isArray(inputs) ? inputs : [inputs];
  inputList.forEach((t, i) => {
    if (!t.requiresGrad)
      throw new RuntimeError(`One of the differentiated Tensors does not require grad`);
    void i;
  });
  const capture: Capture = { edges: inputList.map(edgeOf), results: inputList.map(() => null) };
  const gradList =
    gradOutputs === undefined || gradOutputs === null
      ? []
      : Array.isArray(gradOutputs)
        ? gradOutputs
        : [gradOutputs];
  execute(outputList, gradList, options, capture);
  if (!options.allowUnused && capture.results.some((r) => r === null)) {
    throw new RuntimeError(
      "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.",
    );
  }
  return capture.results;
}
