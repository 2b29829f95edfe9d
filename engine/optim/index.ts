/**
 * `optim`: optimizers with PyTorch's update rules and defaults, and `lrScheduler`.
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.03 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export { Optimizer } from "./optimizer";
export type { ParamGroup, ParamsArg, ParamState, OptimizerStateDict } from "./optimizer";
export { SGD } from "./sgd";
export type { SGDOptions } from "./sgd";
export { Adam, AdamW } from "./adam";
export type { AdamOptions } from "./adam";
export { RMSprop } from "./rmsprop";
export type { RMSpropOptions } from "./rmsprop";
export { Adagrad } from "./adagrad";
export type { AdagradOptions } from "./adagrad";
export * as lrScheduler from "./lrScheduler/index";
