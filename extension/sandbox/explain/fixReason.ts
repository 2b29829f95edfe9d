/**
 * What a quick fix needs of a failure, as data: the engine's reason (RunError.failure) with the
 * numbers the fix reads from the run — the layer's own input (a Linear fed 4-D input sees a
 * reshaped matrix inside), the view's input, the backward pass that freed the graph — and the
 * layer construction the fix goes to, named as the user names it (`fc1`, `net[7]`).
 */
import type { SourceLocation } from "../../../webview/protocol";
import type { FailureDetails, FixReason, LayerSite } from "../../runProtocol/types";
import type { BackwardPasses } from "../backwardPasses";
import type { TracedOp } from "../graph/trace";
import { layerPath, userCall } from "../graph/modules";
import { dataInput, layerDescription } from "./explain";
import { layerCall } from "./failure";
import { layerSettings } from "./layerSettings";

/** What a failure's fix is read from. */
export interface FixContext {
  failure: FailureDetails | undefined;
  op: TracedOp | null;
  /** Where the run failed in the user's code. */
  location: SourceLocation | undefined;
  passes: BackwardPasses;
}

export function fixReason(ctx: FixContext): FixReason | undefined {
  const reason = ctx.failure?.reason;
  switch (reason?.kind) {
    case "matmulShapes":
      return linearFeatures(ctx.op);
    case "convChannels": {
      const call = layerCall(ctx.op);
      if (layerSettings(call?.module ?? {})?.type !== "Conv") return undefined;
      const { expected, got, input } = reason;
      return { kind: "convChannels", expected, got, inputShape: input };
    }
    case "viewSize": {
      const input = ctx.op && dataInput(ctx.op);
      return input
        ? { kind: "viewSize", shape: reason.shape, inputShape: [...input.shape] }
        : undefined;
    }
    case "retainGraph":
      return backwardTwice(ctx);
    default:
      return undefined;
  }
}

/** The construction of the layer whose settings `fix` is about. */
export function layerSite(op: TracedOp | null, fix: FixReason | undefined): LayerSite | undefined {
  if (fix?.kind !== "linearFeatures" && fix?.kind !== "convChannels") return undefined;
  const call = layerCall(op);
  if (!call?.createdAt) return undefined;
  return {
    location: call.createdAt,
    name: layerPath(call),
    description: layerDescription(call),
    ...(userCall(call) !== call ? { viaContainer: true } : {}),
  };
}

/** A matrix product in a Linear whose input's last dim is not the layer's inFeatures. */
function linearFeatures(op: TracedOp | null): FixReason | undefined {
  const call = layerCall(op);
  const settings = call && layerSettings(call.module);
  const input = call?.input ?? (op ? dataInput(op) : undefined);
  if (settings?.type !== "Linear" || !input) return undefined;
  const got = input.shape[input.shape.length - 1];
  if (got === undefined || got === settings.inFeatures) return undefined;
  return {
    kind: "linearFeatures",
    expected: settings.inFeatures,
    got,
    inputShape: [...input.shape],
  };
}

/**
 * A backward the user's code started through a graph an earlier pass without `retainGraph`
 * had run (and freed): that earlier call is where `{ retainGraph: true }` goes.
 */
function backwardTwice(ctx: FixContext): FixReason | undefined {
  const pass = ctx.passes.latest;
  const at = ctx.location;
  if (!pass?.location || !at || pass.location.file !== at.file || pass.location.line !== at.line)
    return undefined;
  const first = ctx.passes.freedBefore(pass)?.location;
  return first ? { kind: "backwardTwice", first } : undefined;
}
