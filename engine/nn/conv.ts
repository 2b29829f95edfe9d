/**
 * `nn.Conv1d`, `nn.Conv2d`, `nn.ConvTranspose1d`, `nn.ConvTranspose2d`, after PyTorch's
 * `_ConvNd`: the same argument checks and messages, weight shapes ([out, in/groups, *kernel],
 * or [in, out/groups, *kernel] transposed), initialisation and draw order, and `paddingMode`
 * (non-zero modes pad with `F.pad` first, then convolve without padding).
 */
import { Tensor } from "../tensor";
import { ValueError } from "../errors";
import { Module, Parameter } from "./module";
import { bracketed, pyTuple, torchSize } from "../shape";
import { emptyParameter, resetWeightAndBias } from "./linear";
import { conv1d, conv2d, convTranspose1d, convTranspose2d, pad } from "./functional";
import { convTransposeOutSize, samePaddingLeft } from "./shapes";
import { PositionalOr, optionsFrom } from "./positional";

/** How a conv module fills its padding. */
export type PaddingMode = "zeros" | "reflect" | "replicate" | "circular";

/** Options of `Conv1d`/`Conv2d`: a number for every dim, or one per dim (`[h, w]`). */
export interface ConvModuleOptions {
  stride?: number | number[];
  /** Numbers, `"valid"` or `"same"`. */
  padding?: number | number[] | "same" | "valid";
  dilation?: number | number[];
  groups?: number;
  bias?: boolean;
  paddingMode?: PaddingMode;
}

/** Options of `ConvTranspose1d`/`ConvTranspose2d`. */
export interface ConvTransposeModuleOptions {
  stride?: number | number[];
  padding?: number | number[];
  outputPadding?: number | number[];
  groups?: number;
  bias?: boolean;
  dilation?: number | number[];
  paddingMode?: "zeros";
}

/** `Conv1d`/`Conv2d`'s parameters after the kernel size, in PyTorch's order. */
type ConvPositional = [
  stride: number | number[],
  padding: number | number[] | "same" | "valid",
  dilation: number | number[],
  groups: number,
  bias: boolean,
  paddingMode: PaddingMode,
];
const CONV_NAMES = ["stride", "padding", "dilation", "groups", "bias", "paddingMode"] as const;

/** `ConvTranspose1d`/`ConvTranspose2d`'s, in PyTorch's order (dilation after bias). */
type ConvTransposePositional = [
  stride: number | number[],
  padding: number | number[],
  outputPadding: number | number[],
  groups: number,
  bias: boolean,
  dilation: number | number[],
  paddingMode: "zeros",
];
const CONV_TRANSPOSE_NAMES = [
  "stride",
  "padding",
  "outputPadding",
  "groups",
  "bias",
  "dilation",
  "paddingMode",
] as const;

/** The trailing arguments of a conv layer: PyTorch's positional ones, or options, or both. */
export type ConvModuleArgs = PositionalOr<ConvPositional, ConvModuleOptions>;
/** The trailing arguments of a transposed conv layer. */
export type ConvTransposeModuleArgs = PositionalOr<
  ConvTransposePositional,
  ConvTransposeModuleOptions
>;

const tuple = (v: number | number[], n: number): number[] =>
  Array.isArray(v) ? v.slice() : new Array<number>(n).fill(v);

