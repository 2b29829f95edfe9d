/** Shape arithmetic shared by kernels and ops: sizes, strides, broadcasting, dim checks. */
import { IndexError, RuntimeError } from "./errors";

export type Shape = readonly number[];

export function numelOf(shape: Shape): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Row-major (contiguous) strides. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= shape[i];
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `torch.Size([2, 3])`, as PyTorch prints a shape inside error messages. */
export function torchSize(shape: Shape): string {
  return `torch.Size([${shape.join(", ")}])`;
}

/** `[2, 3]`, as PyTorch prints sizes in most messages. */
export function bracketed(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/** NumPy broadcasting of two shapes, with PyTorch's message when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new RuntimeError(
        `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
        { kind: "broadcast", a: a.slice(), b: b.slice(), dim: i, sizeA: da, sizeB: db },
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Wraps a possibly negative dim into [0, ndim), with PyTorch's IndexError when out of range. */
export function normalizeDim(dim: number, ndim: number): number {
  const lo = -Math.max(ndim, 1);
  const hi = Math.max(ndim, 1) - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new IndexError(
      `Dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${dim})`,
      { kind: "dimOutOfRange", dim, ndim },
    );
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

function viewSizeError(target: Shape, numel: number): RuntimeError {
  return new RuntimeError(`shape '${bracketed(target)}' is invalid for input of size ${numel}`, {
    kind: "viewSize",
    shape: target.slice(),
    numel,
  });
}

/** Resolves a single -1 in a view/reshape target, with PyTorch's messages. */
export function inferViewShape(target: Shape, numel: number): number[] {
  let inferred = -1;
  let known = 1;
  for (let i = 0; i < target.length; i++) {
    const s = target[i];
    if (s === -1) {
      if (inferred >= 0)
        throw new RuntimeError("only one dimension can be inferred", { kind: "invalidArgument", argument: "shape" });
      inferred = i;
    } else if (s < 0 || !Number.isInteger(s)) {
      throw new RuntimeError(`invalid shape dimension ${s}`, { kind: "invalidArgument", argument: "shape" });
    } else {
      known *= s;
    }
  }
  const out = [...target];
  if (inferred >= 0) {
    if (known === 0 || numel % known !== 0) {
      throw viewSizeError(target, numel);
    }
    out[inferred] = numel / known;
  } else if (known !== numel) {
    throw viewSizeError(target, numel);
  }
  return out;
}
