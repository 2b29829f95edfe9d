/**
 * Why an engine call failed, as data: every engine error (engine/errors.ts) carries one of these
 * beside PyTorch's message, so that tools (the extension's explanations and quick fixes) read the
 * numbers instead of parsing the text. The kinds follow the errors the engine throws; a message
 * can change its wording without any reader noticing. Shapes are plain number arrays.
 *
 * @example
 * try { torch.randn(1, 1000).matmul(torch.randn(600, 60)); }
 * catch (e) { (e as RuntimeError).reason; } // { kind: "matmulShapes", a: [1, 1000], b: [600, 60] }
 */
export type FailureReason =
  // ---- shapes of the operands ------------------------------------------------------------
  /** A matrix product's operands do not fit: `a`'s last dim is not `b`'s first (mm, addmm, mv, dot, bmm). */
  | { kind: "matmulShapes"; a: number[]; b: number[] }
  /** Two shapes do not broadcast: at `dim` (counted in the broadcast shape) `sizeA` ≠ `sizeB`, neither 1. */
  | { kind: "broadcast"; a: number[]; b: number[]; dim: number; sizeA: number; sizeB: number }
  /** `expand` to `target` cannot keep `shape` (`dim` has a size other than 1 that differs). */
  | { kind: "expandSize"; shape: number[]; target: number[]; dim: number }
  /** `view`/`reshape` to `shape` (may hold one -1) cannot hold `numel` elements. */
  | { kind: "viewSize"; shape: number[]; numel: number }
  /** `view` of a tensor whose strides do not allow that shape without a copy (use reshape). */
  | { kind: "viewStrides"; shape: number[]; target: number[] }
  /** Tensors joined along `dim` (`cat`, `stack`) whose other sizes differ: entry `entry` has `got`, the first `expected`. */
  | { kind: "joinSizes"; dim: number; entry: number; expected: number[]; got: number[] }
  /** An input with the wrong number of dims: the op takes `min` to `max` dims (no `max`: no limit). */
  | { kind: "inputDims"; input: number[]; min: number; max?: number }
  /** A dim argument outside [-ndim, ndim - 1]. */
  | { kind: "dimOutOfRange"; dim: number; ndim: number }
  /** An index past a dim's size (`select`, `narrow`, indexing, gather/scatter). */
  | { kind: "indexOutOfRange"; index: number; size: number; dim?: number }
  // ---- layers' settings against their input -----------------------------------------------
  /**
   * A convolution's input has `got` channels, its weight (shape `weight`) wants `expected`
   * (= the layer's inChannels; for a transposed conv weight[0]).
   */
  | {
      kind: "convChannels";
      expected: number;
      got: number;
      weight: number[];
      input: number[];
      groups: number;
      transposed: boolean;
    }
  /** The kernel (with dilation) is larger than the input per channel after padding. */
  | { kind: "kernelTooLarge"; paddedInput: number[]; kernel: number[]; input: number[] }
  /** A conv or pool would make an output of size `output` (some dim < 1) from `input` per channel. */
  | { kind: "outputTooSmall"; input: number[]; output: number[] }
  /** A batch norm's running stats (or affine weight) hold `expected` features; the input has `got` channels. */
  | { kind: "normFeatures"; expected: number; got: number; input: number[] }
  /** A layer norm's normalized shape is not the input's last dims. */
  | { kind: "normalizedShape"; normalizedShape: number[]; input: number[] }
  /** A group norm's channels do not split into `numGroups` groups. */
  | { kind: "groupNormGroups"; numGroups: number; channels: number; input: number[] }
  /** An embedding lookup with indices outside [0, numEmbeddings): `bad` are the offending values. */
  | { kind: "embeddingIndex"; numEmbeddings: number; bad: number[] }
  // ---- losses ------------------------------------------------------------------------------
  /** A classification loss's input has `input` rows, its target `target` entries. */
  | { kind: "batchSize"; input: number; target: number }
  /** A loss given a target of another shape than its input. */
  | { kind: "targetSize"; input: number[]; target: number[] }
  /** A class index outside [0, classes). */
  | { kind: "targetOutOfBounds"; target: number; classes: number }
  /** A tensor of the wrong dtype (`expected` as PyTorch names it: "Long", "Float", "Bool"). */
  | { kind: "dtype"; expected: string; got: string }
  // ---- autograd ----------------------------------------------------------------------------
  /** `backward` of output `index`, which depends on nothing that requires grad. */
  | { kind: "noGrad"; index: number }
  /** `backward()` without a gradient on an output that is not a scalar. */
  | { kind: "nonScalarBackward"; shape: number[] }
  /** A second backward through a graph whose saved tensors were freed (retainGraph). */
  | { kind: "retainGraph" }
  /** An in-place op on a leaf that requires grad (or on a view of one). */
  | { kind: "inPlaceLeaf"; view: boolean }
  /** A tensor saved for backward was changed in place since. */
  | {
      kind: "versionMismatch";
      shape: number[];
      version: number;
      expected: number;
      /** The op whose output it is (`ReluBackward0`), when known. */
      producer?: string;
    }
  /** A backward (a user's Function) returned a gradient of the wrong shape or count. */
  | { kind: "gradientShape"; op: string; index: number; got: number[]; expected: number[] }
  | { kind: "gradientCount"; op: string; expected: number; got: number }
  // ---- everything else ---------------------------------------------------------------------
  /** A bad argument value or combination (negative padding, an unknown reduction, an invalid lr). */
  | { kind: "invalidArgument"; argument?: string }
  /** Not yet given a kind of its own: the message says it all. */
  | { kind: "unclassified" };

/** The kinds, as a type. */
export type FailureKind = FailureReason["kind"];

/** The reason of kind `K`. */
export type ReasonOf<K extends FailureKind> = Extract<FailureReason, { kind: K }>;