/** What Conv and ConvTranspose share: checks, parameters, initialisation, printing. */
abstract class ConvNd extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | "same" | "valid";
  readonly dilation: number[];
  readonly transposed: boolean;
  readonly outputPadding: number[];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  /** F.pad's argument for the non-zero padding modes: last dim first, [left, right] each. */
  protected readonly reversedPaddingRepeatedTwice: number[];

  constructor(
    dims: number,
    inChannels: number,
    outChannels: number,
    kernel: number | number[],
    o: ConvModuleOptions & { outputPadding?: number | number[] },
    transposed: boolean,
  ) {
    super();
    const groups = o.groups ?? 1;
    if (groups <= 0) throw new ValueError("groups must be a positive integer");
    if (inChannels % groups !== 0) throw new ValueError("in_channels must be divisible by groups");
    if (outChannels % groups !== 0)
      throw new ValueError("out_channels must be divisible by groups");
    const kernelSize = tuple(kernel, dims);
    const stride = tuple(o.stride ?? 1, dims);
    const dilation = tuple(o.dilation ?? 1, dims);
    const padding = o.padding ?? 0;
    if (typeof padding === "string") {
      if (padding !== "same" && padding !== "valid") {
        throw new ValueError(
          `Invalid padding string '${padding}', should be one of {'valid', 'same'}`,
        );
      }
      if (padding === "same" && stride.some((s) => s !== 1))
        throw new ValueError("padding='same' is not supported for strided convolutions");
    }
    const mode = o.paddingMode ?? "zeros";
    if (!["zeros", "reflect", "replicate", "circular"].includes(mode)) {
      throw new ValueError(
        `padding_mode must be one of {'circular', 'reflect', 'zeros', 'replicate'}, but got padding_mode='${mode}'`,
      );
    }
    this.weight = emptyParameter(
      transposed
        ? [inChannels, outChannels / groups, ...kernelSize]
        : [outChannels, inChannels / groups, ...kernelSize],
    );
    this.bias = (o.bias ?? true) ? emptyParameter([outChannels]) : null;
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = typeof padding === "string" ? padding : tuple(padding, dims);
    this.dilation = dilation;
    this.transposed = transposed;
    this.outputPadding = tuple(o.outputPadding ?? 0, dims);
    this.groups = groups;
    this.paddingMode = mode;
    this.reversedPaddingRepeatedTwice = [];
    for (let i = dims - 1; i >= 0; i--) {
      if (this.padding === "valid") this.reversedPaddingRepeatedTwice.push(0, 0);
      else if (this.padding === "same") {
        const total = dilation[i] * (kernelSize[i] - 1);
        const left = samePaddingLeft(kernelSize[i], dilation[i]);
        this.reversedPaddingRepeatedTwice.push(left, total - left);
      } else this.reversedPaddingRepeatedTwice.push(this.padding[i], this.padding[i]);
    }
    this.resetParameters();
  }

  /** Draws fresh initial values (PyTorch's `reset_parameters`: Kaiming-uniform, a = √5). */
  resetParameters(): void {
    resetWeightAndBias(this.weight, this.bias);
  }

  override extraRepr(): string {
    const dims = this.kernelSize.length;
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (typeof this.padding === "string") s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0))
      s += `, output_padding=${pyTuple(this.outputPadding.slice(0, dims))}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ", bias=False";
    if (this.paddingMode !== "zeros") s += `, padding_mode=${this.paddingMode}`;
    return s;
  }

  /** Conv forward with the padding mode applied (PyTorch's `_conv_forward`). */
  protected convForward(x: Tensor, f: typeof conv1d): Tensor {
    const opts = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode !== "zeros") {
      return f(
        pad(x, this.reversedPaddingRepeatedTwice, this.paddingMode),
        this.weight,
        this.bias,
        { ...opts, padding: 0 },
      );
    }
    return f(x, this.weight, this.bias, { ...opts, padding: this.padding });
  }
}

/**
 * 1-D convolution layer (PyTorch's `nn.Conv1d`): weight [out, in/groups, k], bias [out].
 * @example new nn.Conv1d(2, 16, 3).forward(torch.randn(1, 2, 64)).shape   // [1, 16, 62]
 */
export class Conv1d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | [number],
    ...args: ConvModuleArgs
  ) {
    super(
      1,
      inChannels,
      outChannels,
      kernelSize,
      optionsFrom<ConvModuleOptions>("Conv1d.__init__", CONV_NAMES, args),
      false,
    );
  }
  forward(x: Tensor): Tensor {
    return this.convForward(x, conv1d);
  }
}

/**
 * 2-D convolution layer (PyTorch's `nn.Conv2d`): weight [out, in/groups, kH, kW], bias [out].
 * Settings are PyTorch's positional parameters (stride, padding, dilation, groups, bias,
 * paddingMode), an options object, or positional ones followed by options.
 * @example new nn.Conv2d(20, 16, [3, 5], 1, [1, 2])   // = { stride: 1, padding: [1, 2] }
 */
export class Conv2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | [number, number],
    ...args: ConvModuleArgs
  ) {
    super(
      2,
      inChannels,
      outChannels,
      kernelSize,
      optionsFrom<ConvModuleOptions>("Conv2d.__init__", CONV_NAMES, args),
      false,
    );
  }
  forward(x: Tensor): Tensor {
    return this.convForward(x, conv2d);
  }
}

/** The transposed convolutions: only zero padding; an optional target output size. */
abstract class ConvTransposeNd extends ConvNd {
  constructor(
    dims: number,
    inC: number,
    outC: number,
    kernel: number | number[],
    o: ConvTransposeModuleOptions,
  ) {
    if ((o.paddingMode ?? "zeros") !== "zeros")
      throw new ValueError(`Only "zeros" padding mode is supported for ${new.target.name}`);
    super(dims, inC, outC, kernel, o, true);
  }

  /** PyTorch's `_output_padding`: the output padding that makes the output `outputSize`. */
  protected outputPaddingFor(x: Tensor, outputSize: number[] | undefined): number[] {
    if (!outputSize) return this.outputPadding;
    const dims = this.kernelSize.length;
    const nonSpatial = x.dim() === dims + 2 ? 2 : 1;
    const size =
      outputSize.length === nonSpatial + dims ? outputSize.slice(nonSpatial) : outputSize;
    if (size.length !== dims) {
      throw new ValueError(
        `ConvTranspose${dims}D: for ${x.dim()}D input, output_size must have ${dims} or ${nonSpatial + dims} elements (got ${outputSize.length})`,
      );
    }
    const padding = this.padding as number[];
    const min = size.map((_, d) =>
      convTransposeOutSize(x.shape[d + nonSpatial], this.kernelSize[d], {
        stride: this.stride[d],
        padding: padding[d],
        dilation: this.dilation[d],
      }),
    );
    const max = min.map((m, d) => m + this.stride[d] - 1);
    if (size.some((s, d) => s < min[d] || s > max[d])) {
      throw new ValueError(
        `requested an output size of ${bracketed(size)}, but valid sizes range from ${bracketed(min)} to ${bracketed(max)} (for an input of ${torchSize(x.shape.slice(nonSpatial))})`,
      );
    }
    return size.map((s, d) => s - min[d]);
  }

  protected transposeForward(
    x: Tensor,
    outputSize: number[] | undefined,
    f: typeof convTranspose1d,
  ): Tensor {
    return f(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding as number[],
      outputPadding: this.outputPaddingFor(x, outputSize),
      groups: this.groups,
      dilation: this.dilation,
    });
  }
}

/** 1-D transposed convolution layer (PyTorch's `nn.ConvTranspose1d`): weight [in, out/groups, k]. */
export class ConvTranspose1d extends ConvTransposeNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | [number],
    ...args: ConvTransposeModuleArgs
  ) {
    const options = optionsFrom<ConvTransposeModuleOptions>(
      "ConvTranspose1d.__init__",
      CONV_TRANSPOSE_NAMES,
      args,
    );
    super(1, inChannels, outChannels, kernelSize, options);
  }
  /** `outputSize` picks among the sizes a strided layer can produce (PyTorch's `output_size`). */
  forward(x: Tensor, outputSize?: number[]): Tensor {
    return this.transposeForward(x, outputSize, convTranspose1d);
  }
}

/**
 * 2-D transposed convolution layer (PyTorch's `nn.ConvTranspose2d`): weight [in, out/groups, kH, kW].
 * @example new nn.ConvTranspose2d(20, 10, 5, { padding: 2, stride: 3 })   // [1, 20, 6, 6] → [1, 10, 16, 16]
 */
export class ConvTranspose2d extends ConvTransposeNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | [number, number],
    ...args: ConvTransposeModuleArgs
  ) {
    const options = optionsFrom<ConvTransposeModuleOptions>(
      "ConvTranspose2d.__init__",
      CONV_TRANSPOSE_NAMES,
      args,
    );
    super(2, inChannels, outChannels, kernelSize, options);
  }
  /** `outputSize` picks among the sizes a strided layer can produce (PyTorch's `output_size`). */
  forward(x: Tensor, outputSize?: number[]): Tensor {
    return this.transposeForward(x, outputSize, convTranspose2d);
  }
}
