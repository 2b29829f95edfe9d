/**
 * The history of in-place changes made through views, as PyTorch records it (its
 * `rebase_history` and `CopySlices`). With `apply.ts`, the only place edges are made.
 *
 * When an in-place op writes through a view `v` of a base `b` (`Y.index("0:2").add_(X)`):
 *  - `b`'s history becomes `CopySlices`: its gradient is the incoming one with `v`'s region
 *    replaced by what the op's backward gives its `self` input, and the op's other inputs get
 *    their gradients from the same backward run on that region;
 *  - `v`'s history becomes `AsStridedBackward0` of `b`'s: its gradient lands in its region of a
 *    zero base-shaped gradient. Other views of `b` take the same history when next asked for
 *    their `gradFn` (PyTorch regenerates a view's grad_fn after its base changed).
 * Regions are storage geometries (offset, strides), so any view of any view works.
 */
import { Tensor } from "../tensor";
import { Edge, Node } from "./node";
import type { Shape } from "../shape";
import { edgeOf } from "./apply";
import { gather, scatter } from "../kernels/strided";
import { traceListener } from "../trace/recorder";

export { edgeOf };

/** Where a tensor's elements are in its storage. */
export interface Geometry {
  offset: number;
  strides: readonly number[];
  shape: Shape;
  storageLength: number;
}

/** A gradient of `to`'s shape: the row-major `values` of `from`'s geometry, read as `to`'s. */
function regrid(values: Float32Array, from: Geometry, to: Geometry, into?: Float32Array): Float32Array {
  const room = into ?? new Float32Array(from.storageLength);
  scatter(room, from.offset, from.shape, from.strides, values);
  return gather(room, to.offset, to.shape, to.strides);
}

/** PyTorch's `CopySlices`: the base's history after an in-place op on one of its views. */
export class CopySlices extends Node {
  readonly name = "CopySlices";

  constructor(
    edges: Edge[],
    private readonly base: Geometry,
    private readonly view: Geometry,
    /** The in-place op's own node; its input 0 was the view's old value. */
    private readonly fn: Node,
    private readonly make: (values: Float32Array, shape: number[]) => Tensor,
  ) {
    super(edges, [base.shape, ...fn.inputShapes.slice(1)]);
  }

  get numOutputs(): number {
    return 1;
  }
  outputShape(): Shape {
    return this.base.shape;
  }

  apply([g]: Tensor[]): (Tensor | null)[] {
    // the incoming gradient laid out as the base is in storage; the view's region read from it
    const room = new Float32Array(this.base.storageLength);
    scatter(room, this.base.offset, this.base.shape, this.base.strides, g._values);
    const region = gather(room, this.view.offset, this.view.shape, this.view.strides);
    const grads = this.fn.apply([this.make(region, this.view.shape.slice())]);
    // what reaches the view's old value replaces the region (zeros when nothing does)
    const self = grads[0] ? grads[0]._values : new Float32Array(region.length);
    scatter(room, this.view.offset, this.view.shape, this.view.strides, self);
    const toBase = gather(room, this.base.offset, this.base.shape, this.base.strides);
    return [this.make(toBase, this.base.shape.slice()), ...grads.slice(1)];
  }

  override release(): void {
    this.fn.release();
  }
}

/** PyTorch's `AsStridedBackward0`: a view's history taken from its base's. */
export class AsStridedBackward extends Node {
  readonly name = "AsStridedBackward0";

  constructor(
    edge: Edge,
    private readonly base: Geometry,
    private readonly view: Geometry,
    private readonly make: (values: Float32Array, shape: number[]) => Tensor,
  ) {
    super([edge], [base.shape]);
  }

  get numOutputs(): number {
    return 1;
  }
  outputShape(): Shape {
    return this.view.shape;
  }

  apply([g]: Tensor[]): (Tensor | null)[] {
    // the view's gradient in its region of a zero gradient of the base
    const toBase = regrid(g._values, this.view, this.base);
    return [this.make(toBase, this.base.shape.slice())];
  }
}

/** A fresh float tensor (Tensor is only used at call time: tensor.ts imports this module). */
const fresh = (values: Float32Array, shape: number[]): Tensor => Tensor._make(values, shape);

/** After an in-place op through `view`: `base` gets CopySlices, `view` AsStridedBackward0. */
export function rebaseHistory(view: Tensor, base: Tensor, baseEdge: Edge, fn: Node): void {
  const b = base._geometry();
  const v = view._geometry();
  const copy = new CopySlices([baseEdge, ...fn.nextFunctions.slice(1)], b, v, fn, fresh);
  base.gradFn = copy;
  base.outputNr = 0;
  view.gradFn = new AsStridedBackward([copy, 0], b, v, fresh);
  view.outputNr = 0;
  traceListener()?.onInPlaceView?.({ fn, copySlices: copy, view, base });
}

/** The history a view takes from its base after the base changed in place. */
export function asStridedHistory(view: Tensor, base: Tensor): Node {
  return new AsStridedBackward(edgeOf(base), base._geometry(), view._geometry(), fresh);
}
