/** Runs engine code in-process under the runner's tracer and returns its trace, for graph tests. */
import * as torch from "../../../engine";
import type { Tensor } from "../../../engine";
import type { Trace, TracedOp } from "../../../extension/sandbox/graph/trace";
import { RunTracer } from "../../../extension/sandbox/tracer";
import { SourceMaps } from "../../../extension/sandbox/locations";
import { HintCollector } from "../../../extension/sandbox/explain/hints";
import { engineKinds } from "../../../extension/sandbox/execute";

/** Gives a tensor or module the name a declaration in the source would (`const y = ...`). */
export type Name = <T>(name: string, value: T) => T;

/**
 * Runs `body` with tracing on. `body` names values with `name` and returns the root the graph
 * should mark; `backward: true` then runs backward from it (a non-scalar root with ones). When
 * `body` throws, the trace ends at the op that threw, as a failed run's does.
 */
export function traceOf(
  body: (name: Name) => Tensor | null | void,
  { backward = false } = {},
): Trace {
  const tracer = new RunTracer(new SourceMaps(), engineKinds(torch), new HintCollector());
  const helpers = tracer.helpers("model.ts");
  const name: Name = (n, v) => helpers.bind(v, n, 1, 1);
  const previous = torch.trace.setTraceListener(tracer);
  let root: Tensor | null = null;
  let failed: TracedOp | null = null;
  try {
    root = body(name) ?? null;
    if (backward && root) root.backward(root.numel() === 1 ? undefined : torch.onesLike(root));
  } catch (error) {
    const heard = tracer.lastFailure;
    if (!heard || heard.error !== error) throw error;
    failed = heard.op;
  } finally {
    torch.trace.setTraceListener(previous);
  }
  return tracer.trace("model.ts", 1, root, failed);
}
