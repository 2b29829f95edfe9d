/**
 * `nn.Dropout`, `nn.Dropout1d`, `nn.Dropout2d` and `nn.Embedding`: the layers whose
 * behaviour draws from the generator (dropout masks, embedding initialisation), each as
 * PyTorch draws after `torch.manualSeed`.
 */
import { Tensor } from "../tensor";
import { TorchAssertionError, ValueError } from "../errors";
import { Module, Parameter } from "./module";
import { dropout, dropout1d, dropout2d } from "../ops/dropout";
import { embedding } from "../ops/embedding";
import { emptyParameter } from "./linear";
import { normal_ } from "./init";
import { noGrad } from "../autograd/gradMode";
import { PositionalOr, optionsFrom, pyBool, pyFloat } from "./args";

/** Options of the dropout layers. */
export interface DropoutOptions {
  /** Probability of zeroing (default 0.5). */
  p?: number;
  /** Accepted for PyTorch's signature; the output is always a new tensor. */
  inplace?: boolean;
}

abstract class DropoutBase extends Module {
  readonly p: number;
  readonly inplace: boolean;

  constructor(...args: PositionalOr<[p?: number, inplace?: boolean], DropoutOptions>) {
    super();
    const o = optionsFrom<DropoutOptions>(`${new.target.name}.__init__`, ["p", "inplace"], args);
    this.p = o.p ?? 0.5;
    this.inplace = o.inplace ?? false;
    if (this.p < 0 || this.p > 1)
      throw new ValueError(`dropout probability has to be between 0 and 1, but got ${this.p}`);
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(this.inplace)}`;
  }
}

/**
 * Zeroes elements with probability p in training, scaling the rest by 1/(1 − p); the identity
 * in eval mode (PyTorch's `nn.Dropout`). Masks match PyTorch's after `torch.manualSeed`.
 * @example const drop = new nn.Dropout(0.2);
 */
export class Dropout extends DropoutBase {
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }
}

/** Zeroes whole channels of [N, C, L] (PyTorch's `nn.Dropout1d`). */
export class Dropout1d extends DropoutBase {
  forward(x: Tensor): Tensor {
    return dropout1d(x, this.p, this.training);
  }
}

/** Zeroes whole channels of [N, C, H, W] (PyTorch's `nn.Dropout2d`). */
export class Dropout2d extends DropoutBase {
  forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, this.training);
  }
}

/** Options of `nn.Embedding`. */
export interface EmbeddingOptions {
  /** A row that gets zeros at construction and no gradient. */
  paddingIdx?: number | null;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, initialised N(0, 1)
 * (PyTorch's `nn.Embedding`); gradFn `EmbeddingBackward0`.
 * @example new nn.Embedding(1000, 64).forward(torch.tensor([[1, 5, 7]])).shape   // [1, 3, 64]
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  weight: Parameter;

  constructor(
    numEmbeddings: number,
    embeddingDim: number,
    ...args: PositionalOr<[paddingIdx?: number | null], EmbeddingOptions>
  ) {
    super();
    const o = optionsFrom<EmbeddingOptions>("Embedding.__init__", ["paddingIdx"], args);
    const pad = o.paddingIdx ?? null;
    if (pad !== null && (pad >= numEmbeddings || pad < -numEmbeddings)) {
      throw new TorchAssertionError("Padding_idx must be within num_embeddings");
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = pad === null ? null : pad < 0 ? pad + numEmbeddings : pad;
    this.weight = emptyParameter([numEmbeddings, embeddingDim]);
    this.resetParameters();
  }

  /** N(0, 1), then the padding row zeroed (PyTorch's `reset_parameters`). */
  resetParameters(): void {
    normal_(this.weight);
    const pad = this.paddingIdx;
    if (pad !== null)
      noGrad(() =>
        this.weight._values.fill(0, pad * this.embeddingDim, (pad + 1) * this.embeddingDim),
      );
  }

  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? "" : `, padding_idx=${this.paddingIdx}`}`;
  }
}
