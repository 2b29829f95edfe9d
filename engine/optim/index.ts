/**
 * `optim`: optimizers with PyTorch's update rules and defaults.
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.03 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export { Optimizer } from "./optimizer";
export type { ParamGroup, ParamsArg } from "./optimizer";
export { SGD } from "./sgd";
export type { SGDOptions } from "./sgd";
export { Adam } from "./adam";
export type { AdamOptions } from "./adam";
