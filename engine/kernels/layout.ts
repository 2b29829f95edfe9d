/** Copies that change the layout of contiguous storage: permute and strided slices. */
import { Shape, numelOf } from "../shape";

/** out = values seen through `perm` (out dim i is input dim perm[i]), made contiguous. */

/** The slice [start, start+length) of dimension `dim`, made contiguous. */
export function sliceCopy(values: Float32Array, shape: Shape, dim: number, start: number, length: number): Float32Array {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape[dim];
  const out = new Float32Array(outer * length * inner);
  for (let o = 0; o < outer; o++) {
    out.set(values.subarray((o * size + start) * inner, (o * size + start + length) * inner), o * length * inner);
  }
  return out;
}

/** Writes `part` (a slice of dimension `dim` at `start`) into `into` of shape `shape`. */
export function sliceInto(into: Float32Array, shape: Shape, dim: number, start: number, part: Float32Array): void {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape[dim];
  const length = numelOf(shape) === 0 ? 0 : part.length / (outer * inner);
  for (let o = 0; o < outer; o++) {
    into.set(part.subarray(o * length * inner, (o + 1) * length * inner), (o * size + start) * inner);
  }
}
