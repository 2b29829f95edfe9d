/**
 * The `nn.functional` convolutions: `conv1d`, `conv2d`, `convTranspose1d`, `convTranspose2d`.
 * As ATen does, an unbatched input ([C, L] or [C, H, W]) gets a batch dim (`UnsqueezeBackward0`)
 * and loses it again (`SqueezeBackward1`); `padding: "same"` pads symmetrically inside the
 * convolution when it can, and otherwise first pads the right side (`ConstantPadNdBackward0`).
 */
import { Tensor } from "../tensor";
import { traced } from "../autograd/apply";
import { RuntimeError } from "../errors";
import { bracketed } from "../shape";
import { convolution } from "./conv";
import type { ConvAttrs } from "./convPlan";
import { constantPad } from "./pad";
import { unsqueeze, squeeze } from "./view";
import { PositionalOr, optionsFrom } from "../nn/positional";

/** A number for every spatial dim, or one number per dim. */
export type IntOrList = number | number[];

/** Options of `conv1d`/`conv2d` (PyTorch's keyword arguments). */
export interface ConvOptions {
  stride?: IntOrList;
  /** Numbers, or `"valid"` (no padding) or `"same"` (output size = input size; stride 1 only). */
  padding?: IntOrList | "same" | "valid";
  dilation?: IntOrList;
  groups?: number;
}

/** Options of `convTranspose1d`/`convTranspose2d`. */
export interface ConvTransposeOptions {
  stride?: IntOrList;
  padding?: IntOrList;
  outputPadding?: IntOrList;
  groups?: number;
  dilation?: IntOrList;
}

/** The trailing arguments of `conv1d`/`conv2d`: PyTorch's positional stride, padding, dilation, groups, or options, or both. */
export type ConvArgs = PositionalOr<
  [stride: IntOrList, padding: IntOrList | "same" | "valid", dilation: IntOrList, groups: number],
  ConvOptions
>;
const CONV_NAMES = ["stride", "padding", "dilation", "groups"] as const;

/** The trailing arguments of `convTranspose1d`/`convTranspose2d` (PyTorch's order: dilation last). */
export type ConvTransposeArgs = PositionalOr<
  [
    stride: IntOrList,
    padding: IntOrList,
    outputPadding: IntOrList,
    groups: number,
    dilation: IntOrList,
  ],
  ConvTransposeOptions
>;
const CONV_TRANSPOSE_NAMES = ["stride", "padding", "outputPadding", "groups", "dilation"] as const;

/** A number becomes one entry per dim of the function (conv1d: 1, conv2d: 2). */
function asList(v: IntOrList, fnDims: number): number[] {
  return Array.isArray(v) ? v.slice() : new Array<number>(fnDims).fill(v);
}

/** ATen's expand_param_if_needed: one value for all dims, or exactly one per dim. */
function expandParam(list: number[], name: string, dims: number): number[] {
  if (list.length === 1) return new Array<number>(dims).fill(list[0]);
  if (list.length !== dims) {
    throw new RuntimeError(
      `expected ${name} to be a single integer value or a list of ${dims} values to match the convolution dimensions, but got ${name}=${bracketed(list)}`,
      { kind: "invalidArgument", argument: name },
    );
  }
  return list;
}

/** Adds the batch dim to an unbatched input, with ATen's message for a wrong rank. */
function batchify(x: Tensor, spatialDims: number, fnName: string): [Tensor, boolean] {
  const unbatched = spatialDims + 1;
  const batched = unbatched + 1;
  if (x.dim() !== unbatched && x.dim() !== batched) {
    throw new RuntimeError(
      `Expected ${unbatched}D (unbatched) or ${batched}D (batched) input to ${fnName}, but got input of size: ${bracketed(x.shape)}`,
      { kind: "inputDims", input: x.shape.slice(), min: unbatched, max: batched },
    );
  }
  return x.dim() === batched ? [x, true] : [unsqueeze(x, 0), false];
}

function checkWeight(w: Tensor): number {
  if (w.dim() < 3) {
    throw new RuntimeError("weight should have at least three dimensions", {
      kind: "inputDims",
      input: w.shape.slice(),
      min: 3,
    });
  }
  return w.dim() - 2;
}

function conv(
  x: Tensor,
  w: Tensor,
  b: Tensor | null | undefined,
  o: ConvOptions,
  fnDims: number,
  fnName: string,
): Tensor {
  return traced(fnName, [x, w, b], () => {
    const [input, batched] = batchify(x, fnDims, fnName);
    const dims = checkWeight(w);
    const stride = expandParam(asList(o.stride ?? 1, fnDims), "stride", dims);
    const dilation = expandParam(asList(o.dilation ?? 1, fnDims), "dilation", dims);
    const attrs = (padding: number[]): ConvAttrs => ({
      stride,
      padding,
      dilation,
      transposed: false,
      outputPadding: new Array<number>(dims).fill(0),
      groups: o.groups ?? 1,
    });
    let out: Tensor;
    const p = o.padding ?? 0;
    if (typeof p !== "string") {
      out = convolution(input, w, b, attrs(expandParam(asList(p, fnDims), "padding", dims)));
    } else if (p === "valid") {
      out = convolution(input, w, b, attrs(new Array<number>(dims).fill(0)));
    } else if (p === "same") {
      out = convSame(input, w, b, stride, dilation, attrs);
    } else {
      throw new RuntimeError(`Invalid padding string: '${p}'`, { kind: "invalidArgument", argument: "padding" });
    }
    return batched ? out : squeeze(out, 0);
  });
}

