/**
 * The package "gradlens": an autograd engine with PyTorch's semantics and names.
 *
 * @example
 * import * as torch from "gradlens";
 * const x = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const a = x.sub(2).pow(2).mul(3).mean();
 * a.backward();
 * console.log(x.grad!.toString());   // tensor([[-1.5000,  0.0000], [ 1.5000,  3.0000]])
 */
export { Tensor } from "./tensor";
export type { DType, TensorLike, ValuesIndices } from "./tensor";
export * from "./factories";
export * from "./functions";
export * from "./indexingFunctions";
export { cat, stack } from "./ops/join";
/** `torch.slice(start?, end?, step?)`: Python's `start:end:step` for `x.index(...)`. */
export { sliceOf as slice, Slice } from "./ops/indexing";
export type { IndexItem } from "./ops/indexing";
export { manualSeed } from "./random";
export { setNumThreads, getNumThreads } from "./kernels/kernelThreads";
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from "./autograd/gradMode";
export * as autograd from "./autograd/index";
export { EngineError, RuntimeError, IndexError, ValueError, TorchTypeError } from "./errors";
export type { FailureReason, FailureKind, ReasonOf } from "./failureReasons";
export * as trace from "./trace/index";

/** dtype names, as `torch.float32` etc. */
export const float32 = "float32" as const;
export const float = "float32" as const;
export const int64 = "int64" as const;
export const long = "int64" as const;
export const bool = "bool" as const;
export * as nn from "./nn/index";
export * as optim from "./optim/index";
export * as shapes from "./nn/shapes";
/** The front ends in TensorFlow's and MXNet's styles (model files import "gradlens/tf", "gradlens/mxnet"). */
export * as tf from "./tf/index";
export * as mxnet from "./mxnet/index";
