/**
 * `nn.MultiheadAttention`, run as PyTorch 1.13's `F.multi_head_attention_forward` runs it
 * when gradients are wanted (its "slow path"): one packed input projection, heads folded into
 * the batch, scaled `bmm` (`baddbmm` with a mask), softmax, dropout, `bmm` with the values,
 * the output projection, and the attention weights averaged over heads. The graph shows the
 * same nodes PyTorch's does.
 */
import { Tensor } from "../tensor";
import { Module, Parameter } from "./module";
import { torchSize } from "../shape";
import { Linear, emptyParameter } from "./linear";
import { linear, softmax } from "./functional";
import { constant_, xavierUniform_ } from "./init";
import { cpuDropout } from "./cpuDropout";
import { baddbmm, bmm } from "../ops/matmul";
import { chunk, split } from "../ops/join";
import { contiguous, squeeze, transpose, unsqueeze, view } from "../ops/view";
import { AssertionError, RuntimeError } from "../errors";

/** PyTorch's name for the output projection's class (it prints as such). */
export class NonDynamicallyQuantizableLinear extends Linear {}

/** Options of `nn.MultiheadAttention` (PyTorch's keyword arguments). */
export interface MultiheadAttentionOptions {
  /** Dropout on the attention weights, in training mode. */
  dropout?: number;
  bias?: boolean;
  /** Inputs and output as [batch, seq, embed] instead of [seq, batch, embed]. */
  batchFirst?: boolean;
}

/** Options of `MultiheadAttention.forward`. */
export interface AttentionCallOptions {
  /** [batch, srcLen]: true (or −inf) where a key is padding and must get no attention. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** [tgtLen, srcLen] or [batch·heads, tgtLen, srcLen]: true where attention is not allowed, or added to the scores. */
  attnMask?: Tensor | null;
  /** Average the weights over heads (default true), else one map per head. */
  averageAttnWeights?: boolean;
}

/** A mask as additive scores: a bool mask becomes −inf where true (PyTorch's conversion). */
function additive(mask: Tensor): Float32Array {
  if (mask.dtype !== "bool") return mask._values;
  return Float32Array.from(mask._values, (v) => (v ? -Infinity : 0));
}

/**
 * The mask to add to the scores [bsz·heads, tgt, src], or null: `attnMask` (as given when it
 * is a float tensor alone, so a gradient can reach it) with the key padding mask folded in.
 */
function scoreMask(
  attnMask: Tensor | null,
  keyPadding: Tensor | null,
  bsz: number,
  heads: number,
  tgt: number,
  src: number,
): Tensor | null {
  if (attnMask && !(attnMask.dtype === "float32" || attnMask.dtype === "bool"))
    throw new AssertionError(
      `Only float, byte, and bool types are supported for attn_mask, not ${attnMask.dtype}`,
    );
  let mask = attnMask;
  if (mask && mask.dim() === 2) {
    if (mask.shape[0] !== tgt || mask.shape[1] !== src)
      throw new RuntimeError(
        `The shape of the 2D attn_mask is ${torchSize(mask.shape)}, but should be (${tgt}, ${src}).`,
      );
    mask = unsqueeze(mask, 0);
  } else if (mask && mask.dim() === 3) {
    if (mask.shape.join() !== [bsz * heads, tgt, src].join())
      throw new RuntimeError(
        `The shape of the 3D attn_mask is ${torchSize(mask.shape)}, but should be (${bsz * heads}, ${tgt}, ${src}).`,
      );
  } else if (mask) {
    throw new RuntimeError(`attn_mask's dimension ${mask.dim()} is not supported`);
  }
  if (!keyPadding)
    return mask && mask.dtype === "bool" ? Tensor._make(additive(mask), mask.shape.slice()) : mask;
  if (keyPadding.shape.join() !== [bsz, src].join())
    throw new AssertionError(
      `expecting key_padding_mask shape of (${bsz}, ${src}), but got ${torchSize(keyPadding.shape)}`,
    );
  // [bsz, src] repeated per head and query, plus the attention mask broadcast over the batch
  const pad = additive(keyPadding);
  const base = mask ? additive(mask) : null;
  const rows = mask ? mask.shape[0] : 1;
  const out = new Float32Array(bsz * heads * tgt * src);
  for (let b = 0; b < bsz * heads; b++) {
    for (let i = 0; i < tgt; i++) {
      for (let j = 0; j < src; j++) {
        const m = base ? base[((rows === 1 ? 0 : b) * tgt + i) * src + j] : 0;
        out[(b * tgt + i) * src + j] = m + pad[Math.floor(b / heads) * src + j];
      }
    }
  }
  return Tensor._make(out, [bsz * heads, tgt, src]);
}

/**
 * Attention over several heads, softmax(Q·Kᵀ/√d)·V per head, with packed input projections
 * and an output projection (PyTorch's `nn.MultiheadAttention`). `forward(query, key, value)`
 * returns `[output, weights]`: output shaped as the query, weights [batch, tgt, src] averaged
 * over heads (or [batch, heads, tgt, src]; null without `needWeights`).
 * @example
 * const mha = new nn.MultiheadAttention(64, 4, { batchFirst: true });
 * const [y, w] = mha.forward(x, x, x);   // self-attention over x [8, 32, 64]
 */
