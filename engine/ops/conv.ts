/**
 * Convolution and transposed convolution, 1-D and 2-D: one op, `ConvolutionBackward0`, as in
 * PyTorch, computed the way fast libraries do it — im2col, then one GEMM per image and group
 * (engine/kernels/matmul.ts, transposes read in place). The input gradient goes back through
 * col2im; a transposed convolution is the same pair of kernels swapped (GEMM then col2im
 * forward, im2col then GEMM backward). One-dimensional convolutions run as 2-D with height 1.
 *
 * Argument checks follow ATen's `check_shape_forward` and the slow-conv shape checks, in the
 * same order and with the same messages. The `nn.functional` forms (batch handling, "same")
 * live in convFunctional.ts.
 */
import { defineOp } from "../autograd/apply";
import { Tensor } from "../tensor";
import { RuntimeError } from "../errors";
import { bracketed, numelOf } from "../shape";
import { gemm } from "../kernels/matmul";
import { ConvGeometry, colsSize, col2im, im2col, isIdentityGeometry } from "../kernels/im2col";
import { convOutSize, convTransposeOutSize } from "../nn/shapes";

/** The attributes PyTorch's `ConvolutionBackward0` keeps; one entry per spatial dim. */
export interface ConvAttrs {
  stride: number[];
  padding: number[];
  dilation: number[];
  transposed: boolean;
  outputPadding: number[];
  groups: number;
}

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

/** 1-D sizes seen as 2-D with height 1 (how ATen runs conv1d on CPU, and how it words errors). */
function as2d(v: readonly number[], one = 1): [number, number] {
  return v.length === 1 ? [one, v[0]] : [v[0], v[1]];
}

/** The geometry of im2col/col2im between an image and a grid of kernel positions. */
function geometry(
  C: number,
  image: readonly number[],
  grid: readonly number[],
  kernel: readonly number[],
  a: ConvAttrs,
): ConvGeometry {
  const [H, W] = as2d(image);
  const [OH, OW] = as2d(grid);
  const [kH, kW] = as2d(kernel);
  const [sH, sW] = as2d(a.stride);
  const [pH, pW] = as2d(a.padding, 0);
  const [dH, dW] = as2d(a.dilation);
  return { C, H, W, OH, OW, kH, kW, sH, sW, pH, pW, dH, dW };
}

const prod = (v: readonly number[]): number => v.reduce((p, q) => p * q, 1);

/** Sizes of one convolution call, shared by forward and backward. */
interface Plan {
  N: number;
  /** Channels of the image side (input of a conv, output of a transposed conv) per group. */
  imageC: number;
  /** Channels of the grid side (output of a conv, input of a transposed conv) per group. */
  gridC: number;
  /** Spatial size of one image-side and one grid-side plane. */
  imageL: number;
  gridL: number;
  /** Rows of the column matrix per group: imageC·kernel taps. */
  K: number;
  geom: ConvGeometry;
}

