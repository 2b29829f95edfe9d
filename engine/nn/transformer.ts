/**
 * `nn.TransformerEncoderLayer` and `nn.TransformerEncoder`, as PyTorch 1.13 runs them when
 * gradients are wanted (the composed path, never its fused inference kernel): self-attention
 * and a two-layer feed-forward block, each with dropout and a residual connection, layer norm
 * after each (or before, with `normFirst`). Field names are PyTorch's, so parameters are named
 * `self_attn.in_proj_weight`, `linear1.weight`, `norm1.bias`, … and the initial values after
 * `torch.manualSeed` are PyTorch's (attention, then linear1, then linear2).
 */
import { Tensor } from "../tensor";
import { AssertionError, RuntimeError } from "../errors";
import { Module } from "./module";
import { Linear } from "./linear";
import { LayerNorm } from "./normalization";
import { Dropout } from "./dropout";
import { MultiheadAttention } from "./attention";
import { ModuleList } from "./container";
import { deepCopy } from "./deepCopy";
import { relu } from "./functional";
import { gelu } from "../ops/pointwise";
import { PositionalOr, optionsFrom } from "./positional";

/** A feed-forward activation: PyTorch's names, a function, or a module (`new nn.GELU()`). */
export type TransformerActivation = "relu" | "gelu" | ((x: Tensor) => Tensor) | Module;

/** Options of `nn.TransformerEncoderLayer` (PyTorch's keyword arguments and defaults). */
export interface TransformerEncoderLayerOptions {
  /** Width of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block (default 0.1). */
  dropout?: number;
  /** Default "relu". */
  activation?: TransformerActivation;
  /** eps of both layer norms (default 1e-5). */
  layerNormEps?: number;
  /** [batch, seq, feature] instead of [seq, batch, feature] (default false). */
  batchFirst?: boolean;
  /** Layer norm before attention and feed-forward instead of after (default false). */
  normFirst?: boolean;
}

/** Options of the encoders' `forward`. */
export interface EncoderMasks {
  /** [seq, seq] or [batch·heads, seq, seq]: true (or −inf) where attention is not allowed. */
  srcMask?: Tensor | null;
  /** [batch, seq]: true where a position is padding. */
  srcKeyPaddingMask?: Tensor | null;
}

function activationFunction(a: TransformerActivation): (x: Tensor) => Tensor {
  if (a === "relu") return relu;
  if (a === "gelu") return (x) => gelu(x);
  if (a instanceof Module) return (x) => a.forward(x) as Tensor;
  if (typeof a === "function") return a;
  throw new RuntimeError(`activation should be relu/gelu, not ${String(a)}`);
}

/** The masks of a forward call, with PyTorch's check of the padding mask's dtype. */
function encoderMasks(fn: string, args: readonly unknown[]): EncoderMasks {
  const m = optionsFrom<EncoderMasks>(fn, ["srcMask", "srcKeyPaddingMask"], args);
  const pad = m.srcKeyPaddingMask;
  if (pad && pad.dtype !== "bool" && pad.dtype !== "float32")
    throw new AssertionError("only bool and floating types of key_padding_mask are supported");
  return m;
}

/**
 * One encoder block of "Attention Is All You Need" (PyTorch's `nn.TransformerEncoderLayer`):
 * x = norm1(x + dropout1(selfAttn(x))), then x = norm2(x + dropout2(linear2(dropout(act(linear1(x)))))).
 * @example
 * const layer = new nn.TransformerEncoderLayer(64, 4, { dimFeedforward: 128, batchFirst: true });
 * layer.forward(torch.randn(8, 32, 64)).shape   // [8, 32, 64]
 */
export class TransformerEncoderLayer extends Module {
  self_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  readonly normFirst: boolean;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  /** The feed-forward activation as given (a module given here is a child, as in PyTorch). */
  readonly activation: TransformerActivation;
  private readonly act: (x: Tensor) => Tensor;

