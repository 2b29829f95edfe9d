/** The trace of an in-place write through a view: drawn as PyTorch draws it, the base's CopySlices. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { traceOf } from "./traceOf";

test("view writes: `Y.narrow(...).add_(v)` is traced as Y's CopySlices, without the view op that made the slice", () => {
  let Y!: torch.Tensor;
  const trace = traceOf((name) => {
    const x = name("x", torch.ones([2], { requiresGrad: true }));
    Y = name("Y", torch.zeros([3]));
    const v = name("v", x.mul(2));
    Y.narrow(0, 0, 2).add_(v);
    return Y;
  });
  assert.deepEqual(
    trace.ops.map((op) => op.name),
    ["MulBackward0", "CopySlices"],
  );
  const write = trace.ops[1];
  assert.equal(write.outputs[0], Y);
  // Y had no history before the write: its earlier value is an input object of its own, named Y
  const before = write.inputs[0];
  assert.notEqual(before, Y);
  assert.equal(trace.names.get(before), "Y");
});
