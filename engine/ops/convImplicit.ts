/**
 * Convolution on the implicit-GEMM kernels (engine/kernels/convWasm.ts), per image and group,
 * without a column matrix:
 *   conv forward:             out = W·cols(X)
 *   conv input gradient:      dX = the flipped-kernel correlation of dOut (stride 1 only;
 *                             kernels/convAdjoint.ts), else im2col's col2im (convGemm.ts)
 *   transposed forward:       the same correlation, of X
 *   transposed input grad:    dX = W·cols(dOut)
 *   weight gradient, both:    dW += grid side · cols(image side)ᵀ
 * A depthwise conv (one input and one output channel per group) takes the kernels' depthwise
 * path instead: all channels in one call per image, sixteen positions of a channel per tile
 * (a GEMM tile would fill one row of four).
 * Each function returns false when it did nothing (no WebAssembly SIMD, a 1×1 stride-1 conv,
 * whose columns are the image itself, a stride, or more memory than the kernels may take), and
 * the caller runs convGemm.ts instead.
 */
import type { Tensor } from "../tensor";
import { ConvKernels, convKernels } from "../kernels/convWasm";
import { adjointGeometry, flippedWeights } from "../kernels/convAdjoint";
import { isIdentityGeometry } from "../kernels/im2col";
import type { ConvAttrs } from "./convPlan";
import { Plan, groupGeometry } from "./convPlan";

let kernels: ConvKernels | null = convKernels();

/** Engine-internal (tests, bench): the kernels to use, or null for im2col and the GEMM. */
export function _setConvKernels(k: ConvKernels | null): ConvKernels | null {
  const previous = kernels;
  kernels = k;
  return previous;
}

/** The kernels, when they should run this conv (its columns are not just the image). */
function kernelsFor(p: Plan): ConvKernels | null {
  return kernels && !isIdentityGeometry(p.geom) ? kernels : null;
}

/** Whether every group has one input and one output channel (PyTorch's depthwise conv). */
const isDepthwise = (p: Plan) => p.imageC === 1 && p.gridC === 1;

/** Calls `step(io, go)` with the offsets of every image n on the image and the grid side. */
function eachImage(p: Plan, G: number, step: (io: number, go: number) => boolean): boolean {
  for (let n = 0; n < p.N; n++) if (!step(n * G * p.imageL, n * G * p.gridL)) return false;
  return true;
}

/**
 * Calls `step` for every image n and group g with the offsets of that item on the image and
 * the grid side, in the order im2col's loops take them; false as soon as one step refuses.
 */
function eachItem(
  p: Plan,
  G: number,
  step: (g: number, io: number, go: number) => boolean,
): boolean {
  for (let n = 0; n < p.N; n++)
    for (let g = 0; g < G; g++) {
      if (!step(g, (n * G + g) * p.imageC * p.imageL, (n * G + g) * p.gridC * p.gridL))
        return false;
    }
  return true;
}

/**
 * The image side from the grid side through Wᵀ and col2im, as the flipped-kernel correlation
 * (+ bias): a transposed conv's forward (grid = x) or a conv's input gradient (grid = dOut).
 */
export function implicitToImage(
  grid: Float32Array,
  w: Tensor,
  a: ConvAttrs,
  p: Plan,
  image: Float32Array,
  bias: Float32Array | null = null,
): boolean {
  const k = kernelsFor(p);
  const geom = k && adjointGeometry(groupGeometry(p), p.gridC);
  if (!k || !geom) return false;
  if (isDepthwise(p)) {
    const G = a.groups;
    const flipped = flippedWeights(w._values, 0, G, 1, p.geom.kH, p.geom.kW);
    const planes = { ...geom, C: G };
    return eachImage(p, G, (io, go) => k.depthwise(grid, go, planes, flipped, 0, image, io, bias));
  }
  const flipped = Array.from({ length: a.groups }, (_, g) =>
    flippedWeights(w._values, g * p.gridC * p.K, p.gridC, p.imageC, p.geom.kH, p.geom.kW),
  );
  return eachItem(p, a.groups, (g, io, go) =>
    k.correlate(grid, go, geom, flipped[g], 0, p.imageC, image, io, bias, g * p.imageC),
  );
}

/**
 * The grid side from the image side, grid[n, g] = W_g · cols(image[n, g]) (+ bias): a conv's
 * forward (image = x) or a transposed conv's input gradient (image = dOut).
 */
export function implicitToGrid(
  image: Float32Array,
  w: Tensor,
  a: ConvAttrs,
  p: Plan,
  grid: Float32Array,
  bias: Float32Array | null = null,
): boolean {
  const k = kernelsFor(p);
  if (!k) return false;
  if (isDepthwise(p)) {
    return eachImage(p, a.groups, (io, go) =>
      k.depthwise(image, io, p.geom, w._values, 0, grid, go, bias),
    );
  }
  const geom = groupGeometry(p);
  const [M, wo] = [p.gridC, (g: number) => g * p.gridC * p.K];
  return eachItem(p, a.groups, (g, io, go) =>
    k.correlate(image, io, geom, w._values, wo(g), M, grid, go, bias, g * M),
  );
}

/**
 * The weight gradient, both kinds: gw_g += grid_g · cols(image_g)ᵀ summed over images. Every
 * call needs the same memory, so only the first can refuse, before anything was added.
 */
export function implicitWeightGrad(
  image: Float32Array,
  grid: Float32Array,
  a: ConvAttrs,
  p: Plan,
  gw: Float32Array,
): boolean {
  const k = kernelsFor(p);
  if (!k) return false;
  // the depthwise kernel takes unit strides along W, and refuses before adding anything
  if (
    isDepthwise(p) &&
    eachImage(p, a.groups, (io, go) => k.depthwiseGrad(image, io, p.geom, grid, go, gw, 0))
  )
    return true;
  const geom = groupGeometry(p);
  return eachItem(p, a.groups, (g, io, go) =>
    k.weightGrad(image, io, geom, grid, go, p.gridC, gw, g * p.gridC * p.K),
  );
}
