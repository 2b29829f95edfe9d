/** `torch.autograd`: users' Functions, `backward`, `grad`, and grad-mode switches. */
export { Function } from "./function";
export type { Context } from "./function";
export { backward, grad } from "./backward";
export type { BackwardOptions } from "./backward";
export { Node, AccumulateGrad } from "./node";
export type { Edge, TensorHook } from "./node";
export { RemovableHandle } from "./handle";
