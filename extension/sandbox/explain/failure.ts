/**
 * A failure as data (FailureDetails): the op the trace heard fail (`onOpError`: every argument
 * check runs inside `apply` or a traced scope), its inputs, the layer it ran in, and the reason
 * the engine's error carries. Nothing here reads the error's message or its stack frames.
 */
import type { Tensor } from "../../../engine/tensor";
import type { FailureReason } from "../../../engine/failureReasons";
import type { FailedModule, FailureDetails } from "../../runProtocol/types";
import type { ModuleCall, TracedOp } from "../graph/trace";
import { displayName } from "../graph/modules";
import { describeLayer } from "./layerFormula";
import { layerSettings } from "./layerSettings";

const UNCLASSIFIED: FailureReason = { kind: "unclassified" };

/** The reason an engine error carries (a kernel's RangeError has none). */
export function reasonOf(error: unknown): FailureReason {
  const reason = (error as { reason?: FailureReason } | null)?.reason;
  return reason && typeof reason.kind === "string" ? reason : UNCLASSIFIED;
}

/** The innermost engine layer (Linear, Conv2d, BatchNorm2d, a pool, ...) whose forward `op` ran in. */
export function layerCall(op: TracedOp | null): ModuleCall | null {
  for (let c = op?.module ?? null; c; c = c.parent) {
    if (layerSettings(c.module) || describeLayer(c.module)) return c;
  }
  return null;
}

/** `net.fc1`: the names of the module calls from the outermost in. */
function pathOf(call: ModuleCall): string {
  const names: string[] = [];
  for (let c: ModuleCall | null = call; c; c = c.parent) names.unshift(c.name);
  return names.join(".");
}

function moduleOf(call: ModuleCall): FailedModule {
  const layer = layerSettings(call.module);
  return {
    path: pathOf(call),
    name: displayName(call),
    typeName: call.typeName,
    ...(call.createdAt ? { createdAt: call.createdAt } : {}),
    ...(call.location ? { calledAt: call.location } : {}),
    ...(layer ? { layer } : {}),
  };
}

/**
 * The details of an engine error; `op` is what the trace heard fail (null when no op was running:
 * backward's own checks, an optimizer's settings).
 */
export function failureDetails(
  error: Error,
  op: TracedOp | null,
  nameOf: (t: Tensor) => string | undefined,
): FailureDetails {
  const call = layerCall(op) ?? op?.module ?? null;
  return {
    errorType: error.name,
    ...(op ? { op: op.name } : {}),
    inputs: (op?.inputs ?? []).map((t) => {
      const name = nameOf(t);
      return { shape: t.shape.slice(), ...(name !== undefined ? { name } : {}) };
    }),
    ...(call ? { module: moduleOf(call) } : {}),
    reason: reasonOf(error),
  };
}
