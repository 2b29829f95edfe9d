/**
 * Every core op against PyTorch 1.13 (fixtures from test/fixtures/torch/make_core_reference.py):
 * output values, shape, dtype, printed form, grad_fn name, the backward graph to depth 10, and
 * the gradient of every input for PyTorch's upstream gradient. One test per fixture case.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { Tensor } from "../../../engine";
import { loadFixture } from "./torchFixtures";
import { Input, OpCase, OpTable, runOpCase } from "./opCases";

/** An op's arguments as the fixtures store them (PyTorch's keyword names). */
interface Args {
  alpha?: number;
  min?: number;
  max?: number;
  dim?: number | number[];
  keepdim?: boolean;
  dim0?: number;
  dim1?: number;
  dims?: number[];
  shape?: number[];
  start?: number;
  end?: number;
  index?: number;
  length?: number;
  size?: number | number[];
  chunks?: number;
  value?: number;
  /** A factory's positional arguments. */
  args?: (number | number[])[];
}

const T = (x: Input | undefined): Tensor => {
  assert.ok(x instanceof Tensor, "expected a tensor input");
  return x;
};
const one = (d: number | number[] | undefined): number => {
  assert.equal(typeof d, "number", "expected a single dim");
  return d as number;
};

/** Each fixture op name and the engine call it stands for (PyTorch's call is in OPS of the generator). */
const OPS: OpTable<Args> = {
  add: ([a, b], o) => torch.add(a, b, o.alpha),
  sub: ([a, b], o) => torch.sub(a, b, o.alpha),
  mul: ([a, b]) => torch.mul(a, b),
  div: ([a, b]) => torch.div(a, b),
  pow: ([a, b]) => torch.pow(a, b),
  maximum: ([a, b]) => torch.maximum(a, b),
  minimum: ([a, b]) => torch.minimum(a, b),
  gt: ([a, b]) => torch.gt(a, b),
  lt: ([a, b]) => torch.lt(a, b),
  ge: ([a, b]) => torch.ge(a, b),
  le: ([a, b]) => torch.le(a, b),
  eq: ([a, b]) => torch.eq(a, b),
  ne: ([a, b]) => torch.ne(a, b),
  neg: ([x]) => T(x).neg(),
  exp: ([x]) => T(x).exp(),
  log: ([x]) => T(x).log(),
  sqrt: ([x]) => T(x).sqrt(),
  abs: ([x]) => T(x).abs(),
  relu: ([x]) => T(x).relu(),
  sigmoid: ([x]) => T(x).sigmoid(),
  tanh: ([x]) => T(x).tanh(),
  sin: ([x]) => T(x).sin(),
  cos: ([x]) => T(x).cos(),
  clamp: ([x], o) => T(x).clamp(o.min, o.max),
  softmax: ([x], o) => torch.softmax(T(x), one(o.dim)),
  logSoftmax: ([x], o) => torch.logSoftmax(T(x), one(o.dim)),
  matmul: ([a, b]) => torch.matmul(T(a), T(b)),
  mm: ([a, b]) => torch.mm(T(a), T(b)),
  mv: ([a, b]) => torch.mv(T(a), T(b)),
  bmm: ([a, b]) => torch.bmm(T(a), T(b)),
  dot: ([a, b]) => torch.dot(T(a), T(b)),
  t: ([x]) => T(x).t(),
  transpose: ([x], o) => T(x).transpose(o.dim0!, o.dim1!),
  permute: ([x], o) => T(x).permute(o.dims!),
  view: ([x], o) => T(x).view(o.shape!),
  reshape: ([x], o) => T(x).reshape(o.shape!),
  flatten: ([x], o) => T(x).flatten(o.start, o.end),
  unsqueeze: ([x], o) => T(x).unsqueeze(one(o.dim)),
  squeeze: ([x], o) => (o.dim === undefined ? T(x).squeeze() : T(x).squeeze(one(o.dim))),
  expand: ([x], o) => T(x).expand(o.shape!),
  contiguous: ([x]) => T(x).contiguous(),
  clone: ([x]) => T(x).clone(),
  select: ([x], o) => T(x).select(one(o.dim), o.index!),
  narrow: ([x], o) => T(x).narrow(one(o.dim), o.start!, o.length!),
  split: ([x], o) => T(x).split(o.size!, o.dim as number | undefined),
  chunk: ([x], o) => T(x).chunk(o.chunks!, o.dim as number | undefined),
  cat: (xs, o) => torch.cat(xs.map(T), o.dim as number | undefined),
  stack: (xs, o) => torch.stack(xs.map(T), o.dim as number | undefined),
  sum: ([x], o) => T(x).sum(o.dim, o.keepdim),
  mean: ([x], o) => T(x).mean(o.dim, o.keepdim),
  max: ([x], o) => (o.dim === undefined ? T(x).max() : [...T(x).max(one(o.dim), o.keepdim)]),
  min: ([x], o) => (o.dim === undefined ? T(x).min() : [...T(x).min(one(o.dim), o.keepdim)]),
  argmax: ([x], o) => T(x).argmax(o.dim as number | undefined, o.keepdim),
  argmin: ([x], o) => T(x).argmin(o.dim as number | undefined, o.keepdim),
  norm: ([x]) => T(x).norm(),
  add_: ([a, b], o) => T(a).add_(b!, o.alpha),
  sub_: ([a, b], o) => T(a).sub_(b!, o.alpha),
  mul_: ([a, b]) => T(a).mul_(b!),
  div_: ([a, b]) => T(a).div_(b!),
  copy_: ([a, b]) => T(a).copy_(T(b)),
  zero_: ([a]) => T(a).zero_(),
  fill_: ([a], o) => T(a).fill_(o.value!),
  arange: (_, o) => torch.arange(...(o.args as number[])),
  linspace: (_, o) => torch.linspace(...(o.args as [number, number, number])),
  eye: (_, o) => torch.eye(...(o.args as [number, number?])),
  full: (_, o) => torch.full(...(o.args as [number[], number])),
  zeros: (_, o) => torch.zeros(...(o.args as number[][])),
  ones: (_, o) => torch.ones(...(o.args as number[][])),
};

for (const family of ["elementwise", "matmul", "shape", "reduce", "factories", "inplace"]) {
  const { cases } = loadFixture<{ cases: OpCase<Args>[] }>(`core_ops_${family}.json`);
  for (const c of cases) {
    const what = c.outputs.some((o) => o.upstream) ? "values, graph and gradient" : "values";
    test(`${c.name}, ${what} match PyTorch`, () => runOpCase(c, OPS, family === "factories"));
  }
}
