/**
 * In-place writes through a view (`Y.index(...).add_(v)`): the recorded ops are redrawn as
 * PyTorch's graph has them, the base's CopySlices in place of the op that wrote.
 */
import type { Tensor } from "../../engine/tensor";
import type { InPlaceViewEvent } from "../../engine/trace/recorder";
import type { TracedOp } from "./graph/trace";

/**
 * An in-place op wrote through a view: the op heard just before is drawn as the base's
 * CopySlices (its own node lives inside that one). `names` gives a fresh base copy its name.
 */
export function drawAsCopySlices(
  ops: TracedOp[],
  e: InPlaceViewEvent,
  names: WeakMap<Tensor, string>,
): void {
  for (let i = ops.length - 1; i >= Math.max(0, ops.length - 4); i--) {
    const op = ops[i];
    if (op.node !== e.fn) continue;
    // The base before the write, drawn as an input when it had no history (the first write
    // into a fresh `Y`): its own object, so that `Y` after the writes is a node of its own.
    const [before] = e.copySlices.nextFunctions;
    let input = e.base;
    if (before[0] === null) {
      input = e.base.detach();
      const name = names.get(e.base);
      if (name !== undefined) names.set(input, name);
    }
    ops[i] = {
      ...op,
      name: e.copySlices.name,
      node: e.copySlices,
      inputs: [input, ...op.inputs.slice(1)],
      outputs: [e.base],
    };
    dropViewChain(ops, e.view, e.base, i);
    return;
  }
}

/**
 * The view ops that made the view just written through are not in PyTorch's backward graph any
 * more (the view's history is now the base's): drop them, back to the base, unless something
 * else used what they made.
 */
function dropViewChain(ops: TracedOp[], view: Tensor, base: Tensor, writeAt: number): void {
  let target = view;
  for (let i = writeAt - 1; i >= Math.max(0, writeAt - 16) && target !== base; i--) {
    const op = ops[i];
    if (op.outputs.length !== 1 || op.outputs[0] !== target) continue;
    const usedElsewhere = ops.some((o, j) => j > i && j !== writeAt && o.inputs.includes(target));
    if (usedElsewhere) return;
    ops.splice(i, 1);
    writeAt--;
    target = op.inputs[0];
  }
}
