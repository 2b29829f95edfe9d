/**
 * The ops a run made, in order, within the limits the trace keeps: a long training loop keeps
 * its latest ops, and the tensors they hold alive stay under a byte budget.
 */
import type { Tensor } from "../../engine/tensor";
import type { TracedOp } from "./graph/trace";

/** Ops kept for the graph; a longer run keeps its latest ones. */
export const MAX_TRACED_OPS = 20_000;
/** Tensor storage the trace may keep alive (a long training loop would otherwise hold it all). */
export const MAX_TRACED_BYTES = 128 << 20;

export class OpLog {
  /** The kept ops (the in-place view bookkeeping rewrites some of them in place). */
  readonly ops: TracedOp[] = [];
  /** Ops forgotten because the run made more than the trace keeps (MAX_TRACED_OPS/BYTES). */
  private forgotten = 0;
  private next = 0;
  private retainedBytes = 0;

  get droppedOps(): number {
    return this.forgotten;
  }

  /** The index the next op will get. */
  get nextIndex(): number {
    return this.next;
  }

  /** An index for an op about to be recorded (or one that failed and is kept apart). */
  takeIndex(): number {
    return this.next++;
  }

  add(op: TracedOp): void {
    this.ops.push(op);
    this.retainedBytes += bytesOf(op.outputs);
    if (this.ops.length > MAX_TRACED_OPS || this.retainedBytes > MAX_TRACED_BYTES)
      this.dropOldest();
  }

  /** The kept ops whose index is `start` or later. */
  since(start: number): TracedOp[] {
    let first = this.ops.length;
    while (first > 0 && this.ops[first - 1].index >= start) first--;
    return this.ops.slice(first);
  }

  /** Forgets the oldest quarter of the ops (the graph shows the latest iteration anyway). */
  private dropOldest(): void {
    const dropped = this.ops.splice(0, Math.max(1, Math.floor(this.ops.length / 4)));
    this.forgotten += dropped.length;
    for (const op of dropped) this.retainedBytes -= bytesOf(op.outputs);
  }
}

function bytesOf(tensors: readonly Tensor[]): number {
  let n = 0;
  for (const t of tensors) n += t._values.byteLength;
  return n;
}
