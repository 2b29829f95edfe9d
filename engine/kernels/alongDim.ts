/**
 * The loop behind gather, scatter and scatterAdd: every position of an index tensor, with
 * the offset of the same position in `self` but the coordinate along `dim` replaced by the
 * index value, and the offset of the same position in `src` (which may be larger than the
 * index in every dim, as PyTorch allows). Index values are checked by the caller.
 */
import { Shape, numelOf, stridesOf } from "../shape";

/** Calls `visit(i, j, s)`: i the index position, j its target in self, s its place in src. */
export function forEachAlongDim(
  index: Float32Array,
  indexShape: Shape,
  selfShape: Shape,
  srcShape: Shape,
  dim: number,
  visit: (i: number, j: number, s: number) => void,
): void {
  const nd = indexShape.length;
  const total = numelOf(indexShape);
  if (total === 0) return;
  if (nd === 0) return visit(0, index[0], 0);
  const selfStrides = stridesOf(selfShape);
  const srcStrides = stridesOf(srcShape);
  const coord = new Array<number>(nd).fill(0);
  let base = 0; // offset in self without the dim's coordinate
  let s = 0;
  for (let i = 0; i < total; i++) {
    visit(i, base + index[i] * selfStrides[dim], s);
    for (let d = nd - 1; d >= 0; d--) {
      coord[d]++;
      if (d !== dim) base += selfStrides[d];
      s += srcStrides[d];
      if (coord[d] < indexShape[d]) break;
      if (d !== dim) base -= selfStrides[d] * indexShape[d];
      s -= srcStrides[d] * indexShape[d];
      coord[d] = 0;
    }
  }
}

/** out[i] = values[j]: PyTorch's `gather` into a new array of the index's size. */
export function gatherAlong(
  values: Float32Array,
  shape: Shape,
  index: Float32Array,
  indexShape: Shape,
  dim: number,
): Float32Array {
  const out = new Float32Array(numelOf(indexShape));
  forEachAlongDim(index, indexShape, shape, indexShape, dim, (i, j) => (out[i] = values[j]));
  return out;
}

/** into[j] = src[s] ("set") or into[j] += src[s] ("add") for every index position. */
export function scatterAlong(
  into: Float32Array,
  shape: Shape,
  index: Float32Array,
  indexShape: Shape,
  src: Float32Array | number,
  srcShape: Shape,
  dim: number,
  mode: "set" | "add",
): void {
  const S = typeof src === "number" ? null : src;
  const v = typeof src === "number" ? src : 0;
  if (mode === "set")
    forEachAlongDim(
      index,
      indexShape,
      shape,
      srcShape,
      dim,
      (_i, j, s) => (into[j] = S ? S[s] : v),
    );
  else
    forEachAlongDim(
      index,
      indexShape,
      shape,
      srcShape,
      dim,
      (_i, j, s) => (into[j] += S ? S[s] : v),
    );
}
