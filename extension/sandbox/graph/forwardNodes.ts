/**
 * A file where nothing requires grad (shapes explored under `noGrad`, plain tensors) gives the
 * engine no autograd nodes, and PyTorch no graph. Rather than draw nothing, its forward ops
 * stand in as nodes: one per op, wired by which op made each input tensor, named as PyTorch
 * would name their grad_fn. The graph builder then treats them like autograd nodes.
 */
import type { Node, Edge } from "../../../engine/autograd/node";
import type { Tensor } from "../../../engine/tensor";
import type { TracedOp } from "./trace";

/** Where a tensor came from: the node that made it and which of its outputs it is. */
export type Producer = [Node, number];

export interface ForwardNodes {
  records: Map<Node, TracedOp>;
  producers: Map<Tensor, Producer>;
}

/** The shape of a node the builder reads; stand-ins have only this. */
interface StandIn {
  name: string;
  nextFunctions: Edge[];
  inputShapes: readonly (readonly number[])[];
  sequenceNr: number;
}

export function forwardNodes(ops: readonly TracedOp[]): ForwardNodes {
  const records = new Map<Node, TracedOp>();
  const producers = new Map<Tensor, Producer>();
  for (const op of ops) {
    if (op.failed) continue;
    const standIn: StandIn = {
      name: op.name,
      nextFunctions: op.inputs.map((t) => producers.get(t) ?? [null, 0]),
      inputShapes: op.inputs.map((t) => t.shape),
      sequenceNr: op.index,
    };
    // NOTE: a stand-in is never run by backward; the builder reads only the fields above.
    const node = standIn as unknown as Node;
    records.set(node, { ...op, node });
    op.outputs.forEach((t, i) => producers.set(t, [node, i]));
  }
  return { records, producers };
}
