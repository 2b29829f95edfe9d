/**
 * Advanced indexing (`x[idx]` with long tensors or masks) on row-major arrays. The indexed dims
 * take the broadcast shape B of the index arrays; when they are adjacent, B stands where they
 * stood, else first (NumPy's rule, which PyTorch follows).
 */
import type { Shape } from "../shape";
import { stridesOf } from "../shape";

export interface IndexPlan {
  /** The shape of the result. */
  outShape: number[];
  /** For each result element, where it is read from in the input (row-major). */
  sources: Int32Array;
}

/**
 * @param shape the indexed tensor's shape
 * @param indices per dim: the flat index values broadcast to `broadcast` (already wrapped and
 *   bounds-checked), or null for a dim taken whole
 */
export function planIndex(shape: Shape, indices: (Int32Array | null)[], broadcast: Shape): IndexPlan {
  const strides = stridesOf(shape);
  const adv = indices.map((ix, d) => (ix ? d : -1)).filter((d) => d >= 0);
  const rest = shape.map((_, d) => d).filter((d) => !indices[d]);
  const adjacent = adv.every((d, i) => i === 0 || d === adv[i - 1] + 1);
  const first = adv[0];
  const before = adjacent ? rest.filter((d) => d < first) : [];
  const after = adjacent ? rest.filter((d) => d > first) : rest;
  let nB = 1;
  for (const s of broadcast) nB *= s;
  const outShape = [...before.map((d) => shape[d]), ...broadcast, ...after.map((d) => shape[d])];
  const offsets = (dims: number[]): number[] => {
    let list = [0];
    for (const d of dims) {
      const next: number[] = [];
      for (const o of list) for (let i = 0; i < shape[d]; i++) next.push(o + i * strides[d]);
      list = next;
    }
    return list;
  };
  const pre = offsets(before);
  const post = offsets(after);
  const picked = new Int32Array(nB);
  for (const d of adv) {
    const ix = indices[d]!;
    for (let b = 0; b < nB; b++) picked[b] += ix[b] * strides[d];
  }
  const sources = new Int32Array(pre.length * nB * post.length);
  let at = 0;
  for (const p of pre) for (let b = 0; b < nB; b++) for (const q of post) sources[at++] = p + picked[b] + q;
  return { outShape, sources };
}

export function gatherAt(values: Float32Array, sources: Int32Array): Float32Array {
  const out = new Float32Array(sources.length);
  for (let i = 0; i < sources.length; i++) out[i] = values[sources[i]];
  return out;
}

/** Adds (or, without `accumulate`, writes) `values` at `targets` in `into`. */
export function putAt(into: Float32Array, targets: Int32Array, values: Float32Array, accumulate: boolean): void {
  if (accumulate) for (let i = 0; i < targets.length; i++) into[targets[i]] += values[i];
  else for (let i = 0; i < targets.length; i++) into[targets[i]] = values[i];
}
