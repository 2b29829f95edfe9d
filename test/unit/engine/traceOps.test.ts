/**
 * Op events say which op they are (`spec`), and `isOp` (engine/trace/ops.ts) types their
 * attributes, so tools compare ops, not grad_fn name strings. A failed check is heard as the
 * op (or functional op) that ran it, with its inputs.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn } from "../../../engine";
import type { OpEvent } from "../../../engine/trace/recorder";
import { AvgPool2D, Convolution, MaxPool2DWithIndices, isOp } from "../../../engine/trace/ops";

function heard(body: () => unknown): { ops: OpEvent[]; failed: [string, number[][], object | null][] } {
  const ops: OpEvent[] = [];
  const failed: [string, number[][], object | null][] = [];
  const previous = torch.trace.setTraceListener({
    onOp: (e) => ops.push(e),
    onOpError: (name, inputs, _error, _attrs, spec) =>
      failed.push([name, inputs.map((t) => t.shape.slice()), spec ?? null]),
  });
  try {
    body();
  } catch {
    // the failure is what the listener heard
  } finally {
    torch.trace.setTraceListener(previous);
  }
  return { ops, failed };
}

test("trace: isOp tells a convolution and a pool apart and types their attributes", () => {
  const { ops } = heard(() => {
    const y = new nn.Conv2d(1, 2, 3, { stride: 2, padding: 1 }).forward(torch.randn(1, 1, 8, 8));
    nn.functional.maxPool2d(y, 2);
  });
  const conv = ops.find((e) => isOp(e, Convolution));
  assert.ok(conv && isOp(conv, Convolution));
  assert.deepEqual([conv.attrs.stride, conv.attrs.padding, conv.attrs.transposed], [[2, 2], [1, 1], false]);
  const pool = ops.find((e) => isOp(e, MaxPool2DWithIndices));
  assert.ok(pool && isOp(pool, MaxPool2DWithIndices));
  assert.deepEqual(pool.attrs.kernelSize, [2, 2]);
  assert.equal(ops.filter((e) => isOp(e, AvgPool2D)).length, 0);
  assert.equal(ops.filter((e) => isOp(e, Convolution)).length, 1);
});

test("trace: a failed check is heard once, as the op or functional op that ran it", () => {
  const conv = heard(() => new nn.Conv2d(3, 4, 3).forward(torch.randn(1, 1, 8, 8)));
  assert.deepEqual(
    conv.failed.map(([n, s, spec]) => [n, s, spec === Convolution.spec]),
    [["ConvolutionBackward0", [[1, 1, 8, 8], [4, 3, 3, 3], [4]], true]],
  );
  const view = heard(() => torch.randn(2, 3).view(4, 2));
  assert.deepEqual(view.failed, [["view", [[2, 3]], null]]);
  const flatten = heard(() => torch.randn(2, 3).flatten(1, 0));
  assert.deepEqual(flatten.failed, [["flatten", [[2, 3]], null]]);
  const cat = heard(() => torch.cat([torch.randn(2, 3), torch.randn(2, 4)]));
  assert.deepEqual(cat.failed, [["cat", [[2, 3], [2, 4]], null]]);
  const mean = heard(() => torch.randn(2, 3).mean(4));
  assert.deepEqual(mean.failed, [["mean", [[2, 3]], null]]);
  const pool1d = heard(() => nn.functional.maxPool1d(torch.randn(2), 2));
  assert.deepEqual(pool1d.failed, [["maxPool1d", [[2]], null]]);
});
