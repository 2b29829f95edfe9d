/**
 * What a run tells the extension's tracer: names bound (`conv = …`, `self.fc = …`), layers
 * made on their line and column, each loop turn's line, and, while an op runs, the Python call
 * it came from (line and the column where the call starts, where an editor hint anchors).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { pythonModule, type RunObserver } from "../../../python/index";

const SOURCE = [
  "import torch",
  "from torch import nn",
  "conv = nn.Conv2d(1, 2, 3)",
  "x = torch.randn(1, 1, 8, 8)",
  "for i in range(2):",
  "    y = conv(x)",
  "loss = y.sum()",
].join("\n");

test("python observer: bindings, constructions, loop turns and the call site of each op", () => {
  const events: string[] = [];
  const observer: RunObserver = {
    bind: (v, name, line, _col, attribute) => events.push(`bind ${name}@${line}${attribute ? " attr" : ""}: ${v instanceof torch.Tensor ? "tensor" : typeof v}`),
    made: (v, line, col) => v instanceof torch.nn.Module && events.push(`made ${v.constructor.name}@${line}:${col}`),
    loop: (line) => events.push(`loop@${line}`),
  };
  const module = pythonModule({ write: () => undefined, observer });
  const ops: string[] = [];
  const previous = torch.trace.setTraceListener({
    onOp: (e) => {
      const at = module.callSite();
      ops.push(`${e.name}@${at.line}:${at.column}`);
    },
  });
  try {
    assert.equal(module.run(SOURCE), null);
  } finally {
    torch.trace.setTraceListener(previous);
  }
  assert.deepEqual(events.filter((e) => e.startsWith("made") || e.startsWith("loop")), ["made Conv2d@3:8", "loop@5", "loop@5"]);
  assert.ok(events.includes("bind conv@3: object") && events.includes("bind y@6: tensor") && events.includes("bind loss@7: tensor"), events.join("\n"));
  assert.deepEqual(ops.filter((o) => o.startsWith("Convolution")), ["ConvolutionBackward0@6:9", "ConvolutionBackward0@6:9"]);
  assert.ok(ops.includes("SumBackward0@7:8"), ops.join(", "));
});
