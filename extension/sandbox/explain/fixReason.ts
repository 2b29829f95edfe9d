/**
 * Why a run failed, as data for the quick fixes, read from what the run itself recorded (the
 * failing op's input shapes, the layer's own settings, the backward passes), never from the
 * message's text; and the layer construction the fix goes to, named as the user names it.
 */
import type { Tensor } from "../../../engine/tensor";
import type { SourceLocation } from "../../../webview/protocol";
import type { FixReason, LayerSite } from "../../runProtocol/types";
import type { BackwardPasses } from "../backwardPasses";
import type { ModuleCall, TracedOp } from "../graph/trace";
import { layerPath, userCall } from "../graph/modules";
import { dataInput, isA, layerCall, layerDescription } from "./explain";

const CONVS = ["Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d"];

/** What a failure's reason is read from. */
export interface ReasonContext {
  op: TracedOp | null;
  /** Where the run failed in the user's code. */
  location: SourceLocation | undefined;
  passes: BackwardPasses;
}

export function fixReason(ctx: ReasonContext): FixReason | undefined {
  return layerReason(ctx.op) ?? backwardTwice(ctx);
}

/** The construction of the layer whose settings `reason` is about. */
export function layerSite(
  op: TracedOp | null,
  reason: FixReason | undefined,
): LayerSite | undefined {
  if (!op || (reason?.kind !== "linearFeatures" && reason?.kind !== "convChannels"))
    return undefined;
  const call = layerCall(op);
  if (!call?.createdAt) return undefined;
  return {
    location: call.createdAt,
    name: layerPath(call),
    description: layerDescription(call),
    ...(userCall(call) !== call ? { viaContainer: true } : {}),
  };
}

/** A Linear's feature count or a conv's channel count that its input does not have. */
function layerReason(op: TracedOp | null): FixReason | undefined {
  const call = op && layerCall(op);
  const input = call?.input ?? (op && dataInput(op));
  if (!call || !input) return undefined;
  const m = call.module as { inFeatures?: unknown; inChannels?: unknown; kernelSize?: unknown };
  if (isA(call.module, "Linear") && typeof m.inFeatures === "number") {
    const got = input.shape[input.shape.length - 1];
    if (got !== undefined && got !== m.inFeatures)
      return { kind: "linearFeatures", expected: m.inFeatures, got, inputShape: [...input.shape] };
  }
  if (isConv(call) && typeof m.inChannels === "number" && Array.isArray(m.kernelSize)) {
    const got = channels(input, m.kernelSize.length);
    if (got !== undefined && got !== m.inChannels)
      return { kind: "convChannels", expected: m.inChannels, got, inputShape: [...input.shape] };
  }
  return undefined;
}

const isConv = (call: ModuleCall): boolean => CONVS.some((cls) => isA(call.module, cls));

/** The channel count of a conv's input: dim 1 of a batch, dim 0 of one unbatched sample. */
function channels(input: Tensor, spatialDims: number): number | undefined {
  const rank = input.shape.length;
  if (rank === spatialDims + 2) return input.shape[1];
  if (rank === spatialDims + 1) return input.shape[0];
  return undefined;
}

/**
 * The run failed in a backward pass the user's code started, which reached a node an earlier
 * pass without `retainGraph` had already run (and freed what it saved).
 */
function backwardTwice(ctx: ReasonContext): FixReason | undefined {
  const pass = ctx.passes.latest;
  if (!pass?.location || !sameLineAndFile(pass.location, ctx.location)) return undefined;
  const first = ctx.passes.freedBefore(pass)?.location;
  return first ? { kind: "backwardTwice", first } : undefined;
}

function sameLineAndFile(a: SourceLocation, b: SourceLocation | undefined): boolean {
  return !!b && a.file === b.file && a.line === b.line;
}
