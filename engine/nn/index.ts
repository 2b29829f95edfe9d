/**
 * `nn`: layers, losses, containers, initialisation and `functional`, with PyTorch's names.
 * @example
 * import { nn } from "gradlens";
 * const F = nn.functional;
 * const conv = new nn.Conv2d(1, 6, 5, { padding: 2 });
 */
export { Module, Parameter } from "./module";
export { Linear, Identity } from "./linear";
export { Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d } from "./conv";
export type { PaddingMode, ConvModuleOptions, ConvTransposeModuleOptions } from "./conv";
export {
  MaxPool2d,
  AvgPool2d,
  MaxPool1d,
  AvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveMaxPool2d,
} from "./pool";
export {
  ReLU,
  Tanh,
  Sigmoid,
  Softmax,
  LogSoftmax,
  LeakyReLU,
  ELU,
  GELU,
  SiLU,
  Softplus,
  Hardtanh,
  Flatten,
  Unflatten,
} from "./activation";
export { BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm } from "./normalization";
export type { BatchNormOptions, LayerNormOptions, GroupNormOptions } from "./normalization";
export { Dropout, Dropout1d, Dropout2d, Embedding } from "./dropout";
export type { DropoutOptions, EmbeddingOptions } from "./dropout";
export { Upsample } from "./upsample";
export {
  MSELoss,
  CrossEntropyLoss,
  NLLLoss,
  BCELoss,
  BCEWithLogitsLoss,
  L1Loss,
  SmoothL1Loss,
  HuberLoss,
  KLDivLoss,
} from "./loss";
export { Sequential, ModuleList, ModuleDict } from "./container";
export * as functional from "./functional";
export * as init from "./init";
export { RNN, LSTM, GRU } from "./rnn";
export type { RecurrentOptions, RNNOptions } from "./rnn";
export { RNNCell, LSTMCell, GRUCell } from "./rnnCells";
export type { CellOptions, LSTMState } from "./rnnCells";
export { MultiheadAttention, NonDynamicallyQuantizableLinear } from "./attention";
export type { MultiheadAttentionOptions, AttentionCallOptions } from "./attention";
export { TransformerEncoderLayer, TransformerEncoder } from "./transformer";
export type {
  TransformerEncoderLayerOptions,
  TransformerEncoderOptions,
  TransformerActivation,
  EncoderMasks,
} from "./transformer";
export * as utils from "./utils";
export type { ForwardHook, ForwardPreHook, BackwardHook } from "./hooks";
