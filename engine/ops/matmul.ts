/**
 * Matrix products: mm, mv, dot, bmm, addmm, and matmul composed from them as PyTorch composes
 * it (so `matmul` of a vector and a matrix shows `UnsqueezeBackward0 → MmBackward0 →
 * SqueezeBackward3`, as in PyTorch 1.13). Backward passes use the GEMM's transpose flags.
 */
import { defineOp, traced, type OpContext } from "../autograd/apply";
import type { FailureReason } from "../failureReasons";
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";
import { gemm } from "../kernels/matmul";
import { emptyFloats } from "../kernels/storage";
import { sumTo, binary, expandTo } from "../tensorKernels";
import { sumToRecorded } from "./gradGraph";
import { promote } from "./binary";
import { broadcastShapes } from "../shape";
import { unsqueeze, squeezeInPlace, reshape, expand, transpose, t, contiguous, unsafeView, torchStrides } from "./view";

/** Storage and transpose flag for a GEMM operand: a lazy transpose is read in place. */
function operand(t: Tensor, trans: boolean): [Float32Array, boolean] {
  const source = t._transposeSource();
  return source ? [source, !trans] : [t._values, trans];
}

/** C = op(A)·op(B) into `C` (a new [M, N] array unless given), `accumulate` adding into it. */
function gemmOf(a: Tensor, transA: boolean, b: Tensor, transB: boolean, M: number, N: number, K: number, C: Float32Array = emptyFloats(M * N), accumulate = false): Float32Array {
  const [A, tA] = operand(a, transA);
  const [B, tB] = operand(b, transB);
  gemm({ transA: tA, transB: tB, M, N, K, A, B, C, accumulate });
  return C;
}

/** C = op(A)·op(B) as a new [M, N] tensor. */
function product(a: Tensor, transA: boolean, b: Tensor, transB: boolean, M: number, N: number, K: number): Tensor {
  return Tensor._make(gemmOf(a, transA, b, transB, M, N, K), [M, N]);
}

/**
 * The gradient of mat2 in a·mat2, aᵀ·g ([k, m]). When mat2 was a lazy transpose (Linear's
 * `weight.t()`), it is computed as (gᵀ·a)ᵀ so that TBackward0 hands the weight a plain [m, k]
 * gradient without a copy.
 */
function mat2Grad(a: Tensor, g: Tensor, mat2WasTransposed: boolean): Tensor {
  const [n, k] = a.shape;
  const m = g.shape[1];
  if (!mat2WasTransposed) return product(a, true, g, false, k, m, n);
  return Tensor._lazyTranspose(product(g, true, a, false, m, k, n));
}

/** The reason of a matrix product whose operands do not fit. */
const shapesOf = (a: Tensor, b: Tensor): FailureReason => ({
  kind: "matmulShapes",
  a: a.shape.slice(),
  b: b.shape.slice(),
});

/** The reason of an operand with `n` dims expected. */
const dims = (t: Tensor, n: number): FailureReason => ({ kind: "inputDims", input: t.shape.slice(), min: n, max: n });

function checkMv(a: Tensor, v: Tensor): void {
  if (a.shape.length !== 2 || v.shape.length !== 1) {
    throw new RuntimeError(`vector + matrix @ vector expected, got 1, ${a.shape.length}, ${v.shape.length}`, {
      kind: "inputDims",
      input: (a.shape.length !== 2 ? a : v).shape.slice(),
      ...(a.shape.length !== 2 ? { min: 2, max: 2 } : { min: 1, max: 1 }),
    });
  }
  if (a.shape[1] !== v.shape[0]) {
    throw new RuntimeError(`size mismatch, got ${a.shape[0]}, ${a.shape[0]}x${a.shape[1]},${v.shape[0]}`, shapesOf(a, v));
  }
}

function checkDot(a: Tensor, b: Tensor): void {
  if (a.shape.length !== 1 || b.shape.length !== 1) {
    throw new RuntimeError(`1D tensors expected, but got ${a.shape.length}D and ${b.shape.length}D tensors`, {
      kind: "inputDims",
      input: (a.shape.length !== 1 ? a : b).shape.slice(),
      min: 1,
      max: 1,
    });
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new RuntimeError(
      `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
      shapesOf(a, b),
    );
  }
}

function checkBmm(a: Tensor, b: Tensor): void {
  if (a.shape.length !== 3) throw new RuntimeError("batch1 must be a 3D tensor", dims(a, 3));
  if (b.shape.length !== 3) throw new RuntimeError("batch2 must be a 3D tensor", dims(b, 3));
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new RuntimeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`,
      shapesOf(a, b),
    );
  }
}

