/**
 * Padding (`F.pad`): constant, reflect, replicate and circular, as PyTorch 1.13 builds each —
 * `ConstantPadNdBackward0`, `ReflectionPad1DBackward0`/`2D`, `ReplicationPad1DBackward0`/`2D`
 * nodes, and circular padding composed from slices and in-place copies (a chain of
 * `CopySlices` nodes fed by `SliceBackward0`s). The conv modules' `paddingMode` uses these.
 *
 * `pad` lists sizes from the last dimension backwards: [left, right, top, bottom].
 */
import { defineOp, traced } from "../autograd/apply";
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";
import { bracketed, numelOf } from "../shape";
import { gather, scatter, rangeMap, IndexMaps } from "../kernels/indexmap";
import { narrow } from "./view";

/** How a padded position finds its source index along one dimension of size n. */
type Rule = (i: number, n: number) => number;
const constantRule: Rule = (i, n) => (i >= 0 && i < n ? i : -1);
const reflectRule: Rule = (i, n) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
const replicateRule: Rule = (i, n) => (i < 0 ? 0 : i >= n ? n - 1 : i);

interface PadAttrs {
  pad: number[];
  value: number;
}

/** The padded shape and, per dimension, the map from padded index to input index. */
function padMaps(
  shape: readonly number[],
  pad: readonly number[],
  rule: Rule,
): [number[], IndexMaps] {
  const out = shape.slice();
  const maps: (Int32Array | null)[] = shape.map(() => null);
  for (let k = 0; k < pad.length / 2; k++) {
    const d = shape.length - 1 - k;
    const [l, r] = [pad[2 * k], pad[2 * k + 1]];
    out[d] = shape[d] + l + r;
    const m = new Int32Array(Math.max(out[d], 0));
    for (let i = 0; i < m.length; i++) m[i] = rule(i - l, shape[d]);
    maps[d] = m;
  }
  return [out, maps];
}

/** A padding op: gather through the maps forward, scatter-add the gradient back. */
function padOp(name: string | ((a: PadAttrs, inputs: readonly Tensor[]) => string), rule: Rule) {
  return defineOp<PadAttrs>({
    name,
    forward(_ctx, [x], { pad, value }) {
      const [shape, maps] = padMaps(x.shape, pad, rule);
      return Tensor._make(gather(x._values, x.shape, shape, maps, value), shape, x.dtype);
    },
    // each input cell receives the gradient of every output cell copied from it
    backward(ctx, [g], { pad }) {
      const inShape = ctx.inputShape(0);
      const [, maps] = padMaps(inShape, pad, rule);
      const gx = new Float32Array(numelOf(inShape));
      scatter(g._values, g.shape, gx, inShape, maps, "add");
      return [Tensor._make(gx, inShape.slice())];
    },
  });
}

export const ConstantPad = padOp("ConstantPadNdBackward0", constantRule);
const spatial = (kind: string) => (a: PadAttrs) => `${kind}${a.pad.length / 2}DBackward0`;
const ReflectionPad = padOp(spatial("ReflectionPad"), reflectRule);
const ReplicationPad = padOp(spatial("ReplicationPad"), replicateRule);

/** Pads (or, with negative sizes, crops) the last pad.length/2 dims with `value` (PyTorch's `constant_pad_nd`). */
export function constantPad(x: Tensor, pad: number[], value = 0): Tensor {
  if (pad.length % 2 !== 0)
    throw new RuntimeError("Length of pad must be even but instead it equals " + pad.length);
  if (pad.length / 2 > x.dim()) {
    throw new RuntimeError(
      `Length of pad should be no more than twice the number of dimensions of the input. Pad length is ${pad.length} while the input has ${x.dim()} dimensions.`,
    );
  }
  return ConstantPad.apply([x], { pad: pad.slice(), value });
}

/** Reflection padding of the last 1 or 2 dims (no batch dim needed: [C, L] or [N, C, L], ...). */
export function reflectionPad(x: Tensor, pad: number[]): Tensor {
  checkModePad(x, pad, "reflect");
  const nd = x.dim();
  for (let k = 0; k < pad.length / 2; k++) {
    const d = nd - 1 - k;
    const [l, r] = [pad[2 * k], pad[2 * k + 1]];
    if (l >= x.shape[d] || r >= x.shape[d]) {
      const where = pad.length === 2 ? bracketed(x.shape) : String(nd);
      throw new RuntimeError(
        `Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${l}, ${r}) at dimension ${d} of input ${where}`,
      );
    }
  }
  return ReflectionPad.apply([x], { pad: pad.slice(), value: 0 });
}

/** Replication padding (edge values repeated) of the last 1 or 2 dims. */
export function replicationPad(x: Tensor, pad: number[]): Tensor {
  checkModePad(x, pad, "replicate");
  return ReplicationPad.apply([x], { pad: pad.slice(), value: 0 });
}

