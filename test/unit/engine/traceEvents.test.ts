/**
 * The trace events tools locate things with: each Module's construction (heard from the base
 * constructor, so layers an engine layer builds inside itself are heard too), each module call
 * with its inputs, and each backward pass with whether it keeps the graph.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import type { BackwardEvent, TraceListener } from "../../../engine/trace";

function listening(listener: TraceListener, run: () => void): void {
  const previous = torch.trace.setTraceListener(listener);
  try {
    run();
  } finally {
    torch.trace.setTraceListener(previous);
  }
}

test("trace events: every Module's construction is heard, the ones a layer builds inside itself too", () => {
  const created: string[] = [];
  listening({ onModuleCreate: (m) => created.push(m.constructor.name) }, () => {
    new torch.nn.Sequential(new torch.nn.Linear(4, 3), new torch.nn.ReLU());
    new torch.nn.MultiheadAttention(8, 2);
  });
  assert.deepEqual(created.slice(0, 3), ["Linear", "ReLU", "Sequential"]);
  assert.ok(
    created.length > 4,
    `MultiheadAttention builds its out projection: ${created.join(", ")}`,
  );
  assert.equal(created[3], "MultiheadAttention");
});

test("trace events: a module call is entered with its inputs", () => {
  const fc = new torch.nn.Linear(4, 3);
  const x = torch.randn(2, 4);
  const entered: unknown[][] = [];
  listening({ onModuleEnter: (_m, inputs) => entered.push([...(inputs ?? [])]) }, () =>
    fc.forward(x),
  );
  assert.equal(entered.length, 1);
  assert.equal(entered[0][0], x);
});

test("trace events: each backward pass starts with its roots and whether it retains the graph", () => {
  const w = torch.ones(3, { requiresGrad: true });
  const loss = w.mul(w).sum();
  const passes: BackwardEvent[] = [];
  listening({ onBackward: (e) => passes.push(e) }, () => {
    loss.backward(undefined, { retainGraph: true });
    loss.backward();
  });
  assert.deepEqual(
    passes.map((p) => [p.roots[0] === loss, p.retainGraph]),
    [
      [true, true],
      [true, false],
    ],
  );
});
