/**
 * Which gradients one backward pass may hand to a leaf's `.grad` without copying them, as
 * PyTorch's AccumulateGrad steals a gradient nobody else holds. An array qualifies when
 *  - a built-in op's backward made it in this pass: not a user's Function or a composite op,
 *    not the user's gradient argument, not a saved tensor, not a gradient the node passed on
 *    from its own inputs (`view`, `AddBackward0`);
 *  - no trace listener has seen it (a listener may keep the tensor it was given);
 *  - no other gradient waiting in some node's buffer lives in it (`AddBackward0` gives one g
 *    to both inputs; a lazy transpose shares its source's array);
 *  - it is a whole array and not a lazy transpose view.
 */
import type { Tensor } from "../tensor";
import { Node } from "./node";
import { OpNode } from "./apply";

export class GradOwnership {
  /** Every array met in this pass; the owned ones were first met as a built-in's new gradient. */
  private readonly known = new Set<ArrayBufferLike>();
  private readonly owned = new Set<ArrayBufferLike>();
  /** Per array, how many gradients living in it wait in node buffers. */
  private readonly waiting = new Map<ArrayBufferLike, number>();

  /** Notes the gradients `node`'s backward returned: new arrays from a built-in are owned. */
  produced(node: Node, grads: readonly (Tensor | null)[]): void {
    const builder = node instanceof OpNode && node.builtIn ? (node as OpNode<unknown>) : null;
    for (const g of grads) {
      if (!g) continue;
      this.meet(g._storage(), builder);
      this.meet(g._transposeSource(), builder);
    }
  }

  private meet(array: Float32Array | null, builder: OpNode<unknown> | null): void {
    if (array === null || this.known.has(array.buffer)) return;
    this.known.add(array.buffer);
    if (builder && !builder.ctx.holds(array.buffer)) this.owned.add(array.buffer);
  }

  /** Notes a sum the engine made of two gradients: a new array, owned. */
  made(sum: Tensor): void {
    const { buffer } = sum._values;
    this.known.add(buffer);
    this.owned.add(buffer);
  }

  /** g was seen from outside (the user's gradient argument, a trace listener): never taken. */
  expose(g: Tensor): void {
    for (const array of [g._storage(), g._transposeSource()]) {
      if (array === null) continue;
      this.known.add(array.buffer);
      this.owned.delete(array.buffer);
    }
  }

  /** g entered (+1) or left (−1) a node's buffer. */
  wait(g: Tensor, delta: 1 | -1): void {
    this.count(g._storage(), delta);
    this.count(g._transposeSource(), delta);
  }

  private count(array: Float32Array | null, delta: 1 | -1): void {
    if (array !== null) this.waiting.set(array.buffer, (this.waiting.get(array.buffer) ?? 0) + delta);
  }

  /** Whether g's array may become a leaf's `.grad` as it is (g has left its buffer). */
  mayTake(g: Tensor): boolean {
    if (g._transposeSource() !== null) return false;
    const v = g._values;
    const buffer = v.buffer;
    return (
      this.owned.has(buffer) &&
      !this.waiting.get(buffer) &&
      v.byteOffset === 0 &&
      v.byteLength === buffer.byteLength
    );
  }
}