  constructor(
    dModel: number,
    nhead: number,
    ...args: PositionalOr<
      [
        dimFeedforward: number,
        dropout: number,
        activation: TransformerActivation,
        layerNormEps: number,
        batchFirst: boolean,
        normFirst: boolean,
      ],
      TransformerEncoderLayerOptions
    >
  ) {
    super();
    const o = optionsFrom<TransformerEncoderLayerOptions>(
      "TransformerEncoderLayer.__init__",
      ["dimFeedforward", "dropout", "activation", "layerNormEps", "batchFirst", "normFirst"],
      args,
    );
    const p = o.dropout ?? 0.1;
    const ff = o.dimFeedforward ?? 2048;
    const eps = o.layerNormEps ?? 1e-5;
    this.self_attn = new MultiheadAttention(dModel, nhead, {
      dropout: p,
      batchFirst: o.batchFirst,
    });
    this.linear1 = new Linear(dModel, ff);
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(ff, dModel);
    this.normFirst = o.normFirst ?? false;
    this.norm1 = new LayerNorm(dModel, { eps });
    this.norm2 = new LayerNorm(dModel, { eps });
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    this.activation = o.activation ?? "relu";
    this.act = activationFunction(this.activation);
  }

  /** `forward(src, srcMask?, srcKeyPaddingMask?)`, or the masks as options. */
  forward(
    src: Tensor,
    ...args: PositionalOr<[srcMask: Tensor | null, srcKeyPaddingMask: Tensor | null], EncoderMasks>
  ): Tensor {
    const m = encoderMasks("TransformerEncoderLayer.forward", args);
    let x = src;
    if (this.normFirst) {
      x = x.add(this.selfAttentionBlock(this.norm1.forward(x), m));
      return x.add(this.feedForwardBlock(this.norm2.forward(x)));
    }
    x = this.norm1.forward(x.add(this.selfAttentionBlock(x, m)));
    return this.norm2.forward(x.add(this.feedForwardBlock(x)));
  }

  private selfAttentionBlock(x: Tensor, m: EncoderMasks): Tensor {
    const [out] = this.self_attn.forward(x, x, x, {
      attnMask: m.srcMask ?? null,
      keyPaddingMask: m.srcKeyPaddingMask ?? null,
      needWeights: false,
    });
    return this.dropout1.forward(out);
  }

  private feedForwardBlock(x: Tensor): Tensor {
    const hidden = this.dropout.forward(this.act(this.linear1.forward(x)));
    return this.dropout2.forward(this.linear2.forward(hidden));
  }
}

/** Options of `nn.TransformerEncoder`. */
export interface TransformerEncoderOptions {
  /** A layer norm applied to the last layer's output (default none). */
  norm?: Module | null;
  /** Accepted for PyTorch's signature: Gradlens has no nested tensors, so this changes nothing. */
  enableNestedTensor?: boolean;
  /** Accepted for PyTorch's signature (it checks masks for its nested-tensor path). */
  maskCheck?: boolean;
}

/**
 * `numLayers` copies of `encoderLayer` run in turn, then `norm` if given (PyTorch's
 * `nn.TransformerEncoder`). As in PyTorch the layers are deep copies: each starts with the
 * given layer's values and has its own parameters (`layers.0.linear1.weight`, …).
 * @example
 * const layer = new nn.TransformerEncoderLayer(64, 4, { batchFirst: true });
 * const encoder = new nn.TransformerEncoder(layer, 2, { norm: new nn.LayerNorm(64) });
 */
export class TransformerEncoder extends Module {
  layers: ModuleList;
  readonly numLayers: number;
  norm: Module | null;
  readonly enableNestedTensor: boolean;
  readonly maskCheck: boolean;

  constructor(
    encoderLayer: TransformerEncoderLayer,
    numLayers: number,
    ...args: PositionalOr<
      [norm: Module | null, enableNestedTensor: boolean, maskCheck: boolean],
      TransformerEncoderOptions
    >
  ) {
    super();
    const o = optionsFrom<TransformerEncoderOptions>(
      "TransformerEncoder.__init__",
      ["norm", "enableNestedTensor", "maskCheck"],
      args,
    );
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => deepCopy(encoderLayer)));
    this.numLayers = numLayers;
    this.norm = o.norm ?? null;
    this.enableNestedTensor = o.enableNestedTensor ?? true;
    this.maskCheck = o.maskCheck ?? true;
  }

  /** `forward(src, mask?, srcKeyPaddingMask?)`, or the masks as options (`srcMask` is `mask`). */
  forward(
    src: Tensor,
    ...args: PositionalOr<[mask: Tensor | null, srcKeyPaddingMask: Tensor | null], EncoderMasks>
  ): Tensor {
    const m = encoderMasks("TransformerEncoder.forward", args);
    let out = src;
    for (const layer of this.layers) out = (layer as TransformerEncoderLayer).forward(out, m);
    return this.norm ? (this.norm.forward(out) as Tensor) : out;
  }
}
