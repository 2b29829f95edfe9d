/**
 * Convolution and transposed convolution, 1-D and 2-D: one op, `ConvolutionBackward0`, as in
 * PyTorch. Computed as an implicit GEMM in WebAssembly SIMD (convImplicit.ts: the micro-kernel
 * reads the image through a table of tap offsets, no column matrix), or where that cannot run,
 * the classic way: im2col, one GEMM per image and group, col2im (convGemm.ts). Both see a
 * transposed convolution as a conv's backward pass. One-dimensional convolutions run as 2-D
 * with height 1.
 *
 * Argument checks follow ATen's `check_shape_forward` and the slow-conv shape checks, in the
 * same order and with the same messages. The `nn.functional` forms (batch handling, "same")
 * live in convFunctional.ts.
 */
import { defineOp } from "../autograd/apply";
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";
import type { FailureReason } from "../failureReasons";
import { bracketed, numelOf } from "../shape";
import { convOutSize, convTransposeOutSize } from "../nn/shapes";
import { emptyFloats } from "../kernels/storage";
import { Plan, as2d, plan, prod, type ConvAttrs } from "./convPlan";
import { implicitToGrid, implicitToImage, implicitWeightGrad } from "./convImplicit";
import {
  gemmConvBackward,
  gemmConvForward,
  gemmConvTransposeForward,
  keepsColumns,
} from "./convGemm";

/** Spatial sizes of the output of `convolution(x, w)` (no checks). */
export function convOutputSpatial(
  inSpatial: readonly number[],
  kernel: readonly number[],
  a: ConvAttrs,
): number[] {
  return inSpatial.map((n, i) => {
    const opts = { stride: a.stride[i], padding: a.padding[i], dilation: a.dilation[i] };
    return a.transposed
      ? convTransposeOutSize(n, kernel[i], { ...opts, outputPadding: a.outputPadding[i] })
      : convOutSize(n, kernel[i], opts);
  });
}

/** Adds bias[c] to every element of channel c. */
function addBias(out: Float32Array, bias: Float32Array, N: number, C: number, L: number): void {
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const base = (n * C + c) * L;
      const b = bias[c];
      for (let i = 0; i < L; i++) out[base + i] += b;
    }
  }
}

/** Σ over batch and positions of each channel of g: the bias gradient. */
function channelSums(g: Float32Array, N: number, C: number, L: number): Float32Array {
  const out = new Float32Array(C);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      let s = 0;
      const base = (n * C + c) * L;
      for (let i = 0; i < L; i++) s += g[base + i];
      out[c] += s;
    }
  }
  return out;
}

/**
 * The output, bias added, and the column matrices when the GEMM path made and kept them for
 * the weight gradient.
 */
function forwardValues(
  x: Tensor,
  w: Tensor,
  b: Tensor,
  a: ConvAttrs,
  p: Plan,
  needWeightGrad: boolean,
): [Float32Array, Float32Array | null] {
  const bias = b.numel() > 0 ? b._values : null;
  // the implicit kernels write every element, bias included: no zero fill (kernels/storage.ts)
  let out = emptyFloats(p.N * (a.transposed ? p.geom.C * p.imageL : a.groups * p.gridC * p.gridL));
  let cols: Float32Array | null = null;
  if (a.transposed) {
    if (implicitToImage(x._values, w, a, p, out, bias)) return [out, null];
    out = gemmConvTransposeForward(x, w, a, p);
  } else {
    if (implicitToGrid(x._values, w, a, p, out, bias)) return [out, null];
    [out, cols] = gemmConvForward(x, w, a, p, keepsColumns(a, p, needWeightGrad));
  }
  const L = a.transposed ? p.imageL : p.gridL;
  if (bias) addBias(out, bias, p.N, out.length / (p.N * L), L);
  return [out, cols];
}

