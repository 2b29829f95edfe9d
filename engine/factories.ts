/**
 * Tensor factories: `tensor`, `zeros`, `ones`, `full`, `rand`, `randn`, `eye`, `arange`,
 * `linspace` and the `*Like` forms. Shapes may be given as an array or as numbers, and every
 * factory takes `{ requiresGrad, dtype }` as an optional last argument.
 */
import { Tensor, DType } from "./tensor";
import { RuntimeError, ValueError } from "./errors";
import { bracketed, numelOf } from "./shape";
import { fillNormal, fillUniform } from "./random";
import { fmaf } from "./kernels/elementwise";

export interface TensorOptions {
  requiresGrad?: boolean;
  dtype?: DType;
}

/** Nested arrays of numbers (or booleans), or a single number. */
export type NestedData = number | boolean | NestedData[];

type ShapeArgs = (number | number[] | TensorOptions | undefined)[];

/** Splits `(2, 3, {opts})` or `([2, 3], {opts})` into a shape and options. */
function shapeAndOptions(args: ShapeArgs): [number[], TensorOptions] {
  let options: TensorOptions = {};
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === "object" && !Array.isArray(last)) {
    options = last;
    args = args.slice(0, -1);
  }
  const shape = args.length === 1 && Array.isArray(args[0]) ? args[0] : (args.filter((a) => a !== undefined) as number[]);
  shape.forEach((s) => {
    if (!Number.isInteger(s) || s < 0) {
      throw new RuntimeError(`Trying to create tensor with negative dimension ${s}: ${bracketed(shape)}`);
    }
  });
  return [shape.slice(), options];
}

