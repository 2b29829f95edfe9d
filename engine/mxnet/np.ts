/**
 * MXNet's `np` (NumPy-compatible) functions over the engine's ops, each giving an ndarray.
 * NumPy's defaults: float32 arrays, `arange(4.0)`, `random.normal()` a scalar.
 */
import { Tensor, type DType } from "../tensor";
import * as torch from "../factories";
import { randn } from "../factories";
import { noGrad } from "../autograd/gradMode";
import { NDArray } from "./ndarray";

type Data = torch.NestedData | Tensor;
type Shape = number | number[];

const of = NDArray.of;
const shapeOf = (shape: Shape | undefined): number[] =>
  shape === undefined ? [] : Array.isArray(shape) ? shape : [shape];

export function array(data: Data, dtype: DType = "float32"): NDArray {
  return of(torch.tensor(data, { dtype }));
}

/** `arange(stop)` or `arange(start, stop, step?)`, float32 (MXNet's default dtype). */
export function arange(start: number, stop?: number, step = 1, dtype: DType = "float32"): NDArray {
  return of(stop === undefined ? torch.arange(start, { dtype }) : torch.arange(start, stop, step, { dtype }));
}

export function zeros(shape: Shape, dtype: DType = "float32"): NDArray {
  return of(torch.zeros(shapeOf(shape), { dtype }));
}

export function ones(shape: Shape, dtype: DType = "float32"): NDArray {
  return of(torch.ones(shapeOf(shape), { dtype }));
}

/** The dot product of vectors, the matrix product otherwise. */
export function dot(a: Tensor, b: Tensor): NDArray {
  return of(a.matmul(b));
}

export function sum(x: Tensor, axis?: number | number[] | null, keepdims = false): NDArray {
  return of(x.sum(axis ?? null, keepdims));
}

export function mean(x: Tensor, axis?: number | number[] | null, keepdims = false): NDArray {
  return of(x.mean(axis ?? null, keepdims));
}

export function exp(x: Tensor): NDArray {
  return of(x.exp());
}

export const linalg = {
  /** The Euclidean (Frobenius) norm of all elements. */
  norm(x: Tensor): NDArray {
    return of(x.norm());
  },
};

export const random = {
  /** Normal samples of `size` (a scalar when omitted), from the engine's seeded generator. */
  normal(loc = 0, scale = 1, size?: Shape): NDArray {
    return of(noGrad(() => randn(shapeOf(size)).mul(scale).add(loc)));
  },
};
