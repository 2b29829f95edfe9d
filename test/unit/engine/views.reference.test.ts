/**
 * Views, indexing and in-place changes through views, against PyTorch 1.13
 * (test/fixtures/torch/core_views.json, written by make_views_reference.py): each index form's
 * values, view geometry (strides, offset), grad_fn chain and gradient; `x[...] = v` with
 * PyTorch's CopySlices / IndexPutBackward0 and gradients to the base and the value; and that a
 * change through each view op reaches its base.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { assertTensorMatches, graphOf, loadFixture, type GraphJson, type TensorJson } from "./torchFixtures";

type Item =
  | { int: number }
  | { str: string }
  | { slice: (number | null)[] }
  | { none: true }
  | { ellipsis: true }
  | { long: unknown }
  | { list: number[] }
  | { mask: unknown };

interface Fixtures {
  index: { shape: number[]; index: Item[]; out: TensorJson; view: boolean; stride?: number[]; offset?: number; graph: GraphJson; grad: TensorJson }[];
  indexErrors: { shape: number[]; index: Item[]; type: string; message: string }[];
  put: {
    shape: number[];
    index: Item[];
    value: number | { shape: number[] };
    baseRequiresGrad: boolean;
    out: TensorJson;
    graph: GraphJson | null;
    baseGrad?: TensorJson;
    valueGrad?: TensorJson;
  }[];
  views: { name: string; shape: number[]; stride: number[]; offset: number; contiguous: boolean; base: TensorJson; viewAfterBaseChange?: TensorJson }[];
}

const F = loadFixture<Fixtures>("core_views.json");

function item(i: Item): torch.IndexItem {
  if ("int" in i) return i.int;
  if ("str" in i) return i.str;
  if ("slice" in i) return torch.slice(...(i.slice as [number | null, number | null, number | null]));
  if ("none" in i) return null;
  if ("ellipsis" in i) return "...";
  if ("long" in i) return torch.tensor(i.long as number[]);
  if ("list" in i) return i.list;
  return torch.tensor(i.mask as boolean[]);
}

/** The same inputs as the generator's `base` and `weights`. */
function numel(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
function base(shape: number[]): torch.Tensor {
  const n = numel(shape);
  return torch.arange(n).float().sub(n / 3).reshape(shape);
}
function weights(shape: number[]): torch.Tensor {
  return torch.arange(numel(shape)).float().mul(0.37).sub(1.1).reshape(shape);
}
const label = (items: Item[]): string => `x[${items.map((i) => JSON.stringify(i)).join(", ")}]`;

/** grad_fn names along first edges, as the fixture's graph is compared (AccumulateGrad at the end). */
function sameGraph(actual: GraphJson | null, expected: GraphJson | null, what: string): void {
  assert.deepEqual(actual, expected, `${what}: graph`);
}

test("indexing: every form gives PyTorch's values, views, grad_fn chain and gradient", () => {
  for (const c of F.index) {
    const what = `${label(c.index)} of ${JSON.stringify(c.shape)}`;
    const x = base(c.shape).requiresGrad_();
    const out = x.index(...c.index.map(item));
    // an empty result's values cannot tell its shape: the shape alone is compared
    if (c.out.shape.includes(0)) assert.deepEqual(out.shape, c.out.shape, `${what}: shape`);
    else assertTensorMatches(out, c.out, what);
    assert.equal(out._base !== null, c.view, `${what}: a view`);
    if (c.view) {
      assert.deepEqual(out.stride(), c.stride, `${what}: strides`);
      assert.equal(out.storageOffset(), c.offset, `${what}: storage offset`);
    }
    sameGraph(graphOf(out.gradFn), c.graph, what);
    out.mul(weights(out.shape)).sum().backward();
    assertTensorMatches(x.grad, c.grad, `${what}: gradient`);
  }
});

test("indexing: PyTorch's IndexError messages", () => {
  for (const c of F.indexErrors) {
    assert.throws(
      () => base(c.shape).index(...c.index.map(item)),
      (e: Error) => e.constructor.name === c.type && e.message === c.message,
      label(c.index),
    );
  }
});

test("x[...] = v: values, CopySlices / IndexPutBackward0, and gradients to the base and the value", () => {
  for (const c of F.put) {
    const what = `${label(c.index)} = ${JSON.stringify(c.value)}`;
    const leaf = base(c.shape).requiresGrad_(c.baseRequiresGrad);
    const x = c.baseRequiresGrad ? leaf.clone() : leaf.detach().clone();
    const v = typeof c.value === "number" ? c.value : weights(c.value.shape).add(0.5).requiresGrad_();
    x.indexPut_(c.index.map(item), v);
    assertTensorMatches(x, c.out, what);
    sameGraph(graphOf(x.gradFn), c.graph, what);
    if (!x.requiresGrad) continue;
    x.mul(weights(x.shape)).sum().backward();
    if (c.baseGrad) assertTensorMatches(leaf.grad, c.baseGrad, `${what}: base gradient`);
    if (c.valueGrad) assertTensorMatches((v as torch.Tensor).grad, c.valueGrad, `${what}: value gradient`);
  }
});

const VIEW_OPS: Record<string, (b: torch.Tensor) => torch.Tensor> = {
  select: (b) => b.select(1, 2),
  narrow: (b) => b.narrow(0, 1, 2),
  "slice with step": (b) => b.index(":", "::2"),
  permute: (b) => b.permute(1, 0),
  transpose: (b) => b.transpose(0, 1),
  t: (b) => b.t(),
  T: (b) => b.T,
  mT: (b) => b.mT,
  unsqueeze: (b) => b.unsqueeze(1),
  squeeze: (b) => b.unsqueeze(0).squeeze(0),
  view: (b) => b.view(2, 6),
  reshape: (b) => b.reshape(12),
  flatten: (b) => b.flatten(),
  split: (b) => b.split(1, 0)[1],
  chunk: (b) => b.chunk(2, 1)[1],
  unbind: (b) => b.unbind(1)[3],
  diagonal: (b) => b.diagonal(1),
  as_strided: (b) => b.asStrided([2, 2], [4, 1], 5),
  index: (b) => b.index("1:", "1:3"),
  detach: (b) => b.detach(),
  "expand (read only)": (b) => b.index("0:1").expand(3, 4),
};

test("views: each view op shares storage, with PyTorch's geometry; writes reach the base", () => {
  assert.deepEqual(Object.keys(VIEW_OPS).sort(), F.views.map((v) => v.name).sort());
  for (const c of F.views) {
    const b = base([3, 4]);
    const v = VIEW_OPS[c.name](b);
    assert.deepEqual(v.shape, c.shape, `${c.name}: shape`);
    assert.deepEqual(v.stride(), c.stride, `${c.name}: strides`);
    assert.equal(v.storageOffset(), c.offset, `${c.name}: storage offset`);
    assert.equal(v.isContiguous(), c.contiguous, `${c.name}: contiguous`);
    if (c.viewAfterBaseChange) {
      b.add_(100);
      assertTensorMatches(v, c.viewAfterBaseChange, `${c.name}: the view sees its base's change`);
    } else {
      v.mul_(10);
    }
    assertTensorMatches(b, c.base, `${c.name}: the base after the change`);
  }
});

test("x._version counts the in-place changes of the storage, shared by views; .data's changes are not counted", () => {
  // PyTorch 1.13: 0 0 / 1 1 / 2 2 / 2 1 / 3
  const x = torch.zeros(3);
  const v = x.index("0:2");
  assert.deepEqual([x._version, v._version], [0, 0]);
  v.add_(1);
  assert.deepEqual([x._version, v._version], [1, 1]);
  x.mul_(2);
  assert.deepEqual([x._version, v._version], [2, 2]);
  const d = x.data;
  d.add_(1);
  assert.deepEqual([x._version, d._version], [2, 1]);
  x.detach().add_(1);
  assert.equal(x._version, 3);
  assert.deepEqual(x.tolist(), [4, 4, 2], "and every write reached the storage");
});
