/**
 * TensorFlow's op names over the engine's ops (`tf.reduceSum` is `sum`, `tf.tensordot` is a
 * reshape and a matmul): no op of its own, so every gradient is the engine's.
 */
import { Tensor, type DType } from "../tensor";
import { tensor, arange, zeros as torchZeros, ones as torchOnes, randn, type NestedData } from "../factories";
import { noGrad } from "../autograd/gradMode";
import { RuntimeError } from "../errors";

/** A dtype name as `tf.float32`; `tf.int32` is the engine's integer type. */
export const float32 = "float32" as const;
export const int32 = "int64" as const;
export const bool = "bool" as const;

interface DTypeOption {
  dtype?: DType;
}

/** A tensor of `value`: float32 unless `dtype` says otherwise (TF.js's default; JS has no `1.`). */
export function constant(value: Tensor | NestedData, dtype: DType = "float32"): Tensor {
  return tensor(value, { dtype });
}

/** `tf.range(limit)` or `tf.range(start, limit, delta?)`, with `{ dtype }` last. */
export function range(...args: (number | DTypeOption)[]): Tensor {
  const last = args[args.length - 1];
  const options = typeof last === "object" ? (args.pop() as DTypeOption) : {};
  return arange(...(args as number[]), options.dtype ? { dtype: options.dtype } : {});
}

export function zeros(shape: number[], dtype: DType = "float32"): Tensor {
  return torchZeros(shape, { dtype });
}

export function ones(shape: number[], dtype: DType = "float32"): Tensor {
  return torchOnes(shape, { dtype });
}

export const random = {
  /** Normal samples (`tf.random.normal(shape, mean, stddev)`), from the engine's seeded generator. */
  normal(shape: number[], mean = 0, stddev = 1): Tensor {
    return noGrad(() => randn(shape).mul(stddev).add(mean));
  },
};

export function reduceSum(x: Tensor, axis?: number | number[] | null, keepdims = false): Tensor {
  return x.sum(axis ?? null, keepdims);
}

export function reduceMean(x: Tensor, axis?: number | number[] | null, keepdims = false): Tensor {
  return x.mean(axis ?? null, keepdims);
}

export function square(x: Tensor): Tensor {
  return x.pow(2);
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  return a.matmul(b);
}

/** Contracts the last `axes` dimensions of `a` with the first `axes` of `b`. */
export function tensordot(a: Tensor, b: Tensor, axes: number): Tensor {
  const inner = a.shape.slice(a.shape.length - axes);
  if (axes > a.shape.length || axes > b.shape.length || inner.some((s, i) => s !== b.shape[i])) {
    throw new RuntimeError(
      `tensordot: the last ${axes} dimension(s) of a [${a.shape}] must equal the first ${axes} of b [${b.shape}]`,
    );
  }
  const outerA = a.shape.slice(0, a.shape.length - axes);
  const outerB = b.shape.slice(axes);
  const k = inner.reduce((p, s) => p * s, 1);
  const m = a.reshape([size(outerA), k]).matmul(b.reshape([k, size(outerB)]));
  return m.reshape([...outerA, ...outerB]);
}

function size(shape: number[]): number {
  return shape.reduce((p, s) => p * s, 1);
}

/** The Euclidean norm of all elements (`tf.norm(x)`). */
export function norm(x: Tensor): Tensor {
  return x.norm();
}

/** The same values, with no gradient through them (`tf.stop_gradient`). */
export function stopGradient(x: Tensor): Tensor {
  return x.detach();
}
