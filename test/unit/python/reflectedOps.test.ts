/**
 * Python's reflected operators on tensors (`2 - x`, `1 / x`, `2 ** x`) and the engine ops
 * behind them (torch.rsub, Tensor.reciprocal): values, gradients and grad_fn names against
 * PyTorch 1.13 (python_ops.json, from make_python_ops_reference.py). Each case runs as
 * Python source through the front end.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as torch from "../../../engine";
import { runPython } from "../../../python/index";
import { assertClose } from "../helpers";

interface TensorJson {
  values: unknown;
  shape: number[];
  dtype: torch.DType;
}
interface OpCase {
  name: string;
  python: string;
  x: TensorJson;
  y: TensorJson;
  grad_fn: string | null;
  grad?: TensorJson;
}

const file = path.resolve(__dirname, "../../../../test/fixtures/torch/python_ops.json");
const { cases } = JSON.parse(fs.readFileSync(file, "utf8")) as { cases: OpCase[] };

const fromJson = (t: TensorJson) => torch.tensor(t.values as number[], { dtype: t.dtype }).reshape(t.shape);

for (const c of cases) {
  test(`python reflected op ${c.name}: PyTorch's values, gradient and ${c.grad_fn ?? "no grad_fn"}`, () => {
    const x = fromJson(c.x);
    if (c.grad) x.requiresGrad_(true);
    const y = evaluate(c.python, x);
    assert.equal(y.dtype, c.y.dtype);
    assertClose(y, c.y.values);
    assert.equal(y.gradFn?.name ?? null, c.grad_fn);
    if (c.grad) {
      const w = torch.arange(1, y.numel() + 1, { dtype: "float32" }).reshape(y.shape).div(10);
      y.mul(w).sum().backward();
      assertClose(x.grad, c.grad.values);
    }
  });
}

/** Runs `y = <expr>` as Python with `x` bound to the given tensor, and returns y. */
function evaluate(expr: string, x: torch.Tensor): torch.Tensor {
  const run = runPython(`import torch\ny = ${expr}\n`, { write: () => undefined, globals: { x } });
  assert.equal(run.error, null, run.error?.message);
  return run.globals.get("y") as torch.Tensor;
}
