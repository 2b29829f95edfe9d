/**
 * The nodes of the backward graph, after PyTorch's `torch::autograd::Node`.
 *
 * Every tensor produced by a recorded op points at the node that made it (`gradFn`) and at
 * which of that node's outputs it is (`outputNr`). A node's `nextFunctions` are the edges to
 * the nodes of its inputs: `[node, outputNr]` pairs, `[null, 0]` for an input that needs no
 * gradient, and an `AccumulateGrad` node for a leaf that requires grad. Backward walks these
 * edges from the root; an `AccumulateGrad` adds what reaches it into its leaf's `.grad`.
 *
 * Edges are only ever made in `apply.ts`; this file only defines what a node is.
 */
import type { Tensor } from "../tensor";
import { sameShape, type Shape } from "../shape";
import { RuntimeError } from "../errors";

/** A gradient hook: sees a gradient, and may return one to use instead. */
export type TensorHook = (grad: Tensor) => Tensor | null | undefined | void;

let nextHookId = 0;

/** An edge to the node that produced one input: `[node, outputNr]`, or `[null, 0]`. */
export type Edge = [Node | null, number];

let nextSequenceNr = 0;

/** A function of the backward graph (PyTorch's `grad_fn`). */
export abstract class Node {
  /** PyTorch's class name for the same backward function, e.g. `"MulBackward0"`. */
  abstract readonly name: string;
  /** Edges to the nodes that produced this node's inputs, in input order. */
  readonly nextFunctions: readonly Edge[];
  /** Creation order; backward runs later nodes first, as PyTorch does. */
  readonly sequenceNr: number;
  /** The shape each input had, to check the gradients `apply` returns. */
  readonly inputShapes: readonly Shape[];

  constructor(nextFunctions: readonly Edge[], inputShapes: readonly Shape[]) {
    this.nextFunctions = nextFunctions;
    this.inputShapes = inputShapes;
    this.sequenceNr = nextSequenceNr++;
  }

  /** Number of tensors this node produced (gradients it receives). */
  abstract get numOutputs(): number;
  /** The shape of each output, to make zeros for outputs no gradient reached. */
  abstract outputShape(index: number): Shape;

  /**
   * Engine-internal: whether output `index` can receive a gradient; backward passes no zeros
   * for one that cannot (an op's indices output), as PyTorch passes an undefined tensor.
   */
  _carriesGrad(index: number): boolean {
    void index;
    return true;
  }

  /** Maps the gradients of this node's outputs to the gradients of its inputs. */
  abstract apply(gradOutputs: Tensor[]): (Tensor | null)[];

  private retained: Map<number, Tensor> | null = null;

  /** Makes backward store the gradient of output `nr` in `t.grad` (`retain_grad()`). */
  retain(nr: number, t: Tensor): void {
    (this.retained ??= new Map()).set(nr, t);
  }

  /** The tensor whose `.grad` keeps the gradient of output `nr`, if one asked. */
  retainedTensor(nr: number): Tensor | undefined {
    return this.retained?.get(nr);
  }

  private tensorHooks: Map<number, Map<number, TensorHook>> | null = null;

  /**
   * Adds a hook on the gradient of output `nr` (`Tensor.registerHook`; a leaf's hooks live on
   * its AccumulateGrad); returns the function that removes it.
   */
  addTensorHook(nr: number, hook: TensorHook): () => void {
    const id = nextHookId++;
    const hooks = (this.tensorHooks ??= new Map());
    let forOutput = hooks.get(nr);
    if (!forOutput) hooks.set(nr, (forOutput = new Map()));
    forOutput.set(id, hook);
    return () => forOutput.delete(id);
  }

  /** Whether `addTensorHook` was ever called (backward's fast path skips the rest). */
  get hasTensorHooks(): boolean {
    return this.tensorHooks !== null;
  }

  /** Output `nr`'s gradient after its hooks, in the order they were added (each may replace it). */
  runTensorHooks(nr: number, grad: Tensor): Tensor {
    const hooks = this.tensorHooks?.get(nr);
    if (!hooks) return grad;
    let g = grad;
    for (const hook of [...hooks.values()]) {
      const replaced = hook(g);
      if (replaced === undefined || replaced === null) continue;
      if (!sameShape(replaced.shape, g.shape))
        throw new RuntimeError(`hook '${hook.name || "hook"}' has changed the size of value`);
      g = replaced;
    }
    return g;
  }

  /** Frees what the node saved for backward (after a backward without `retainGraph`). */
  release(): void {}

  toString(): string {
    return `<${this.name}>`;
  }
}

/** The node that adds incoming gradients into a leaf tensor's `.grad`. */
export class AccumulateGrad extends Node {
  readonly name = "AccumulateGrad";
  /** The leaf tensor this node feeds, as in PyTorch (`node.variable`). */
  readonly variable: Tensor;

  constructor(variable: Tensor) {
    super([], []);
    this.variable = variable;
  }

  get numOutputs(): number {
    return 1;
  }

  outputShape(): Shape {
    return this.variable.shape;
  }

  apply(gradOutputs: Tensor[]): (Tensor | null)[] {
    return this.accumulate(gradOutputs[0], false);
  }

  /** Adds g into the leaf's `.grad`; `take`: g's array may become `.grad` without a copy. */
  accumulate(g: Tensor, take: boolean): (Tensor | null)[] {
    this.variable._accumulateGrad(g, take);
    return [];
  }
}