function plan(x: Tensor, w: Tensor, a: ConvAttrs, outSpatial: readonly number[]): Plan {
  const G = a.groups;
  const kernel = w.shape.slice(2);
  const inSpatial = x.shape.slice(2);
  const [image, grid] = a.transposed ? [outSpatial, inSpatial] : [inSpatial, outSpatial];
  // weight [gridC·G, imageC, *kernel] for both kinds: [O, C/G, k…] or, transposed, [C, O/G, k…]
  const imageC = w.shape[1];
  const gridC = w.shape[0] / G;
  return {
    N: x.shape[0],
    imageC,
    gridC,
    imageL: prod(image),
    gridL: prod(grid),
    K: imageC * prod(kernel),
    geom: geometry(imageC * G, image, grid, kernel, a),
  };
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

/** The column matrix of image n (itself when the geometry makes im2col a copy), at `at` in `buf`. */
function columnsOf(
  src: Float32Array,
  n: number,
  p: Plan,
  buf: Float32Array,
  at = 0,
): [Float32Array, number] {
  const offset = n * p.geom.C * p.imageL;
  if (isIdentityGeometry(p.geom)) return [src, offset];
  im2col(src, offset, p.geom, buf.subarray(at));
  return [buf, at];
}

/** Up to this many floats, a conv keeps its column matrices for the weight gradient. */
const KEEP_COLS_MAX = 1 << 20;

/** Whether forward should keep the column matrices of all images for backward. */
function keepsColumns(a: ConvAttrs, p: Plan, needWeightGrad: boolean): boolean {
  const size = p.N * colsSize(p.geom);
  return needWeightGrad && !a.transposed && !isIdentityGeometry(p.geom) && size <= KEEP_COLS_MAX;
}

/**
 * conv: out[n, g] = W_g[gridC, K] · cols_g[K, gridL] (grid side = output). With `keep`, the
 * column matrices of all images are returned for backward (im2col is a third of a small
 * conv's time), else one scratch matrix is reused per image.
 */
function convForward(
  x: Tensor,
  w: Tensor,
  a: ConvAttrs,
  p: Plan,
  keep: boolean,
): [Float32Array, Float32Array | null] {
  const G = a.groups;
  const out = new Float32Array(p.N * G * p.gridC * p.gridL);
  const size = colsSize(p.geom);
  const buf = new Float32Array(keep ? p.N * size : size);
  for (let n = 0; n < p.N; n++) {
    const [cols, co] = columnsOf(x._values, n, p, buf, keep ? n * size : 0);
    for (let g = 0; g < G; g++) {
      gemm({
        transA: false, transB: false, M: p.gridC, N: p.gridL, K: p.K,
        A: w._values, aOffset: g * p.gridC * p.K,
        B: cols, bOffset: co + g * p.K * p.gridL,
        C: out, cOffset: (n * G + g) * p.gridC * p.gridL,
      }); // prettier-ignore
    }
  }
  return [out, keep ? buf : null];
}

/** transposed conv: cols_g[K, gridL] = W_gᵀ · x[n, g], then col2im onto the output image. */
function convTransposeForward(x: Tensor, w: Tensor, a: ConvAttrs, p: Plan): Float32Array {
  const G = a.groups;
  const out = new Float32Array(p.N * p.geom.C * p.imageL);
  const cols = new Float32Array(colsSize(p.geom));
  for (let n = 0; n < p.N; n++) {
    for (let g = 0; g < G; g++) {
      gemm({
        transA: true, transB: false, M: p.K, N: p.gridL, K: p.gridC,
        A: w._values, aOffset: g * p.gridC * p.K,
        B: x._values, bOffset: (n * G + g) * p.gridC * p.gridL,
        C: cols, cOffset: g * p.K * p.gridL,
      }); // prettier-ignore
    }
    col2im(cols, p.geom, out, n * p.geom.C * p.imageL);
  }
  return out;
}

/**
 * The gradients of a convolution, both kinds at once; per image and group:
 *   conv:        cols = im2col(X),     dW += dOut·colsᵀ,  dX = col2im(Wᵀ·dOut)
 *   transposed:  cols = im2col(dOut),  dX = W·cols,  dW += X·colsᵀ
 */
function convBackward(
  x: Tensor,
  w: Tensor,
  gOut: Tensor,
  a: ConvAttrs,
  p: Plan,
  need: readonly boolean[],
  kept: Float32Array | null,
): [Float32Array | null, Float32Array | null] {
  const G = a.groups;
  // sizes from shapes: an unsaved (unneeded) tensor stands in with empty storage
  const gx = need[0] ? new Float32Array(numelOf(x.shape)) : null;
  const gw = need[1] ? new Float32Array(numelOf(w.shape)) : null;
  // dcols for col2im, or the columns when forward kept none
  const scratch = new Float32Array(gx || !kept ? colsSize(p.geom) : 0);
  const gridBlock = p.gridC * p.gridL;
  for (let n = 0; n < p.N; n++) {
    // the image-side tensor of this item: x for a conv, the output gradient for a transposed conv
    const imageSide = a.transposed ? gOut._values : x._values;
    const gridSide = a.transposed ? x._values : gOut._values;
    const needCols = a.transposed || gw !== null;
    const [cols, co] = kept
      ? [kept, n * colsSize(p.geom)]
      : needCols
        ? columnsOf(imageSide, n, p, scratch)
        : [scratch, 0];
    for (let g = 0; g < G; g++) {
      const gridOffset = (n * G + g) * gridBlock;
      if (gw) {
        // conv: dW_g += dOut_g · cols_gᵀ;  transposed: dW_g += X_g · cols_gᵀ (same shapes)
        gemm({
          transA: false, transB: true, M: p.gridC, N: p.K, K: p.gridL,
          A: gridSide, aOffset: gridOffset, B: cols, bOffset: co + g * p.K * p.gridL,
          C: gw, cOffset: g * p.gridC * p.K, accumulate: true,
        }); // prettier-ignore
      }
      if (gx && a.transposed) {
        // dX_g = W_g[gridC, K] · cols_g[K, gridL]
        gemm({
          transA: false, transB: false, M: p.gridC, N: p.gridL, K: p.K,
          A: w._values, aOffset: g * p.gridC * p.K, B: cols, bOffset: co + g * p.K * p.gridL,
          C: gx, cOffset: gridOffset,
        }); // prettier-ignore
      } else if (gx) {
        // dcols_g = W_gᵀ · dOut_g, gathered back by col2im below
        gemm({
          transA: true, transB: false, M: p.K, N: p.gridL, K: p.gridC,
          A: w._values, aOffset: g * p.gridC * p.K, B: gOut._values, bOffset: gridOffset,
          C: scratch, cOffset: g * p.K * p.gridL,
        }); // prettier-ignore
      }
    }
    if (gx && !a.transposed) col2im(scratch, p.geom, gx, n * p.geom.C * p.imageL);
  }
  return [gx, gw];
}

/** Inputs: x [N, C, ...], weight, bias (an empty tensor when there is none). */
const Convolution = defineOp<ConvAttrs>({
  check: ([x, w, b], a) => checkConv(x, w, b === NO_BIAS ? null : b, a),
  name: "ConvolutionBackward0",
  forward(ctx, [x, w, b], a) {
    const outSpatial = convOutputSpatial(x.shape.slice(2), w.shape.slice(2), a);
    const p = plan(x, w, a, outSpatial);
    const outC = a.transposed ? w.shape[1] * a.groups : w.shape[0];
    const [out, cols] = a.transposed
      ? [convTransposeForward(x, w, a, p), null]
      : convForward(x, w, a, p, keepsColumns(a, p, ctx.needsInputGrad[1]));
    // the columns are x's, and go with it: x stays saved so that changing it in place is caught
    ctx.save(
      ctx.needsInputGrad[1] ? x : null,
      ctx.needsInputGrad[0] ? w : null,
      cols && Tensor._make(cols, [cols.length]),
    );
    if (b.numel() > 0) addBias(out, b._values, p.N, outC, prod(outSpatial));
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
    const [gx, gw] = convBackward(x, w, g, a, p, ctx.needsInputGrad, cols ? cols._values : null);
    const gb = ctx.needsInputGrad[2]
      ? channelSums(g._values, g.shape[0], g.shape[1], prod(g.shape.slice(2)))
      : null;
    return [
      gx && Tensor._make(gx, xShape.slice()),
      gw && Tensor._make(gw, wShape.slice()),
      gb && Tensor._make(gb, [gb.length]),
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
      );
    }
  } else {
    if (x.shape[1] !== ws[0]) {
      throw new RuntimeError(
        `Given transposed=1, weight of size ${bracketed(ws)}, expected input${bracketed(x.shape)} to have ${ws[0]} channels, but got ${x.shape[1]} channels instead`,
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
      );
    }
  }
}