/** The input and weight gradients that `need` asks for: implicit where it can, else the GEMM's. */
function backwardValues(
  x: Tensor, w: Tensor, gOut: Tensor, a: ConvAttrs, p: Plan, need: readonly boolean[], kept: Float32Array | null,
): [Float32Array | null, Float32Array | null] {
  // sizes from shapes: an unsaved (unneeded) tensor stands in with empty storage
  const gx = need[0] ? emptyFloats(numelOf(x.shape)) : null; // zeroed below if col2im adds into it
  const gw = need[1] ? new Float32Array(numelOf(w.shape)) : null;
  const [image, grid] = a.transposed ? [gOut._values, x._values] : [x._values, gOut._values];
  const doneW = !gw || (kept === null && implicitWeightGrad(image, grid, a, p, gw));
  const doneX =
    !gx || (a.transposed ? implicitToGrid(gOut._values, w, a, p, gx) : implicitToImage(gOut._values, w, a, p, gx));
  if (gx && !doneX) gx.fill(0);
  if (!doneW || !doneX) gemmConvBackward(x, w, gOut, a, p, doneX ? null : gx, doneW ? null : gw, kept);
  return [gx, gw];
} // prettier-ignore

/** Inputs: x [N, C, ...], weight, bias (an empty tensor when there is none). */
export const Convolution = defineOp<ConvAttrs>({
  check: ([x, w, b], a) => checkConv(x, w, b === NO_BIAS ? null : b, a),
  name: "ConvolutionBackward0",
  forward(ctx, [x, w, b], a) {
    const outSpatial = convOutputSpatial(x.shape.slice(2), w.shape.slice(2), a);
    const p = plan(x, w, a, outSpatial);
    const outC = a.transposed ? w.shape[1] * a.groups : w.shape[0];
    const [out, cols] = forwardValues(x, w, b, a, p, ctx.needsInputGrad[1]);
    // the columns are x's, and go with it: x stays saved so that changing it in place is caught
    ctx.save(
      ctx.needsInputGrad[1] ? x : null,
      ctx.needsInputGrad[0] ? w : null,
      cols && Tensor._make(cols, [cols.length]),
    );
    return Tensor._make(out, [p.N, outC, ...outSpatial]);
  },
  backward(ctx, [g], a) {
    const [xs, ws, cols] = ctx.saved;
    const xShape = ctx.inputShape(0);
    const wShape = ctx.inputShape(1);
    // shapes suffice where a saved tensor was not needed
    const x = xs ?? Tensor._make(new Float32Array(0), xShape.slice());
    const w = ws ?? Tensor._make(new Float32Array(0), wShape.slice());
    const p = plan(x, w, a, g.shape.slice(2));
    const [gx, gw] = backwardValues(x, w, g, a, p, ctx.needsInputGrad, cols ? cols._values : null);
    const gb = ctx.needsInputGrad[2]
      ? channelSums(g._values, g.shape[0], g.shape[1], prod(g.shape.slice(2)))
      : null;
    return [
      gx && Tensor._make(gx, xShape.slice()),
      gw && Tensor._make(gw, wShape.slice()),
      gb && Tensor._make(gb, [gb.length]),
    ];
  },
  // the convolution is bilinear in x and w: each gradient is an op of its own (below)
  graphBackward(ctx, [g], a) {
    const [x, w] = ctx.saved;
    const spatial = g.shape.slice(2).map((_, i) => i + 2);
    return [
      ctx.needsInputGrad[0]
        ? ConvInputGrad.apply([g, w!], { ...a, shape: ctx.inputShape(0).slice() })
        : null,
      ctx.needsInputGrad[1]
        ? ConvWeightGrad.apply([x!, g], { ...a, shape: ctx.inputShape(1).slice() })
        : null,
      ctx.needsInputGrad[2] ? g.sum([0, ...spatial]) : null,
    ];
  },
});

/** B(x, w): the convolution's value without bias (for the double backward). */
function convolve(x: Tensor, w: Tensor, a: ConvAttrs): Tensor {
  const outSpatial = convOutputSpatial(x.shape.slice(2), w.shape.slice(2), a);
  const [out] = forwardValues(x, w, NO_BIAS, a, plan(x, w, a, outSpatial), false);
  return Tensor._make(out, [
    x.shape[0],
    a.transposed ? w.shape[1] * a.groups : w.shape[0],
    ...outSpatial,
  ]);
}

