/**
 * Copies through per-dimension index maps: the one loop behind padding (constant, reflect,
 * replicate) and region copies. `maps[d][i]` is the index along dimension d that position i
 * corresponds to (−1: none, e.g. a padded cell); a null map is the identity.
 */
import { Shape, numelOf } from "../shape";

/** An index map per dimension (null = identity). */
export type IndexMaps = readonly (Int32Array | null)[];

/**
 * Calls `visit(i, j)` for every position i of `shape` (row-major) with j its mapped offset in a
 * tensor of shape `target`, or −1 when a map sends some dimension nowhere.
 */
function walk(
  shape: Shape,
  target: Shape,
  maps: IndexMaps,
  visit: (i: number, j: number) => void,
): void {
  const nd = shape.length;
  const total = numelOf(shape);
  if (total === 0) return;
  const tStrides = new Array<number>(nd);
  for (let d = nd - 1, acc = 1; d >= 0; d--) {
    tStrides[d] = acc;
    acc *= target[d];
  }
  const at = (d: number, k: number): number => {
    const m = maps[d];
    return m ? m[k] : k;
  };
  const idx = new Array<number>(nd).fill(0);
  for (let i = 0; i < total; i++) {
    let j = 0;
    for (let d = 0; d < nd; d++) {
      const k = at(d, idx[d]);
      if (k < 0) {
        j = -1;
        break;
      }
      j += k * tStrides[d];
    }
    visit(i, j);
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

/** out[i] = src[map(i)] for every position of `outShape`; unmapped cells get `fill`. */
export function gather(
  src: Float32Array,
  srcShape: Shape,
  outShape: Shape,
  maps: IndexMaps,
  fill = 0,
): Float32Array {
  const out = new Float32Array(numelOf(outShape));
  walk(outShape, srcShape, maps, (i, j) => (out[i] = j < 0 ? fill : src[j]));
  return out;
}

/**
 * dst[map(i)] (+)= src[i] for every position of `srcShape` (the adjoint of `gather` with
 * "add"; a region write with "set").
 */
export function scatter(
  src: Float32Array,
  srcShape: Shape,
  dst: Float32Array,
  dstShape: Shape,
  maps: IndexMaps,
  mode: "add" | "set",
): void {
  if (mode === "add") walk(srcShape, dstShape, maps, (i, j) => j >= 0 && (dst[j] += src[i]));
  else walk(srcShape, dstShape, maps, (i, j) => j >= 0 && (dst[j] = src[i]));
}

/** The map [start, start + 1, …) of length n: a slice. */
export function rangeMap(start: number, n: number): Int32Array {
  const m = new Int32Array(n);
  for (let i = 0; i < n; i++) m[i] = start + i;
  return m;
}