function finish(values: Float32Array, shape: number[], dtype: DType, options: TensorOptions): Tensor {
  const t = Tensor._make(values, shape, options.dtype ?? dtype);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

/**
 * A tensor from nested arrays, like `torch.tensor`. Whole numbers give an int64 tensor, as
 * in PyTorch, unless `requiresGrad` or `dtype: "float32"` asks for floats (JavaScript has
 * no `1.` to tell them apart).
 * @example const x = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
 */
export function tensor(data: NestedData | Tensor, options: TensorOptions = {}): Tensor {
  if (data instanceof Tensor) return finish(data._values.slice(), data.shape.slice(), data.dtype, options);
  const shape: number[] = [];
  for (let level: NestedData = data; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  const values = new Float32Array(numelOf(shape));
  let allInts = true;
  let allBools = true;
  let at = 0;
  const walk = (d: NestedData, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(d)) throw new ValueError(`expected sequence of length ${shape[dim - 1]} at dim ${dim - 1} (got ${d.length})`);
      if (typeof d === "boolean") {
        values[at++] = d ? 1 : 0;
      } else if (typeof d === "number") {
        allBools = false;
        if (!Number.isInteger(d)) allInts = false;
        values[at++] = d;
      } else {
        throw new TypeError(`Could not infer dtype of ${typeof d}`);
      }
      return;
    }
    if (!Array.isArray(d)) throw new TypeError(`not a sequence`);
    if (d.length !== shape[dim]) throw new ValueError(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${d.length})`);
    for (const item of d) walk(item, dim + 1);
  };
  walk(data, 0);
  const inferred: DType = values.length > 0 && allBools ? "bool" : allInts && values.length > 0 && !options.requiresGrad ? "int64" : "float32";
  return finish(values, shape, inferred, options);
}

export function zeros(...args: ShapeArgs): Tensor {
  const [shape, options] = shapeAndOptions(args);
  return finish(new Float32Array(numelOf(shape)), shape, "float32", options);
}

export function ones(...args: ShapeArgs): Tensor {
  const [shape, options] = shapeAndOptions(args);
  return finish(new Float32Array(numelOf(shape)).fill(1), shape, "float32", options);
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: number[], value: number, options: TensorOptions = {}): Tensor {
  const [s] = shapeAndOptions([shape]);
  const dtype: DType = typeof value === "boolean" ? "bool" : Number.isInteger(value) ? "int64" : "float32";
  return finish(new Float32Array(numelOf(s)).fill(Number(value)), s, dtype, options);
}

/** Uniform samples in [0, 1), repeatable with `manualSeed` and equal to PyTorch's. */
export function rand(...args: ShapeArgs): Tensor {
  const [shape, options] = shapeAndOptions(args);
  const values = new Float32Array(numelOf(shape));
  fillUniform(values);
  return finish(values, shape, "float32", options);
}

/** Standard normal samples, repeatable with `manualSeed` and equal to PyTorch's. */
export function randn(...args: ShapeArgs): Tensor {
  const [shape, options] = shapeAndOptions(args);
  const values = new Float32Array(numelOf(shape));
  fillNormal(values);
  return finish(values, shape, "float32", options);
}

/** The n×m identity (m defaults to n). */
export function eye(n: number, m: number | TensorOptions = n, options: TensorOptions = {}): Tensor {
  if (typeof m === "object") [m, options] = [n, m];
  const values = new Float32Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return finish(values, [n, m], "float32", options);
}

/**
 * Fills `n` values as PyTorch's CPU range kernels do: blocks of 16 as two AVX2 vectors of 8,
 * each from its base (`Vectorized<float>::arange(base, step)`), the tail one by one with the
 * scalar formula. Values can differ in the last bit from a plain `start + i·step`.
 */
function fillRange(n: number, scalar: (i: number) => number, fromBase: (base: number, k: number) => number): Float32Array {
  const values = new Float32Array(n);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    for (const at of [i, i + 8]) {
      const base = scalar(at);
      for (let k = 0; k < 8; k++) values[at + k] = fromBase(base, k);
    }
  }
  for (; i < n; i++) values[i] = scalar(i);
  return values;
}

/** Double-precision fused multiply-add a·b + c (error-free product and sum, one final rounding). */
function fmad(a: number, b: number, c: number): number {
  const SPLIT = 134217729; // 2^27 + 1: Veltkamp splitting into 26-bit halves
  const split = (x: number): [number, number] => {
    const t = SPLIT * x;
    const hi = t - (t - x);
    return [hi, x - hi];
  };
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  const e = ah * bh - p + ah * bl + al * bh + al * bl; // a·b = p + e exactly
  const s = p + c;
  const v = s - p;
  const t = p - (s - v) + (c - v); // p + c = s + t exactly
  return s + (t + e);
}

/**
 * `arange(end)` or `arange(start, end, step?)`: int64 for whole numbers (as PyTorch), float32
 * when a bound is fractional or `requiresGrad` is asked.
 */
export function arange(...args: (number | TensorOptions)[]): Tensor {
  const options = (typeof args[args.length - 1] === "object" ? args.pop() : {}) as TensorOptions;
  const nums = args as number[];
  const [start, end, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  if (step === 0) throw new RuntimeError("step must be nonzero");
  if ((end - start) / step < 0) throw new RuntimeError("upper bound and larger bound inconsistent with step sign");
  const n = Math.ceil((end - start) / step);
  // start + i·step in double (PyTorch's accumulate type, with FMA), rounded to float32
  const values = fillRange(n, (i) => Math.fround(fmad(step, i, start)), (base, k) => base + k * step);
  const ints = [start, end, step].every(Number.isInteger) && !options.requiresGrad;
  return finish(values, [n], ints ? "int64" : "float32", options);
}

/**
 * `steps` evenly spaced values from `start` to `end`, both included. As PyTorch: float32
 * arithmetic with fused multiply-adds, the first half counted from `start`, the second from `end`.
 */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (steps < 0) throw new RuntimeError("number of steps must be non-negative");
  const f = Math.fround;
  const [a, b] = [f(start), f(end)];
  const step = steps > 1 ? f(f(b - a) / (steps - 1)) : 0;
  const half = Math.floor(steps / 2);
  const scalar = (i: number) => (i < half ? fmaf(step, i, a) : fmaf(-step, steps - i - 1, b));
  const values = steps === 1 ? Float32Array.of(a) : fillRange(steps, scalar, (base, k) => f(base + f(k * step)));
  return finish(values, [steps], "float32", options);
}

export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return finish(new Float32Array(t.numel()), t.shape.slice(), t.dtype, options);
}
export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return finish(new Float32Array(t.numel()).fill(1), t.shape.slice(), t.dtype, options);
}
export function fullLike(t: Tensor, value: number, options: TensorOptions = {}): Tensor {
  return finish(new Float32Array(t.numel()).fill(value), t.shape.slice(), t.dtype, options);
}
export function randLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return rand(t.shape.slice(), options);
}
export function randnLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return randn(t.shape.slice(), options);
}