/** The input gradient B*ₓ(g; w) (x of `xShape`) or the weight gradient B*w(x; g) (w of `wShape`). */
function adjoint(x: Tensor, w: Tensor, g: Tensor, a: ConvAttrs, which: 0 | 1): Tensor {
  const need = [which === 0, which === 1];
  const grads = backwardValues(x, w, g, a, plan(x, w, a, g.shape.slice(2)), need, null);
  return Tensor._make(grads[which]!, (which === 0 ? x : w).shape.slice());
}
const shaped = (shape: number[]) => Tensor._make(new Float32Array(0), shape.slice());

/** B*ₓ(g; w) as an op of [g, w]: ⟨gg, B*ₓ(g; w)⟩ = ⟨B(gg, w), g⟩ gives its own gradients. */
const ConvInputGrad = defineOp<ConvAttrs & { shape: number[] }>({
  name: "ConvolutionBackwardBackward0",
  forward(ctx, [g, w], a) {
    ctx.save(g, w);
    return adjoint(shaped(a.shape), w, g, a, 0);
  },
  backward(ctx, [gg], a) {
    const [g, w] = ctx.saved as Tensor[];
    return [
      ctx.needsInputGrad[0] ? convolve(gg, w, a) : null,
      ctx.needsInputGrad[1] ? adjoint(gg, shaped(w.shape), g, a, 1) : null,
    ];
  },
});

/** B*w(x; g) as an op of [x, g]: ⟨ww, B*w(x; g)⟩ = ⟨B(x, ww), g⟩ gives its own gradients. */
const ConvWeightGrad = defineOp<ConvAttrs & { shape: number[] }>({
  name: "ConvolutionBackwardBackward0",
  forward(ctx, [x, g], a) {
    ctx.save(x, g);
    return adjoint(x, shaped(a.shape), g, a, 1);
  },
  backward(ctx, [ww], a) {
    const [x, g] = ctx.saved as Tensor[];
    return [
      ctx.needsInputGrad[0] ? adjoint(shaped(x.shape), ww, g, a, 0) : null,
      ctx.needsInputGrad[1] ? convolve(x, ww, a) : null,
    ];
  },
});

/** Stands in for a missing bias, so the node has PyTorch's three inputs (the third `None`). */
const NO_BIAS = Tensor._make(new Float32Array(0), [0]);

/**
 * PyTorch's `at::convolution` on a batched input [N, C, *spatial] after its checks; the
 * attrs are already expanded to one entry per spatial dim. Returns ConvolutionBackward0's output.
 */
export function convolution(
  x: Tensor,
  w: Tensor,
  b: Tensor | null | undefined,
  a: ConvAttrs,
): Tensor {
  return Convolution.apply([x, w, b ?? NO_BIAS], a);
}

/** The reason of an input with other channels than the weight wants. */
function channelsReason(expected: number, x: Tensor, w: Tensor, a: ConvAttrs): FailureReason {
  return {
    kind: "convChannels",
    expected,
    got: x.shape[1],
    weight: w.shape.slice(),
    input: x.shape.slice(),
    groups: a.groups,
    transposed: a.transposed,
  };
}