function checkModePad(x: Tensor, pad: number[], mode: string): void {
  const k = pad.length / 2;
  if (k !== 1 && k !== 2)
    throw new RuntimeError(
      `Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now`,
    );
  if (x.dim() !== k + 1 && x.dim() !== k + 2) {
    throw new RuntimeError(
      `${mode === "reflect" ? "Reflection" : "Replication"}Pad${k}D expects ${k + 1}D or ${k + 2}D input, but got ${x.dim()}D`,
    );
  }
}

/** Writes `src` into the region of `base` given per dimension as [start, length] (PyTorch's `slice.copy_`). */
const CopySlices = defineOp<{ region: [number, number][] }>({
  name: "CopySlices",
  forward(_ctx, [base, src], { region }) {
    const out = base._values.slice();
    scatter(src._values, src.shape, out, base.shape, regionMaps(region), "set");
    return Tensor._make(out, base.shape.slice(), base.dtype);
  },
  // the base gets the gradient outside the region, the source the gradient inside it
  backward(ctx, [g], { region }) {
    const maps = regionMaps(region);
    const srcShape = region.map(([, n]) => n);
    let gBase: Tensor | null = null;
    if (ctx.needsInputGrad[0]) {
      const v = g._values.slice();
      scatter(new Float32Array(numelOf(srcShape)), srcShape, v, g.shape, maps, "set");
      gBase = Tensor._make(v, g.shape.slice());
    }
    const gSrc = ctx.needsInputGrad[1]
      ? Tensor._make(gather(g._values, g.shape, srcShape, maps), srcShape)
      : null;
    return [gBase, gSrc];
  },
});

function regionMaps(region: [number, number][]): IndexMaps {
  return region.map(([start, n]) => rangeMap(start, n));
}

/**
 * Circular padding as PyTorch 1.13's `_pad_circular`: the input (sliced) is copied into the
 * middle of a new tensor, then each border is copied from the opposite side of that tensor.
 * Needs a batch and a channel dim ([N, C, L] or [N, C, H, W]).
 */
export function circularPad(x: Tensor, pad: number[]): Tensor {
  const nd = x.dim() - 2;
  if (pad.length + 4 !== x.dim() * 2) {
    throw new RuntimeError(`Invalid padding size, expected ${nd * 2} but got ${pad.length}`);
  }
  const outShape = x.shape.slice();
  const whole = (): [number, number][] => outShape.map((n) => [0, n]);
  const middle = whole();
  let inSlice = x;
  for (let i = 0; i < nd; i++) {
    const dim = nd - i + 1;
    const [l, r] = [pad[2 * i], pad[2 * i + 1]];
    if (l > x.shape[dim] || r > x.shape[dim])
      throw new RuntimeError("Padding value causes wrapping around more than once.");
    outShape[dim] = x.shape[dim] + l + r;
    const inStart = Math.max(-l, 0);
    inSlice = narrow(inSlice, dim, inStart, x.shape[dim] - inStart - Math.max(-r, 0));
    middle[dim] = [Math.max(l, 0), outShape[dim] - Math.max(l, 0) - Math.max(r, 0)];
  }
  let out = CopySlices.apply(
    [Tensor._make(new Float32Array(numelOf(outShape)), outShape.slice()), inSlice],
    { region: middle },
  );
  for (let i = 0; i < nd; i++) {
    const dim = nd - i + 1;
    const [l, r] = [pad[2 * i], pad[2 * i + 1]];
    const size = outShape[dim];
    if (l > 0) {
      const region = whole();
      region[dim] = [0, l];
      out = CopySlices.apply([out, narrow(out, dim, size - l - Math.max(r, 0), l)], { region });
    }
    if (r > 0) {
      const region = whole();
      region[dim] = [size - r, r];
      out = CopySlices.apply([out, narrow(out, dim, Math.max(l, 0), r)], { region });
    }
  }
  return out;
}

/** Padding modes of `F.pad` and of the conv modules (`"zeros"` there means `"constant"`). */
export type PadMode = "constant" | "reflect" | "replicate" | "circular";

/**
 * PyTorch's `F.pad(x, pad, mode, value)`.
 * @example pad(x, [1, 1, 2, 0])   // last dim +1 on both sides, the one before +2 on top
 */
export function pad(x: Tensor, pad: number[], mode: PadMode = "constant", value = 0): Tensor {
  return traced("pad", [x], () => {
    switch (mode) {
      case "constant":
        return constantPad(x, pad, value);
      case "reflect":
        return reflectionPad(x, pad);
      case "replicate":
        return replicationPad(x, pad);
      case "circular":
        return circularPad(x, pad);
    }
  });
}
