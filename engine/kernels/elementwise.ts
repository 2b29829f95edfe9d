/**
 * Element-wise loops on Float32Array storage, with NumPy broadcasting. A broadcast is walked
 * row by row: the innermost dimension is one tight loop whose input strides are 1 or 0, the
 * outer dimensions are counted with an odometer, so no index arrays are built.
 */
import { addInPlace } from "./elementwiseWasm";
import { Shape, numelOf, sameShape, stridesOf } from "../shape";

/** One row of a binary op: out[oi + k] = f(a[ai + k*as], b[bi + k*bs]) for k < n. */
type Row = (
  a: Float32Array, ai: number, as: number,
  b: Float32Array, bi: number, bs: number,
  out: Float32Array, oi: number, n: number,
) => void;

export const rows = {
  add: ((a, ai, as, b, bi, bs, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] + b[bi + k * bs]; }) as Row,
  sub: ((a, ai, as, b, bi, bs, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] - b[bi + k * bs]; }) as Row,
  mul: ((a, ai, as, b, bi, bs, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] * b[bi + k * bs]; }) as Row,
  div: ((a, ai, as, b, bi, bs, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] / b[bi + k * bs]; }) as Row,
  pow: ((a, ai, as, b, bi, bs, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = Math.pow(a[ai + k * as], b[bi + k * bs]); }) as Row,
  maximum: ((a, ai, as, b, bi, bs, o, oi, n) => { for (let k = 0; k < n; k++) { const x = a[ai + k * as], y = b[bi + k * bs]; o[oi + k] = x !== x || y !== y ? NaN : x > y ? x : y; } }) as Row,
  minimum: ((a, ai, as, b, bi, bs, o, oi, n) => { for (let k = 0; k < n; k++) { const x = a[ai + k * as], y = b[bi + k * bs]; o[oi + k] = x !== x || y !== y ? NaN : x < y ? x : y; } }) as Row,
  gt: ((a, ai, as, b, bi, bs, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] > b[bi + k * bs] ? 1 : 0; }) as Row,
  lt: ((a, ai, as, b, bi, bs, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] < b[bi + k * bs] ? 1 : 0; }) as Row,
  ge: ((a, ai, as, b, bi, bs, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] >= b[bi + k * bs] ? 1 : 0; }) as Row,
  le: ((a, ai, as, b, bi, bs, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] <= b[bi + k * bs] ? 1 : 0; }) as Row,
  eq: ((a, ai, as, b, bi, bs, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] === b[bi + k * bs] ? 1 : 0; }) as Row,
  ne: ((a, ai, as, b, bi, bs, o, oi, n) => { for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] !== b[bi + k * bs] ? 1 : 0; }) as Row,
};
export type BinaryKind = keyof typeof rows;

/**
 * Walks the broadcast of `aShape` and `bShape` to `outShape` one innermost row at a time.
 * `row(ai, as, bi, bs, oi, n)` gets the start offsets and the inner strides (0 when broadcast).
 */
export function forEachBroadcastRow(
  outShape: Shape,
  aShape: Shape,
  bShape: Shape,
  row: (ai: number, as: number, bi: number, bs: number, oi: number, n: number) => void,
): void {
  const nd = outShape.length;
  const total = numelOf(outShape);
  if (total === 0) return;
  if (nd === 0) return row(0, 0, 0, 0, 0, 1);
  const aStr = broadcastStrides(aShape, outShape);
  const bStr = broadcastStrides(bShape, outShape);
  const n = outShape[nd - 1];
  const idx = new Array<number>(nd - 1).fill(0);
  let ai = 0;
  let bi = 0;
  for (let oi = 0; oi < total; oi += n) {
    row(ai, aStr[nd - 1], bi, bStr[nd - 1], oi, n);
    // odometer over the outer dimensions
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      ai += aStr[d];
      bi += bStr[d];
      if (idx[d] < outShape[d]) break;
      ai -= aStr[d] * outShape[d];
      bi -= bStr[d] * outShape[d];
      idx[d] = 0;
    }
  }
}

/** Strides of `shape` seen inside the broadcast to `outShape`: 0 along broadcast dims. */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const off = outShape.length - shape.length;
  return outShape.map((_, d) => (d < off || shape[d - off] === 1 ? 0 : own[d - off]));
}

/** `a (op) b` broadcast to `outShape` (the broadcast of `aShape` and `bShape`). */
export function binaryValues(
  kind: BinaryKind,
  A: Float32Array,
  aShape: Shape,
  B: Float32Array,
  bShape: Shape,
  outShape: Shape,
): Float32Array {
  const f = rows[kind];
  if (sameShape(aShape, bShape)) {
    const out = new Float32Array(A.length);
    f(A, 0, 1, B, 0, 1, out, 0, A.length);
    return out;
  }
  const out = new Float32Array(numelOf(outShape));
  forEachBroadcastRow(outShape, aShape, bShape, (ai, as, bi, bs, oi, n) => f(A, ai, as, B, bi, bs, out, oi, n));
  return out;
}

/** `f` applied to every element. */
export function mapValues(A: Float32Array, f: (x: number) => number): Float32Array {
  const out = new Float32Array(A.length);
  for (let i = 0; i < A.length; i++) out[i] = f(A[i]);
  return out;
}

/** `f(a[i], b[i])` for arrays of one length (backward formulas). */
export function zipValues(A: Float32Array, B: Float32Array, f: (x: number, y: number) => number): Float32Array {
  const out = new Float32Array(A.length);
  for (let i = 0; i < A.length; i++) out[i] = f(A[i], B[i]);
  return out;
}

/** a + b for arrays of one length (summing gradients; WebAssembly past a few hundred). */
export function addValues(A: Float32Array, B: Float32Array): Float32Array {
  const out = A.slice();
  addInPlace(out, B);
  return out;
}

/** a * s for a number s. */
export function scaleValues(A: Float32Array, s: number): Float32Array {
  const out = new Float32Array(A.length);
  for (let i = 0; i < A.length; i++) out[i] = A[i] * s;
  return out;
}

/** Copies `T` (of shape `tShape`) broadcast to `shape` (expand, and the backward of sums). */
export function expandValues(T: Float32Array, tShape: Shape, shape: Shape): Float32Array {
  const out = new Float32Array(numelOf(shape));
  forEachBroadcastRow(shape, tShape, shape, (ai, as, _bi, _bs, oi, n) => {
    for (let k = 0; k < n; k++) out[oi + k] = T[ai + k * as];
  });
  return out;
}

/**
 * float32 fused multiply-add a·b + c with one rounding, as the FMA instructions PyTorch's CPU
 * kernels are compiled to. For float32 a and b, a·b is exact in double; a tie after the double
 * sum is settled by the sum's exact error.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  if (r === s) return r;
  const t = s - p;
  const err = p - (s - t) + (c - t); // s + err = p + c exactly (TwoSum)
  const other = 2 * s - r;
  // s halfway between two floats: the exact value decides the direction
  if (err !== 0 && Math.fround(other) === other) return err > 0 ? Math.max(r, other) : Math.min(r, other);
  return r;
}