function checkMm(a: Tensor, b: Tensor): void {
  if (a.shape.length !== 2) throw new RuntimeError("self must be a matrix", dims(a, 2));
  if (b.shape.length !== 2) throw new RuntimeError("mat2 must be a matrix", dims(b, 2));
  if (a.shape[1] !== b.shape[0]) {
    throw new RuntimeError(
      `mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`,
      shapesOf(a, b),
    );
  }
}

/** [n,k]·[k,m] → [n,m]; grads: g·Bᵀ and Aᵀ·g. */
export const Mm = defineOp({
  check: ([a, b]) => checkMm(a, b),
  name: "MmBackward0",
  forward(ctx, [a, b]) {
    ctx.save(ctx.needsInputGrad[1] ? a : null, ctx.needsInputGrad[0] ? b : null);
    ctx.mat2WasTransposed = b._transposeSource() !== null;
    const out = product(a, false, b, false, a.shape[0], b.shape[1], a.shape[1]);
    return a.dtype === "float32" || b.dtype === "float32" ? out : Tensor._make(out._values, out.shape, promote(a, b));
  },
  backward(ctx, [g]) {
    const [a, b] = ctx.saved;
    const [n, m] = g.shape;
    return [
      ctx.needsInputGrad[0] ? product(g, false, b!, true, n, b!.shape[0], m) : null,
      ctx.needsInputGrad[1] ? mat2Grad(a!, g, ctx.mat2WasTransposed === true) : null,
    ];
  },
  graphBackward: (ctx, [g]) => mmGradsRecorded(ctx, g, 0),
});

/** bias + [n,k]·[k,m], bias broadcast (PyTorch's `addmm`, behind `F.linear`). */
export const Addmm = defineOp({
  check: ([, a, b]) => checkMm(a, b),
  name: "AddmmBackward0",
  forward(ctx, [bias, a, b]) {
    ctx.save(ctx.needsInputGrad[2] ? a : null, ctx.needsInputGrad[1] ? b : null);
    ctx.mat2WasTransposed = b._transposeSource() !== null;
    const [n, k] = a.shape;
    const m = b.shape[1];
    const C = expandTo(bias, [n, m])._values;
    return Tensor._make(gemmOf(a, false, b, false, n, m, k, C, true), [n, m]);
  },
  backward(ctx, [g]) {
    const [a, b] = ctx.saved;
    const [n, m] = g.shape;
    return [
      ctx.needsInputGrad[0] ? sumTo(g, ctx.inputShape(0)) : null,
      ctx.needsInputGrad[1] ? product(g, false, b!, true, n, b!.shape[0], m) : null,
      ctx.needsInputGrad[2] ? mat2Grad(a!, g, ctx.mat2WasTransposed === true) : null,
    ];
  },
  graphBackward: (ctx, [g]) => [
    ctx.needsInputGrad[0] ? sumToRecorded(g, ctx.inputShape(0)) : null,
    ...mmGradsRecorded(ctx, g, 1),
  ],
});

/**
 * The gradients of a and b in a·b (inputs `first` and `first + 1` of the op) with recorded
 * ops: g·bᵀ and aᵀ·g, batched when g is 3-D (bmm).
 */
function mmGradsRecorded(ctx: OpContext, g: Tensor, first: number): (Tensor | null)[] {
  const [a, b] = ctx.saved;
  const swap = (t: Tensor) => transpose(t, -2, -1);
  const times = g.dim() === 3 ? bmm : mm;
  return [
    ctx.needsInputGrad[first] ? times(g, swap(b!)) : null,
    ctx.needsInputGrad[first + 1] ? times(swap(a!), g) : null,
  ];
}

/** [n,k]·[k] → [n]. */
export const Mv = defineOp({
  check: ([a, v]) => checkMv(a, v),
  name: "MvBackward0",
  forward(ctx, [a, v]) {
    ctx.save(ctx.needsInputGrad[1] ? a : null, ctx.needsInputGrad[0] ? v : null);
    const out = product(a, false, v, false, a.shape[0], 1, a.shape[1]);
    return Tensor._make(out._values, [a.shape[0]], promote(a, v));
  },
  backward(ctx, [g]) {
    const [a, v] = ctx.saved;
    const n = g.shape[0];
    return [
      ctx.needsInputGrad[0] ? product(g, false, v!, false, n, v!.shape[0], 1) : null, // outer g·vᵀ
      ctx.needsInputGrad[1] ? product(a!, true, g, false, a!.shape[1], 1, n)._alias([a!.shape[1]]) : null,
    ];
  },
  graphBackward(ctx, [g]) {
    const [a, v] = ctx.saved;
    return [
      ctx.needsInputGrad[0] ? mm(g.unsqueeze(1), v!.unsqueeze(0)) : null, // outer g·vᵀ
      ctx.needsInputGrad[1] ? mv(transpose(a!, 0, 1), g) : null,
    ];
  },
});