export class MultiheadAttention extends Module {
  in_proj_weight: Parameter;
  in_proj_bias: Parameter | null;
  out_proj: NonDynamicallyQuantizableLinear;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    { dropout = 0, bias = true, batchFirst = false }: MultiheadAttentionOptions = {},
  ) {
    super();
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim)
      throw new AssertionError("embed_dim must be divisible by num_heads");
    this.dropout = dropout;
    this.batchFirst = batchFirst;
    this.in_proj_weight = emptyParameter([3 * embedDim, embedDim]);
    this.in_proj_bias = bias ? emptyParameter([3 * embedDim]) : null;
    // the output projection draws Linear's initial values first, as in PyTorch
    this.out_proj = new NonDynamicallyQuantizableLinear(embedDim, embedDim, { bias });
    this.resetParameters();
  }

  /** Xavier-uniform input projection, zero biases (PyTorch's `_reset_parameters`). */
  resetParameters(): void {
    xavierUniform_(this.in_proj_weight);
    if (this.in_proj_bias) {
      constant_(this.in_proj_bias, 0);
      constant_(this.out_proj.bias!, 0);
    }
  }

  forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    options: AttentionCallOptions = {},
  ): [output: Tensor, weights: Tensor | null] {
    const { needWeights = true, averageAttnWeights = true } = options;
    let keyPadding = options.keyPaddingMask ?? null;
    if (keyPadding && keyPadding.dtype !== "bool" && keyPadding.dtype !== "float32")
      throw new AssertionError("only bool and floating types of key_padding_mask are supported");
    const isBatched = query.dim() === 3;
    let [q, k, v] = [query, key, value];
    if (this.batchFirst && isBatched) {
      // one transpose per distinct tensor, as PyTorch does for self-attention
      q = transpose(query, 1, 0);
      k = key === query ? q : transpose(key, 1, 0);
      v = value === key ? k : transpose(value, 1, 0);
    } else if (!isBatched) {
      [q, k, v] = [unsqueeze(q, 1), unsqueeze(k, 1), unsqueeze(v, 1)];
      if (keyPadding) keyPadding = unsqueeze(keyPadding, 0);
    }
    const [out, weights] = this.attend(
      q,
      k,
      v,
      key === query && value === key,
      keyPadding,
      options.attnMask ?? null,
      needWeights,
      averageAttnWeights,
    );
    if (!isBatched) return [squeeze(out, 1), weights && squeeze(weights, 0)];
    return [this.batchFirst ? transpose(out, 1, 0) : out, weights];
  }

  /** PyTorch's `multi_head_attention_forward` on [seq, batch, embed] inputs. */
  private attend(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    selfAttention: boolean,
    keyPadding: Tensor | null,
    attnMask: Tensor | null,
    needWeights: boolean,
    average: boolean,
  ): [Tensor, Tensor | null] {
    const [tgt, bsz, embed] = query.shape;
    const heads = this.numHeads;
    if (embed !== this.embedDim)
      throw new AssertionError(
        `was expecting embedding dimension of ${this.embedDim}, but got ${embed}`,
      );
    if (key.shape.join() !== value.shape.join())
      throw new AssertionError(
        `key shape ${torchSize(key.shape)} does not match value shape ${torchSize(value.shape)}`,
      );
    const [q0, k0, v0] = this.project(query, key, value, selfAttention);
    const src = key.shape[0];
    const mask = scoreMask(attnMask, keyPadding, bsz, heads, tgt, src);
    const split = (t: Tensor, len: number) =>
      transpose(view(contiguous(t), [len, bsz * heads, this.headDim]), 0, 1);
    const q = split(q0, tgt);
    const k = split(k0, src);
    const v = split(v0, src);
    const scaled = q.div(Math.sqrt(this.headDim));
    const kT = transpose(k, -2, -1);
    let weights = softmax(mask ? baddbmm(mask, scaled, kT) : bmm(scaled, kT), -1);
    if (this.training && this.dropout > 0) weights = cpuDropout(weights, this.dropout);
    const heads2d = view(contiguous(transpose(bmm(weights, v), 0, 1)), [tgt * bsz, embed]);
    const projected = linear(heads2d, this.out_proj.weight, this.out_proj.bias);
    const out = view(projected, [tgt, bsz, projected.shape[1]]);
    if (!needWeights) return [out, null];
    const perHead = view(weights, [bsz, heads, tgt, src]);
    return [out, average ? perHead.sum(1).div(heads) : perHead];
  }

  /** q, k, v projections from the packed weight (one linear for self-attention, as PyTorch). */
  private project(query: Tensor, key: Tensor, value: Tensor, selfAttention: boolean): Tensor[] {
    const w = this.in_proj_weight;
    const b = this.in_proj_bias;
    if (selfAttention) return chunk(linear(query, w, b), 3, -1);
    const E = this.embedDim;
    if (key === value) {
      // encoder-decoder attention: the key and value projections in one linear
      const [wq, wkv] = split(w, [E, 2 * E]);
      const [bq, bkv] = b ? split(b, [E, 2 * E]) : [null, null];
      return [linear(query, wq, bq), ...chunk(linear(key, wkv, bkv), 2, -1)];
    }
    const [wq, wk, wv] = chunk(w, 3);
    const [bq, bk, bv] = b ? chunk(b, 3) : [null, null, null];
    return [linear(query, wq, bq), linear(key, wk, bk), linear(value, wv, bv)];
  }
}
