/**
 * Output sizes of convolutions, transposed convolutions and pooling: the formulas of PyTorch's
 * documentation, written once. The layers compute their output shapes here and the editor's
 * inline hints show the same numbers, with the formula filled in (`*Formula` functions).
 *
 * Every function works per spatial dimension; the `2d` forms take `[h, w]` pairs (or one
 * number for both) and return `[h, w]`.
 */

/** A size per spatial dimension: one number for all, or one per dimension. */
export type IntOrPair = number | [number, number];

/** Per-dimension settings of a convolution. */
export interface ConvDimOptions {
  stride?: number;
  /** A number, or PyTorch's `"same"` (output size = input size; stride 1 only) / `"valid"` (0). */
  padding?: number | "same" | "valid";
  dilation?: number;
}

/** Per-dimension settings of a transposed convolution. */
export interface ConvTransposeDimOptions {
  stride?: number;
  padding?: number;
  outputPadding?: number;
  dilation?: number;
}

/** Per-dimension settings of max/avg pooling; the stride defaults to the kernel size. */
export interface PoolDimOptions {
  stride?: number | null;
  padding?: number;
  dilation?: number;
  ceilMode?: boolean;
}

/** PyTorch's documented convolution output size (Conv1d, Conv2d). */
export const CONV_DOC = "L_out = ⌊(L_in + 2·padding − dilation·(kernel_size − 1) − 1)/stride⌋ + 1";
/** PyTorch's documented transposed-convolution output size (ConvTranspose1d/2d). */
export const CONV_TRANSPOSE_DOC =
  "L_out = (L_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1";
/** PyTorch's documented pooling output size (MaxPool2d; AvgPool2d has dilation 1). */
export const POOL_DOC =
  "L_out = ⌊(L_in + 2·padding − dilation·(kernel_size − 1) − 1)/stride + 1⌋ (⌈…⌉ with ceil_mode)";

/** PyTorch's adaptive pooling: the output size is given; windows cover the input. */
export const ADAPTIVE_POOL_DOC =
  "output size = output_size, whatever the input size; output cell i of n covers input ⌊i·L_in/n⌋ … ⌈(i+1)·L_in/n⌉ − 1";
/** PyTorch's interpolation output size (F.interpolate, nn.Upsample). */
export const INTERPOLATE_DOC = "L_out = size, or ⌊L_in · scale_factor⌋";

/** The padding "same" resolves to on the left: ⌊dilation·(kernel − 1)/2⌋. */
export function samePaddingLeft(kernel: number, dilation = 1): number {
  return Math.floor((dilation * (kernel - 1)) / 2);
}

/**
 * Convolution output size along one dimension:
 * ⌊(L + 2·padding − dilation·(kernel − 1) − 1)/stride⌋ + 1.
 * @example convOutSize(64, 3) === 62
 */
export function convOutSize(
  size: number,
  kernel: number,
  { stride = 1, padding = 0, dilation = 1 }: ConvDimOptions = {},
): number {
  if (padding === "same") return size;
  const p = padding === "valid" ? 0 : padding;
  return Math.floor((size + 2 * p - dilation * (kernel - 1) - 1) / stride) + 1;
}

/**
 * Transposed-convolution output size along one dimension:
 * (L − 1)·stride − 2·padding + dilation·(kernel − 1) + outputPadding + 1.
 * @example convTransposeOutSize(2, 2) === 3
 */
export function convTransposeOutSize(
  size: number,
  kernel: number,
  { stride = 1, padding = 0, outputPadding = 0, dilation = 1 }: ConvTransposeDimOptions = {},
): number {
  return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
}

/**
 * Pooling output size along one dimension: ⌊(L + 2·padding − dilation·(kernel − 1) − 1)/stride⌋ + 1,
 * rounded up instead with `ceilMode`, where a last window that would start in the right
 * padding is dropped (as PyTorch's `pooling_output_shape`).
 * @example poolOutSize(64, 2) === 32
 */
export function poolOutSize(size: number, kernel: number, options: PoolDimOptions = {}): number {
  return poolWindows(size, kernel, options).out;
}

/** Pooling's window count by the formula (`slid`) and after a last window in the padding is dropped. */
function poolWindows(
  size: number,
  kernel: number,
  { stride, padding = 0, dilation = 1, ceilMode = false }: PoolDimOptions,
): { slid: number; out: number } {
  const s = stride ?? kernel;
  const span = size + 2 * padding - dilation * (kernel - 1) - 1 + (ceilMode ? s - 1 : 0);
  const slid = Math.floor(span / s) + 1;
  return { slid, out: ceilMode && (slid - 1) * s >= size + padding ? slid - 1 : slid };
}

function pair(v: IntOrPair, i: number): number {
  return Array.isArray(v) ? v[i] : v;
}

