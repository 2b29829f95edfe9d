/**
 * What a run's error carries beyond its message when the engine threw: the failure as data, the
 * explanation, the quick fix and the layer construction it goes to. One place for both front
 * ends: a TypeScript file (execute.ts) and a Python file (pythonRun.ts) differ only in which
 * fixes they offer and what they add to the explanation.
 */
import type { SourceLocation } from "../../../webview/protocol";
import type { Tensor } from "../../../engine/tensor";
import type { FailureDetails, FixReason, LayerSite } from "../../runProtocol/types";
import type { BackwardPasses } from "../backwardPasses";
import type { TracedOp } from "../graph/trace";
import { explain, type ExplainContext } from "./explain";
import { failureDetails } from "./failure";
import { fixReason, layerSite } from "./fixReason";

export interface FailureFields {
  failure?: FailureDetails;
  explanation?: string;
  fix?: FixReason;
  layer?: LayerSite;
}

export interface FailureContext extends ExplainContext {
  passes: BackwardPasses;
  /** How the failure's inputs are named (defaults to `nameOf`). */
  inputName?(t: Tensor): string | undefined;
  /** Which fixes this file's language can apply (all, by default). */
  keepFix?(fix: FixReason | undefined): FixReason | undefined;
  /** Said after the explanation (the TypeScript spelling of an option the message names). */
  also?: string;
}

/** `engineError`: the error when the engine threw it, else undefined (the user's own throw). */
export function failureFields(
  engineError: Error | undefined,
  op: TracedOp | null,
  location: SourceLocation | undefined,
  ctx: FailureContext,
): FailureFields {
  const failure = engineError
    ? failureDetails(engineError, op, ctx.inputName ?? ctx.nameOf)
    : undefined;
  const explanation = joinLines(failure && explain(failure.reason, op, ctx), ctx.also);
  const found = fixReason({ failure, op, location, passes: ctx.passes });
  const fix = ctx.keepFix ? ctx.keepFix(found) : found;
  const layer = layerSite(op, fix);
  return {
    ...(explanation ? { explanation } : {}),
    ...(failure ? { failure } : {}),
    ...(fix ? { fix } : {}),
    ...(layer ? { layer } : {}),
  };
}

/** The texts that are there, a blank line apart; undefined when none is. */
function joinLines(...texts: (string | undefined)[]): string | undefined {
  const there = texts.filter((t): t is string => !!t);
  return there.length > 0 ? there.join("\n\n") : undefined;
}