/** Σ aᵢbᵢ of two vectors. */
export const Dot = defineOp({
  check: ([a, b]) => checkDot(a, b),
  name: "DotBackward0",
  forward(ctx, [a, b]) {
    ctx.save(ctx.needsInputGrad[1] ? a : null, ctx.needsInputGrad[0] ? b : null);
    let s = 0;
    for (let i = 0; i < a._values.length; i++) s += a._values[i] * b._values[i];
    return Tensor._make(Float32Array.of(s), [], promote(a, b));
  },
  backward(ctx, [g]) {
    const [a, b] = ctx.saved;
    return [
      ctx.needsInputGrad[0] ? binary("mul", b!, g, "float32") : null,
      ctx.needsInputGrad[1] ? binary("mul", a!, g, "float32") : null,
    ];
  },
  graphBackward(ctx, [g]) {
    const [a, b] = ctx.saved;
    return [ctx.needsInputGrad[0] ? b!.mul(g) : null, ctx.needsInputGrad[1] ? a!.mul(g) : null];
  },
});

/** C[i] (+)= a[i]·b[i] for each batch entry i: [B,n,k]·[B,k,m] → [B,n,m]. */
function batchedProduct(a: Tensor, b: Tensor, C: Float32Array, accumulate: boolean): Tensor {
  const [B, n, k] = a.shape;
  const m = b.shape[2];
  for (let i = 0; i < B; i++) {
    gemm({ transA: false, transB: false, M: n, N: m, K: k, A: a._values, aOffset: i * n * k, B: b._values, bOffset: i * k * m, C, cOffset: i * n * m, accumulate });
  }
  return Tensor._make(C, [B, n, m], promote(a, b));
}

/** The gradients of a and b in a·b batched: g·bᵀ and aᵀ·g, each only when needed. */
function batchedProductGrads(a: Tensor | null, b: Tensor | null, g: Tensor, k: number, needA: boolean, needB: boolean): [Tensor | null, Tensor | null] {
  const [B, n, m] = g.shape;
  const ga = needA ? emptyFloats(B * n * k) : null;
  const gb = needB ? emptyFloats(B * k * m) : null;
  for (let i = 0; i < B; i++) {
    if (ga) gemm({ transA: false, transB: true, M: n, N: k, K: m, A: g._values, aOffset: i * n * m, B: b!._values, bOffset: i * k * m, C: ga, cOffset: i * n * k });
    if (gb) gemm({ transA: true, transB: false, M: k, N: m, K: n, A: a!._values, aOffset: i * n * k, B: g._values, bOffset: i * n * m, C: gb, cOffset: i * k * m });
  }
  return [ga && Tensor._make(ga, [B, n, k]), gb && Tensor._make(gb, [B, k, m])];
}

/** [B,n,k]·[B,k,m] → [B,n,m]. */
export const Bmm = defineOp({
  check: ([a, b]) => checkBmm(a, b),
  name: "BmmBackward0",
  forward(ctx, [a, b]) {
    ctx.save(ctx.needsInputGrad[1] ? a : null, ctx.needsInputGrad[0] ? b : null);
    return batchedProduct(a, b, emptyFloats(a.shape[0] * a.shape[1] * b.shape[2]), false);
  },
  backward(ctx, [g]) {
    const [a, b] = ctx.saved;
    return batchedProductGrads(a, b, g, ctx.inputShape(0)[2], ctx.needsInputGrad[0], ctx.needsInputGrad[1]);
  },
  graphBackward: (ctx, [g]) => mmGradsRecorded(ctx, g, 0),
});

