/**
 * Reading the PyTorch reference fixtures (test/fixtures/torch/core_*.json, written by
 * make_core_reference.py) and comparing engine results with them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { assertClose, flatten } from "../helpers";

/** A tensor as the fixtures store it; nan/inf are the strings "nan", "inf", "-inf". */
export interface TensorJson {
  values: unknown;
  shape: number[];
  dtype: torch.DType;
}

/** A node of a backward graph: PyTorch's name, which output of it an edge uses, its edges. */
export interface GraphJson {
  name: string;
  nr: number;
  next?: (GraphJson | null)[];
}

/** How deep the generator follows `next_functions` (GRAPH_DEPTH of make_core_reference.py). */
export const GRAPH_DEPTH = 10;

const FIXTURES = path.resolve(__dirname, "../../../../test/fixtures/torch");

/** The parsed fixture file `name` (e.g. "core_errors.json"). */
export function loadFixture<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as T;
}

/** Nested fixture values as numbers and booleans (NaN and ±Infinity restored). */
export function decode(values: unknown): torch.NestedData {
  if (Array.isArray(values)) return values.map(decode);
  if (values === "nan") return NaN;
  if (values === "inf") return Infinity;
  if (values === "-inf") return -Infinity;
  return values as number | boolean;
}

/** A leaf tensor with the fixture's values, dtype and requires_grad. */
export function tensorFrom(spec: TensorJson & { requires_grad?: boolean }): torch.Tensor {
  const options = { dtype: spec.dtype, requiresGrad: spec.requires_grad ?? false };
  // nested lists cannot tell [0, 3] from [0]: an empty tensor is made from its shape
  if (spec.shape.includes(0)) return torch.zeros(spec.shape, options);
  return torch.tensor(decode(spec.values), options);
}

/** Shape, dtype and values of `actual` match PyTorch's (float32 within rounding unless `exact`). */
export function assertTensorMatches(
  actual: torch.Tensor | null,
  expected: TensorJson,
  label: string,
  exact = false,
): void {
  assert.ok(actual, `${label}: expected a tensor, got null`);
  assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  if (expected.dtype === "float32" && exact) {
    assert.deepEqual(
      Array.from(actual._values),
      flatten(expected.values),
      `${label}: values, bit for bit`,
    );
  } else if (expected.dtype === "float32") {
    try {
      assertClose(actual, expected.values, { atol: 1e-5, rtol: 1e-4 });
    } catch (error) {
      throw new assert.AssertionError({ message: `${label}: ${(error as Error).message}` });
    }
  } else {
    assert.deepEqual(actual.tolist(), expected.values, `${label}: values`);
  }
}

/** The engine's backward graph from `node`, in the fixtures' form. */
export function graphOf(
  node: torch.autograd.Node | null,
  nr = 0,
  depth = GRAPH_DEPTH,
): GraphJson | null {
  if (node === null) return null;
  const out: GraphJson = { name: node.name, nr };
  if (depth > 0) out.next = node.nextFunctions.map(([next, k]) => graphOf(next, k, depth - 1));
  return out;
}

/** PyTorch's printed form in this API's spelling (`gradFn=`, `requiresGrad=`). */
export function ourSpelling(printed: string): string {
  return printed
    .replace(/grad_fn=/g, "gradFn=")
    .replace(/requires_grad=True/g, "requiresGrad=True");
}
