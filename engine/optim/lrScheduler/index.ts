/**
 * `optim.lrScheduler`: PyTorch's learning-rate schedulers (`torch.optim.lr_scheduler`).
 * @example
 * const sched = new optim.lrScheduler.StepLR(opt, 10, { gamma: 0.5 });
 * for (let epoch = 0; epoch < 30; epoch++) { train(); sched.step(); }
 */
export { LRScheduler } from "./scheduler";
export type { SchedulerState } from "./scheduler";
export { LambdaLR, StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR } from "./schedules";
export type { StepLROptions, CosineAnnealingLROptions } from "./schedules";
export { ReduceLROnPlateau } from "./plateau";
export type { ReduceLROnPlateauOptions } from "./plateau";