/** Conv2d's settings, each a number or `[h, w]`. */
export interface Conv2dShapeOptions {
  stride?: IntOrPair;
  padding?: IntOrPair | "same" | "valid";
  dilation?: IntOrPair;
}

/** ConvTranspose2d's settings, each a number or `[h, w]`. */
export interface ConvTranspose2dShapeOptions {
  stride?: IntOrPair;
  padding?: IntOrPair;
  outputPadding?: IntOrPair;
  dilation?: IntOrPair;
}

/** MaxPool2d/AvgPool2d's settings, each a number or `[h, w]`; the stride defaults to the kernel. */
export interface Pool2dShapeOptions {
  stride?: IntOrPair | null;
  padding?: IntOrPair;
  dilation?: IntOrPair;
  ceilMode?: boolean;
}

/** Conv1d's output length. @example conv1dOut(64, 3) === 62 */
export function conv1dOut(length: number, kernel: number, options: ConvDimOptions = {}): number {
  return convOutSize(length, kernel, options);
}

/** Conv2d's output [h, w]. @example conv2dOut([64, 128], [3, 5]) → [62, 124] */
export function conv2dOut(
  size: IntOrPair,
  kernel: IntOrPair,
  options: Conv2dShapeOptions = {},
): [number, number] {
  const dim = (i: number): number =>
    convOutSize(pair(size, i), pair(kernel, i), {
      stride: pair(options.stride ?? 1, i),
      padding:
        typeof options.padding === "string" ? options.padding : pair(options.padding ?? 0, i),
      dilation: pair(options.dilation ?? 1, i),
    });
  return [dim(0), dim(1)];
}

/** ConvTranspose1d's output length. @example convTranspose1dOut(2, 2) === 3 */
export function convTranspose1dOut(
  length: number,
  kernel: number,
  options: ConvTransposeDimOptions = {},
): number {
  return convTransposeOutSize(length, kernel, options);
}

/** ConvTranspose2d's output [h, w]. @example convTranspose2dOut([6, 6], 5, { stride: 3, padding: 2 }) → [16, 16] */
export function convTranspose2dOut(
  size: IntOrPair,
  kernel: IntOrPair,
  options: ConvTranspose2dShapeOptions = {},
): [number, number] {
  const dim = (i: number): number =>
    convTransposeOutSize(pair(size, i), pair(kernel, i), {
      stride: pair(options.stride ?? 1, i),
      padding: pair(options.padding ?? 0, i),
      outputPadding: pair(options.outputPadding ?? 0, i),
      dilation: pair(options.dilation ?? 1, i),
    });
  return [dim(0), dim(1)];
}

/** MaxPool2d/AvgPool2d's output [h, w] (stride defaults to the kernel). @example pool2dOut([64, 64], 2) → [32, 32] */
export function pool2dOut(
  size: IntOrPair,
  kernel: IntOrPair,
  options: Pool2dShapeOptions = {},
): [number, number] {
  const dim = (i: number): number =>
    poolOutSize(pair(size, i), pair(kernel, i), {
      stride:
        options.stride === undefined || options.stride === null ? null : pair(options.stride, i),
      padding: pair(options.padding ?? 0, i),
      dilation: pair(options.dilation ?? 1, i),
      ceilMode: options.ceilMode,
    });
  return [dim(0), dim(1)];
}

// ---- formulas with the numbers filled in, for the editor's hints -----------------------------

/**
 * The convolution formula with this call's numbers.
 * @example convOutFormula(64, 3) === "⌊(64 + 2·0 − 1·(3 − 1) − 1)/1⌋ + 1 = 62"
 */
export function convOutFormula(size: number, kernel: number, options: ConvDimOptions = {}): string {
  const { stride = 1, dilation = 1 } = options;
  if (options.padding === "same") return `padding='same': L_out = L_in = ${size}`;
  const p = options.padding === "valid" || options.padding === undefined ? 0 : options.padding;
  const out = convOutSize(size, kernel, options);
  return `⌊(${size} + 2·${p} − ${dilation}·(${kernel} − 1) − 1)/${stride}⌋ + 1 = ${out}`;
}

/**
 * The transposed-convolution formula with this call's numbers.
 * @example convTransposeOutFormula(2, 2) === "(2 − 1)·1 − 2·0 + 1·(2 − 1) + 0 + 1 = 3"
 */
export function convTransposeOutFormula(
  size: number,
  kernel: number,
  options: ConvTransposeDimOptions = {},
): string {
  const { stride = 1, padding = 0, outputPadding = 0, dilation = 1 } = options;
  const out = convTransposeOutSize(size, kernel, options);
  return `(${size} − 1)·${stride} − 2·${padding} + ${dilation}·(${kernel} − 1) + ${outputPadding} + 1 = ${out}`;
}

