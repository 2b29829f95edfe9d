/** `torch.trace`: the hook through which tools observe ops and gradients. */
export { setTraceListener } from "./recorder";
export type {
  TraceListener,
  OpEvent,
  GradEvent,
  InPlaceViewEvent,
  BackwardEvent,
  BackwardNodeEvent,
  OptimizerStepEvent,
} from "./recorder";
export { traceModule } from "./recorder";
export { resetGlobalState } from "./freshState";
