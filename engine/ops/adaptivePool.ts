/**
 * Adaptive 2-D pooling (`AdaptiveAvgPool2DBackward0`, `AdaptiveMaxPool2DBackward0`): output
 * cell i of n covers input rows ⌊i·H/n⌋ … ⌈(i+1)·H/n⌉ − 1 (windows may overlap). An average to
 * 1×1 is `mean` over the last two dims (`MeanBackward1`), as ATen does it.
 */
import { defineOp, traced } from "../autograd/apply";
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";
import { bracketed } from "../shape";
import { DimsAttrs, Mean } from "./reduce";

/** The attributes of an adaptive average to 1×1, a `Mean` node that says what it is for. */
export interface AdaptiveMeanAttrs extends DimsAttrs {
  adaptiveOutputSize: [number, number];
}

/** A number for both dims, or `[h, w]` where null keeps the input's size. */
export type AdaptiveSize = number | [number | null, number | null];

interface Geometry {
  planes: number;
  H: number;
  W: number;
  OH: number;
  OW: number;
}

const start = (i: number, n: number, size: number) => Math.floor((i * size) / n);
const end = (i: number, n: number, size: number) => Math.ceil(((i + 1) * size) / n);

/** Calls `cell(plane, outIndex, h0, h1, w0, w1)` for every output cell. */
function forEachCell(
  g: Geometry,
  cell: (p: number, o: number, h0: number, h1: number, w0: number, w1: number) => void,
): void {
  for (let p = 0; p < g.planes; p++) {
    for (let oh = 0; oh < g.OH; oh++) {
      for (let ow = 0; ow < g.OW; ow++) {
        cell(
          p,
          (p * g.OH + oh) * g.OW + ow,
          start(oh, g.OH, g.H),
          end(oh, g.OH, g.H),
          start(ow, g.OW, g.W),
          end(ow, g.OW, g.W),
        );
      }
    }
  }
}

function geometry(shape: readonly number[], [OH, OW]: [number, number]): Geometry {
  const [H, W] = shape.slice(-2);
  return { planes: shape.slice(0, -2).reduce((p, q) => p * q, 1), H, W, OH, OW };
}

export const AdaptiveAvgPool2D = defineOp<{ size: [number, number] }>({
  name: "AdaptiveAvgPool2DBackward0",
  forward(_ctx, [x], { size }) {
    const g = geometry(x.shape, size);
    const X = x._values;
    const out = new Float32Array(g.planes * g.OH * g.OW);
    forEachCell(g, (p, o, h0, h1, w0, w1) => {
      let s = 0;
      for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) s += X[(p * g.H + h) * g.W + w];
      out[o] = s / ((h1 - h0) * (w1 - w0));
    });
    return Tensor._make(out, [...x.shape.slice(0, -2), ...size]);
  },
  // each output's gradient, divided by its window's size, goes to every cell of the window
  backward(ctx, [grad], { size }) {
    const shape = ctx.inputShape(0);
    const g = geometry(shape, size);
    const G = grad._values;
    const gx = new Float32Array(g.planes * g.H * g.W);
    forEachCell(g, (p, o, h0, h1, w0, w1) => {
      const share = G[o] / ((h1 - h0) * (w1 - w0));
      for (let h = h0; h < h1; h++)
        for (let w = w0; w < w1; w++) gx[(p * g.H + h) * g.W + w] += share;
    });
    return [Tensor._make(gx, shape.slice())];
  },
});

export const AdaptiveMaxPool2D = defineOp<{ size: [number, number] }>({
  name: "AdaptiveMaxPool2DBackward0",
  nonDifferentiableOutputs: [1],
  forward(ctx, [x], { size }) {
    const g = geometry(x.shape, size);
    const X = x._values;
    const out = new Float32Array(g.planes * g.OH * g.OW);
    const idx = new Float32Array(out.length);
    forEachCell(g, (p, o, h0, h1, w0, w1) => {
      let best = -Infinity;
      let at = h0 * g.W + w0;
      for (let h = h0; h < h1; h++) {
        for (let w = w0; w < w1; w++) {
          const v = X[(p * g.H + h) * g.W + w];
          // NOTE: the first maximum wins; NaN beats everything (PyTorch's `val > max || isnan`)
          if (v > best || Number.isNaN(v)) {
            best = v;
            at = h * g.W + w;
          }
        }
      }
      out[o] = best;
      idx[o] = at;
    });
    const shape = [...x.shape.slice(0, -2), ...size];
    const indices = Tensor._make(idx, shape.slice(), "int64");
    ctx.save(indices);
    return [Tensor._make(out, shape), indices];
  },
  backward(ctx, [grad], { size }) {
    const [indices] = ctx.saved;
    const shape = ctx.inputShape(0);
    const g = geometry(shape, size);
    const G = grad._values;
    const I = indices!._values;
    const gx = new Float32Array(g.planes * g.H * g.W);
    for (let o = 0; o < G.length; o++) {
      const p = Math.floor(o / (g.OH * g.OW));
      gx[p * g.H * g.W + I[o]] += G[o];
    }
    return [Tensor._make(gx, shape.slice())];
  },
});

function outputSize(x: Tensor, size: AdaptiveSize): [number, number] {
  const [h, w] = Array.isArray(size) ? size : [size, size];
  return [h ?? x.shape[x.dim() - 2], w ?? x.shape[x.dim() - 1]];
}

function checkRank(x: Tensor, name: string, sep: string): void {
  const ok = (x.dim() === 3 || x.dim() === 4) && x.shape.slice(1).every((s) => s > 0);
  if (!ok)
    throw new RuntimeError(
      `${name}(): Expected 3D or 4D tensor, but got${sep}${bracketed(x.shape)}`,
      { kind: "inputDims", input: x.shape.slice(), min: 3, max: 4 },
    );
}

/**
 * Averages [N, C, H, W] (or [C, H, W]) down to `outputSize` (PyTorch's `F.adaptive_avg_pool2d`).
 * @example F.adaptiveAvgPool2d(torch.randn(1, 512, 7, 7), 1).shape   // [1, 512, 1, 1]
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize_: AdaptiveSize): Tensor {
  return traced("adaptiveAvgPool2d", [x], () => {
    checkRank(x, "adaptive_avg_pool2d", " ");
    const size = outputSize(x, outputSize_);
    // `adaptiveOutputSize` rides along (unused by Mean) so that the editor knows this mean's intent
    if (size[0] === 1 && size[1] === 1) {
      const attrs: AdaptiveMeanAttrs = {
        dims: [x.dim() - 1, x.dim() - 2],
        keepdim: true,
        adaptiveOutputSize: size,
      };
      return Mean.apply([x], attrs);
    }
    return AdaptiveAvgPool2D.apply([x], { size });
  });
}

/** The maxima and their flat positions h·W + w (PyTorch's `return_indices=True`). */
export function adaptiveMaxPool2dWithIndices(
  x: Tensor,
  outputSize_: AdaptiveSize,
): [Tensor, Tensor] {
  checkRank(x, "adaptive_max_pool2d", ": ");
  const [values, indices] = AdaptiveMaxPool2D.applyMulti([x], { size: outputSize(x, outputSize_) });
  return [values, indices];
}

/** Max-pools [N, C, H, W] (or [C, H, W]) down to `outputSize` (PyTorch's `F.adaptive_max_pool2d`). */
export function adaptiveMaxPool2d(x: Tensor, outputSize_: AdaptiveSize): Tensor {
  return traced("adaptiveMaxPool2d", [x], () => {
    return adaptiveMaxPool2dWithIndices(x, outputSize_)[0];
  });
}