/** ATen's checks, in ATen's order and words. */
function checkConv(x: Tensor, w: Tensor, b: Tensor | null, a: ConvAttrs): void {
  const k = x.dim();
  const ws = w.shape;
  const G = a.groups;
  if (a.padding.some((v) => v < 0)) throw new RuntimeError("negative padding is not supported");
  if (a.outputPadding.some((v) => v < 0))
    throw new RuntimeError("negative output_padding is not supported");
  if (a.stride.some((v) => v <= 0)) throw new RuntimeError("non-positive stride is not supported");
  if (w.dim() !== k) {
    throw new RuntimeError(
      `Expected ${w.dim()}-dimensional input for ${w.dim()}-dimensional weight ${bracketed(ws)}, but got ${k}-dimensional input of size ${bracketed(x.shape)} instead`,
      { kind: "inputDims", input: x.shape.slice(), min: w.dim(), max: w.dim() },
    );
  }
  if (ws[0] < G) {
    throw new RuntimeError(
      `Given groups=${G}, expected weight to be at least ${G} at dimension 0, but got weight of size ${bracketed(ws)} instead`,
    );
  }
  if (ws[0] % G !== 0) {
    throw new RuntimeError(
      `Given groups=${G}, expected weight to be divisible by ${G} at dimension 0, but got weight of size [${bracketed(ws)}] instead`,
    );
  }
  if (!a.transposed) {
    if (x.shape[1] !== ws[1] * G) {
      throw new RuntimeError(
        `Given groups=${G}, weight of size ${bracketed(ws)}, expected input${bracketed(x.shape)} to have ${ws[1] * G} channels, but got ${x.shape[1]} channels instead`,
        channelsReason(ws[1] * G, x, w, a),
      );
    }
    if (b && (b.dim() !== 1 || b.shape[0] !== ws[0])) {
      throw new RuntimeError(
        `Given weight of size ${bracketed(ws)}, expected bias to be 1-dimensional with ${ws[0]} elements, but got bias of size ${bracketed(b.shape)} instead`,
      );
    }
    const padded = x.shape.slice(2).map((n, i) => n + 2 * a.padding[i]);
    const taps = ws.slice(2).map((n, i) => a.dilation[i] * (n - 1) + 1);
    if (padded.some((n, i) => n < taps[i])) {
      throw new RuntimeError(
        `Calculated padded input size per channel: (${padded.join(" x ")}). Kernel size: (${taps.join(" x ")}). Kernel size can't be greater than actual input size`,
        { kind: "kernelTooLarge", paddedInput: padded, kernel: taps, input: x.shape.slice() },
      );
    }
  } else {
    if (x.shape[1] !== ws[0]) {
      throw new RuntimeError(
        `Given transposed=1, weight of size ${bracketed(ws)}, expected input${bracketed(x.shape)} to have ${ws[0]} channels, but got ${x.shape[1]} channels instead`,
        channelsReason(ws[0], x, w, a),
      );
    }
    if (b && (b.dim() !== 1 || b.shape[0] !== ws[1] * G)) {
      throw new RuntimeError(
        `Given transposed=1, weight of size ${bracketed(ws)}, expected bias to be 1-dimensional with ${ws[1] * G} elements, but got bias of size ${bracketed(b.shape)} instead`,
      );
    }
  }
  // the slow-conv kernels' own checks, worded for 2-D (a 1-D conv is 2-D with height 1)
  const [kh, kw] = as2d(ws.slice(2));
  if (kh <= 0 || kw <= 0)
    throw new RuntimeError(
      `kernel size should be greater than zero, but got kernel_height: ${kh} kernel_width: ${kw}`,
    );
  if (a.dilation.some((v) => v <= 0)) {
    throw new RuntimeError(
      `dilation should be greater than zero, but got ${bracketed(as2d(a.dilation))}`,
    );
  }
  if (a.transposed) {
    const [oph, opw] = as2d(a.outputPadding, 0);
    const [sh, sw] = as2d(a.stride);
    const [dh, dw] = as2d(a.dilation);
    if ((oph >= sh && oph >= dh) || (opw >= sw && opw >= dw)) {
      throw new RuntimeError(
        `output padding must be smaller than either stride or dilation, but got output_padding_height: ${oph} output_padding_width: ${opw} stride_height: ${sh} stride_width: ${sw} dilation_height: ${dh} dilation_width: ${dw}`,
      );
    }
    const out = convOutputSpatial(x.shape.slice(2), ws.slice(2), a);
    if (out.some((n) => n < 1)) {
      throw new RuntimeError(
        `Given input size per channel: (${as2d(x.shape.slice(2)).join(" x ")}). Calculated output size per channel: (${as2d(out).join(" x ")}). Output size is too small`,
        { kind: "outputTooSmall", input: x.shape.slice(2), output: out.slice() },
      );
    }
  }
}