/** input + [B,n,k]·[B,k,m], input broadcast to [B,n,m] (attention scores plus a mask). */
export const Baddbmm = defineOp({
  check: ([, a, b]) => checkBmm(a, b),
  name: "BaddbmmBackward0",
  forward(ctx, [input, a, b]) {
    ctx.save(ctx.needsInputGrad[2] ? a : null, ctx.needsInputGrad[1] ? b : null);
    const shape = [a.shape[0], a.shape[1], b.shape[2]];
    return batchedProduct(a, b, expandTo(input, shape)._values.slice(), true);
  },
  // d/d input: g summed back over the broadcast; the product's as in bmm
  backward(ctx, [g]) {
    const [a, b] = ctx.saved;
    const [ga, gb] = batchedProductGrads(a, b, g, ctx.inputShape(1)[2], ctx.needsInputGrad[1], ctx.needsInputGrad[2]);
    return [ctx.needsInputGrad[0] ? sumTo(g, ctx.inputShape(0)) : null, ga, gb];
  },
  graphBackward: (ctx, [g]) => [
    ctx.needsInputGrad[0] ? sumToRecorded(g, ctx.inputShape(0)) : null,
    ...mmGradsRecorded(ctx, g, 1),
  ],
});

export function mm(a: Tensor, b: Tensor): Tensor {
  return Mm.apply([a, b], undefined);
}

/** bias + a·b; the bias broadcasts to [n, m]. */
export function addmm(bias: Tensor, a: Tensor, b: Tensor): Tensor {
  return Addmm.apply([bias, a, b], undefined);
}

export function mv(a: Tensor, v: Tensor): Tensor {
  return Mv.apply([a, v], undefined);
}

export function dot(a: Tensor, b: Tensor): Tensor {
  return Dot.apply([a, b], undefined);
}

export function bmm(a: Tensor, b: Tensor): Tensor {
  return Bmm.apply([a, b], undefined);
}

/** input + a·b for batches of matrices (`torch.baddbmm` with beta = alpha = 1). */
export function baddbmm(input: Tensor, a: Tensor, b: Tensor): Tensor {
  return Baddbmm.apply([input, a, b], undefined);
}

/**
 * ATen's `should_fold`: `t` (3-D or more) times a vector or matrix can fold its batch into
 * the rows of one mm/mv, except a 3-D tensor whose last two dims are transposed (bmm
 * handles that without a copy).
 */
function shouldFold(t: Tensor, otherDim: number): boolean {
  if (t.shape.length < 3 || (otherDim !== 1 && otherDim !== 2)) return false;
  const strides = torchStrides(t);
  const [, s1, s2] = t.shape;
  return !(t.shape.length === 3 && otherDim === 2 && strides[2] !== 1 && strides[0] === s1 * s2);
}

/**
 * PyTorch's `matmul`, composed from the primitives exactly as ATen 1.13 composes it, so the
 * graph shows the same nodes: dot, mv, `unsqueeze → mm → squeeze_` (SqueezeBackward3), mm,
 * a batch folded into one mm/mv (`reshape → mm → _unsafe_view`, transposed first when the
 * batched tensor is on the right), else `expand → reshape → bmm → _unsafe_view`.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  return traced("matmul", [a, b], () => composedMatmul(a, b));
}

function composedMatmul(a: Tensor, b: Tensor): Tensor {
  const da = a.shape.length;
  const db = b.shape.length;
  if (da === 0 || db === 0) {
    throw new RuntimeError(`both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`, {
      kind: "inputDims",
      input: (da === 0 ? a : b).shape.slice(),
      min: 1,
    });
  }
  if (da === 1 && db === 1) return dot(a, b);
  if (da === 2 && db === 1) return mv(a, b);
  if (da === 1 && db === 2) return squeezeInPlace(mm(unsqueeze(a, 0), b), 0);
  if (da === 2 && db === 2) return mm(a, b);
  if (shouldFold(a, db) || shouldFold(b, da)) {
    const transposed = db > da;
    const t1 = transposed ? transpose(b, -2, -1) : a;
    const t2 = !transposed ? b : da === 2 ? t(a) : a;
    const outShape = t1.shape.slice(0, -1);
    const rows = outShape.reduce((p, q) => p * q, 1);
    const folded = reshape(t1, [rows, t1.shape[t1.shape.length - 1]]);
    if (t2.shape.length === 1) return unsafeView(mv(folded, t2), outShape);
    const out = unsafeView(mm(folded, t2), [...outShape, t2.shape[1]]);
    return transposed ? contiguous(transpose(out, -2, -1)) : out;
  }
  // Both are at least 2-D here (a vector with a 3-D+ tensor always folds): broadcast the
  // batch dimensions, flatten them, and use one bmm.
  const [n, k] = a.shape.slice(-2);
  const [k2, m] = b.shape.slice(-2);
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const count = batch.reduce((p, q) => p * q, 1);
  const a3 = reshape(expand(a, [...batch, n, k]), [count, n, k]);
  const b3 = reshape(expand(b, [...batch, k2, m]), [count, k2, m]);
  return unsafeView(bmm(a3, b3), [...batch, n, m]);
}