/** ATen's `_convolution_mode` for "same": total padding dilation·(k − 1), the odd one on the right. */
function convSame(
  x: Tensor,
  w: Tensor,
  b: Tensor | null | undefined,
  stride: number[],
  dilation: number[],
  attrs: (padding: number[]) => ConvAttrs,
): Tensor {
  if (stride.some((s) => s !== 1))
    throw new RuntimeError("padding='same' is not supported for strided convolutions", {
      kind: "invalidArgument",
      argument: "padding",
    });
  const kernel = w.shape.slice(2);
  const total = kernel.map((k, i) => dilation[i] * (k - 1));
  const left = total.map((t) => Math.floor(t / 2));
  if (total.every((t, i) => t - left[i] === left[i])) return convolution(x, w, b, attrs(left));
  // pad the extra cell on the right first (F.pad order: last dim first), then pad symmetrically
  const padNd: number[] = [];
  for (let i = kernel.length - 1; i >= 0; i--) padNd.push(0, total[i] - 2 * left[i]);
  return convolution(constantPad(x, padNd, 0), w, b, attrs(left));
}

/**
 * 1-D convolution of x [N, C, L] (or [C, L]) with weight [O, C/groups, k]: PyTorch's
 * `F.conv1d`. Output length ⌊(L + 2·padding − dilation·(k − 1) − 1)/stride⌋ + 1.
 * @example F.conv1d(torch.randn(1, 2, 64), torch.randn(16, 2, 3)).shape   // [1, 16, 62]
 */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, ...args: ConvArgs): Tensor {
  return conv(x, weight, bias, optionsFrom<ConvOptions>("conv1d", CONV_NAMES, args), 1, "conv1d");
}

/**
 * 2-D convolution of x [N, C, H, W] (or [C, H, W]) with weight [O, C/groups, kH, kW]:
 * PyTorch's `F.conv2d`; stride, padding and dilation are a number or `[h, w]`.
 * @example F.conv2d(x, w, null, 1, [1, 2])   // = { stride: 1, padding: [1, 2] }
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, ...args: ConvArgs): Tensor {
  return conv(x, weight, bias, optionsFrom<ConvOptions>("conv2d", CONV_NAMES, args), 2, "conv2d");
}

function convTranspose(
  x: Tensor,
  w: Tensor,
  b: Tensor | null | undefined,
  o: ConvTransposeOptions,
  fnDims: number,
  fnName: string,
): Tensor {
  return traced(`convTranspose${fnDims}d`, [x, w, b], () => {
    const [input, batched] = batchify(x, fnDims, fnName);
    const dims = checkWeight(w);
    const out = convolution(input, w, b, {
      stride: expandParam(asList(o.stride ?? 1, fnDims), "stride", dims),
      padding: expandParam(asList(o.padding ?? 0, fnDims), "padding", dims),
      dilation: expandParam(asList(o.dilation ?? 1, fnDims), "dilation", dims),
      transposed: true,
      outputPadding: expandParam(asList(o.outputPadding ?? 0, fnDims), "output_padding", dims),
      groups: o.groups ?? 1,
    });
    return batched ? out : squeeze(out, 0);
  });
}

/**
 * 1-D transposed convolution of x [N, C, L] with weight [C, O/groups, k]: PyTorch's
 * `F.conv_transpose1d`. Output length (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 */
export function convTranspose1d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  ...args: ConvTransposeArgs
): Tensor {
  const options = optionsFrom<ConvTransposeOptions>("conv_transpose1d", CONV_TRANSPOSE_NAMES, args);
  return convTranspose(x, weight, bias, options, 1, "conv_transpose1d");
}

/**
 * 2-D transposed convolution of x [N, C, H, W] with weight [C, O/groups, kH, kW]: PyTorch's
 * `F.conv_transpose2d`.
 * @example F.convTranspose2d(X, K)   // X = K = [[0, 1], [2, 3]] as [1, 1, 2, 2] → [[0, 0, 1], [0, 4, 6], [4, 12, 9]]
 */
export function convTranspose2d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  ...args: ConvTransposeArgs
): Tensor {
  const options = optionsFrom<ConvTransposeOptions>("conv_transpose2d", CONV_TRANSPOSE_NAMES, args);
  return convTranspose(x, weight, bias, options, 2, "conv_transpose2d");
}
