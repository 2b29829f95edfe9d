/**
 * Copies that move values around: `flip`, `roll`, `repeat` and `tile`. Each is one gather
 * through per-dim index maps (kernels/indexmap.ts); its backward sends every output cell's
 * gradient back to the cell it came from, adding where one cell was copied many times.
 */
import { defineOp, traced, type Op } from "../autograd/apply";
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";
import { bracketed, normalizeDim, numelOf } from "../shape";
import { gather, scatter, IndexMaps } from "../kernels/indexmap";

/**
 * out[i] = x[map(i)] for an output of `outShape`; the gradient is the adjoint (`scatter` with
 * add). `inShape`: x's shape as the maps see it (with leading 1s for `repeat`'s new dims).
 */
interface RemapAttrs {
  maps: IndexMaps;
  outShape: number[];
  inShape?: number[];
}
function Remap(name: string): Op<RemapAttrs> {
  /** The gradient's scatter as an op of its own (x's shape in `xShape`), for createGraph. */
  const adjoint: Op<RemapAttrs & { xShape: number[] }> = defineOp({
    name: name.replace(/Backward0$/, "BackwardBackward0"),
    forward: (_ctx, [g], { maps, inShape, xShape }) => scatterBack(g, maps, xShape, inShape),
    // both are linear: each one's gradient is the other
    backward: (_ctx, [gg], attrs) => [remap.apply([gg], attrs)],
  });
  const remap: Op<RemapAttrs> = defineOp<RemapAttrs>({
    name,
    forward: (_ctx, [x], { maps, outShape, inShape }) =>
      Tensor._make(
        gather(x._values, inShape ?? x.shape, outShape, maps),
        outShape.slice(),
        x.dtype,
      ),
    backward: (ctx, [g], { maps, inShape }) => [scatterBack(g, maps, ctx.inputShape(0), inShape)],
    graphBackward: (ctx, [g], attrs) => [
      adjoint.apply([g], { ...attrs, xShape: ctx.inputShape(0).slice() }),
    ],
  });
  return remap;
}

/** Each output cell's gradient sent back to the cell of x it came from, added up. */
function scatterBack(
  g: Tensor,
  maps: IndexMaps,
  xShape: readonly number[],
  inShape: number[] | undefined,
): Tensor {
  const out = new Float32Array(numelOf(xShape));
  scatter(g._values, g.shape, out, inShape ?? xShape.slice(), maps, "add");
  return Tensor._make(out, xShape.slice());
}
const Flip = Remap("FlipBackward0");
const Roll = Remap("RollBackward0");
const Repeat = Remap("RepeatBackward0");

/** The map of one dim read backwards. */
const reversed = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => n - 1 - i);

/** Reverses the order along each of `dims` (`torch.flip`). */
export function flip(x: Tensor, dims: number[]): Tensor {
  return traced("flip", [x], () => {
    const ds = dims.map((d) => normalizeDim(d, x.shape.length));
    ds.forEach((d, i) => {
      if (ds.indexOf(d) !== i)
        throw new RuntimeError(`dim ${d} appears multiple times in the list of dims`);
    });
    const maps = x.shape.map((n, d) => (ds.includes(d) ? reversed(n) : null));
    return Flip.apply([x], { maps, outShape: x.shape.slice() });
  });
}

/** The map of one dim rolled by `shift`: out[i] = in[(i − shift) mod n]. */
function rolled(n: number, shift: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => (((i - shift) % n) + n) % n);
}

/** Rolls the flattened values by `shift`, keeping the shape (`roll` without dims). */
function rollFlat(values: Float32Array, shift: number): Float32Array {
  const n = values.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  const k = ((shift % n) + n) % n;
  out.set(values.subarray(n - k), 0);
  out.set(values.subarray(0, n - k), k);
  return out;
}

const RollFlat = defineOp<{ shift: number }>({
  name: "RollBackward0",
  forward: (_ctx, [x], { shift }) =>
    Tensor._make(rollFlat(x._values, shift), x.shape.slice(), x.dtype),
  backward: (_ctx, [g], { shift }) => [Tensor._make(rollFlat(g._values, -shift), g.shape.slice())],
});

/**
 * Rolls along `dims` by `shifts`, values leaving one end entering at the other (`torch.roll`);
 * without dims, the flattened tensor is rolled and the shape kept.
 * @example torch.arange(6).view(2, 3).roll(1)   // [[5, 0, 1], [2, 3, 4]]
 */
export function roll(x: Tensor, shifts: number | number[], dims?: number | number[]): Tensor {
  return traced("roll", [x], () => {
    const s = Array.isArray(shifts) ? shifts : [shifts];
    const ds = dims === undefined ? [] : Array.isArray(dims) ? dims : [dims];
    if (s.length === 0) throw new RuntimeError("`shifts` required");
    if (ds.length === 0 && s.length === 1) return RollFlat.apply([x], { shift: s[0] });
    if (s.length !== ds.length)
      throw new RuntimeError(
        `shifts and dimensions must align. shifts: ${s.length}, dims:${ds.length}`,
      );
    const byDim = new Map<number, number>();
    ds.forEach((d, i) => {
      const nd = normalizeDim(d, x.shape.length);
      byDim.set(nd, (byDim.get(nd) ?? 0) + s[i]);
    });
    const maps = x.shape.map((n, d) => (byDim.has(d) ? rolled(n, byDim.get(d)!) : null));
    return Roll.apply([x], { maps, outShape: x.shape.slice() });
  });
}

/**
 * `x` repeated `sizes[d]` times along each dim (`torch.repeat`); extra leading sizes add
 * dims. The gradient of each input cell is the sum over its copies.
 * @example torch.tensor([1, 2]).repeat(2, 2)   // [[1, 2, 1, 2], [1, 2, 1, 2]]
 */
export function repeat(x: Tensor, sizes: number[]): Tensor {
  return traced("repeat", [x], () => {
    if (sizes.length < x.shape.length) {
      throw new RuntimeError(
        "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
      );
    }
    const padded = [...new Array<number>(sizes.length - x.shape.length).fill(1), ...x.shape];
    const outShape = padded.map((n, d) => n * sizes[d]);
    const bad = outShape.find((n) => n < 0);
    if (bad !== undefined)
      throw new RuntimeError(
        `Trying to create tensor with negative dimension ${bad}: ${bracketed(outShape)}`,
      );
    const maps = outShape.map((n, d) => Int32Array.from({ length: n }, (_, i) => i % padded[d]));
    return Repeat.apply([x], { maps, outShape, inShape: padded });
  });
}

/** `repeat` with fewer sizes allowed: missing leading ones count as 1 (`torch.tile`). */
export function tile(x: Tensor, dims: number[]): Tensor {
  return traced("tile", [x], () => {
    const sizes = [...new Array<number>(Math.max(x.shape.length - dims.length, 0)).fill(1), ...dims];
    return repeat(x, sizes);
  });
}