/**
 * The pooling formula with this call's numbers (⌈…⌉ with ceilMode).
 * @example poolOutFormula(64, 2) === "⌊(64 + 2·0 − 1·(2 − 1) − 1)/2⌋ + 1 = 32"
 */
export function poolOutFormula(size: number, kernel: number, options: PoolDimOptions = {}): string {
  const { padding = 0, dilation = 1, ceilMode = false } = options;
  const s = options.stride ?? kernel;
  const [l, r] = ceilMode ? ["⌈", "⌉"] : ["⌊", "⌋"];
  const { slid, out } = poolWindows(size, kernel, options);
  const dropped = out !== slid ? " − 1 (last window starts in the padding)" : "";
  return `${l}(${size} + 2·${padding} − ${dilation}·(${kernel} − 1) − 1)/${s}${r} + 1${dropped} = ${out}`;
}

/**
 * The interpolation formula with this call's numbers: the given size, or ⌊size·factor⌋.
 * @example interpolateOutFormula(4, 6, 1.5) === "⌊4·1.5⌋ = 6"
 */
export function interpolateOutFormula(size: number, out: number, factor: number | null): string {
  return factor === null ? `size = ${out}` : `⌊${size}·${factor}⌋ = ${out}`;
}

/**
 * The adaptive pooling formula with this call's numbers.
 * @example adaptivePoolOutFormula(7, 1) === "output_size = 1 (windows of 7)"
 */
export function adaptivePoolOutFormula(size: number, out: number): string {
  const smallest = Math.min(
    ...Array.from(
      { length: out },
      (_, i) => Math.ceil(((i + 1) * size) / out) - Math.floor((i * size) / out),
    ),
  );
  const largest = Math.max(
    ...Array.from(
      { length: out },
      (_, i) => Math.ceil(((i + 1) * size) / out) - Math.floor((i * size) / out),
    ),
  );
  return `output_size = ${out} (windows of ${smallest === largest ? smallest : `${smallest}–${largest}`})`;
}

// ---- formulas in terms of the input size, for the hint after a layer's construction ---------

/** ` + 3`, ` − 2` or nothing. */
function signed(c: number): string {
  return c === 0 ? "" : c > 0 ? ` + ${c}` : ` − ${-c}`;
}

/** ⌊(x + 2p − d(k − 1) − 1)/s⌋ + 1 simplified to ⌊(x + c)/s⌋ with c = 2p − d(k − 1) − 1 + s. */
function slidingTerm(
  x: string,
  kernel: number,
  s: number,
  p: number,
  d: number,
  ceil: boolean,
): string {
  const c = 2 * p - d * (kernel - 1) - 1 + s;
  if (s === 1) return `${x}${signed(c)}`;
  const [l, r] = ceil ? ["⌈", "⌉"] : ["⌊", "⌋"];
  return c === 0 ? `${l}${x}/${s}${r}` : `${l}(${x}${signed(c)})/${s}${r}`;
}

/**
 * The convolution output size in terms of an input size named `x`, simplified.
 * @example convOutTerm("H", 5) === "H − 4"; convOutTerm("H", 3, { stride: 2, padding: 1 }) === "⌊(H + 1)/2⌋"
 */
export function convOutTerm(x: string, kernel: number, options: ConvDimOptions = {}): string {
  const { stride = 1, padding = 0, dilation = 1 } = options;
  if (padding === "same") return x;
  return slidingTerm(x, kernel, stride, padding === "valid" ? 0 : padding, dilation, false);
}

/**
 * The pooling output size in terms of an input size named `x` (the stride defaults to the kernel).
 * NOTE: with ceilMode, PyTorch drops a last window that would start in the right padding; the
 * term leaves that out (it depends on x), `poolOutFormula` shows it for a given size.
 * @example poolOutTerm("H", 2) === "⌊H/2⌋"
 */
export function poolOutTerm(x: string, kernel: number, options: PoolDimOptions = {}): string {
  const { stride, padding = 0, dilation = 1, ceilMode = false } = options;
  return slidingTerm(x, kernel, stride ?? kernel, padding, dilation, ceilMode);
}

/**
 * The transposed-convolution output size in terms of an input size named `x`:
 * (x − 1)·s − 2p + d(k − 1) + op + 1 = s·x + (−s − 2p + d(k − 1) + op + 1).
 * @example convTransposeOutTerm("H", 4, { stride: 2, padding: 1 }) === "2·H"
 */
export function convTransposeOutTerm(
  x: string,
  kernel: number,
  options: ConvTransposeDimOptions = {},
): string {
  const { stride = 1, padding = 0, outputPadding = 0, dilation = 1 } = options;
  const c = -stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
  return `${stride === 1 ? x : `${stride}·${x}`}${signed(c)}`;
}
