/**
 * Where a run failed: the op that threw (heard through `onOpError`), or, when the engine's
 * argument checks threw before the op ran (as ATen checks `addmm` and `convolution` before
 * computing), a stand-in op named after the engine function, placed in the module call the
 * exception left and, when the message's shapes identify it, wired to its input.
 */
import type { Tensor } from "../../../engine/tensor";
import type { SourceLocation } from "../../../webview/protocol";
import type { ModuleCall, TracedOp } from "../graph/trace";
import type { RawFrame } from "../locations";

/** Engine helpers that validate arguments; the op is the function that called them. */
const CHECKER = /^(check|validate|assert|expand|batchify|as2d|normalize|infer)/i;

export interface FailureContext {
  /** What `onOpError` heard last, if it was this error. */
  heard: TracedOp | null;
  /** The error's frames, innermost first, and the first of them in a user file. */
  frames: readonly RawFrame[];
  userLocation: SourceLocation | undefined;
  isUserFile(file: string | null): boolean;
  /** Whether the engine threw it (its error classes), not the runner or the user's code. */
  isEngineError(error: unknown): boolean;
  /** Module calls the exception left, innermost first. */
  unwound: readonly ModuleCall[];
  /** Recent tensors to look for the failing op's input in, latest first. */
  recent: () => Iterable<Tensor>;
}

/** The failed op of a run that threw `error`, or null when the user's own code threw. */
export function failedOp(error: unknown, ctx: FailureContext): TracedOp | null {
  if (ctx.heard) return ctx.heard;
  const first = ctx.frames[0];
  if (!first || ctx.isUserFile(first.file) || !ctx.isEngineError(error)) return null;
  const name = ctx.frames.find(
    (f) => !ctx.isUserFile(f.file) && f.functionName && !CHECKER.test(lastName(f.functionName)),
  );
  if (!name || !ctx.frames.some((f) => ctx.isUserFile(f.file))) return null;
  const inputs: Tensor[] = [];
  for (const shape of shapesInMessage(error instanceof Error ? error.message : "")) {
    const t = findInput(ctx.recent(), shape, inputs);
    if (t) inputs.push(t);
  }
  return {
    index: -1,
    name: lastName(name.functionName!),
    node: null,
    inputs,
    outputs: [],
    attrs: undefined,
    location: ctx.userLocation,
    module: ctx.unwound[0] ?? null,
    failed: true,
  };
}

/** `Linear.forward` → `forward`; `Object.convolution` → `convolution`. */
function lastName(functionName: string): string {
  return functionName.split(".").pop() ?? functionName;
}

/** A shape an error message names: `input[1, 1, 32, 32]` exactly, a matrix `1x1000`, a size. */
export type MessageShape = { exact: number[] } | { matrix: [number, number] } | { numel: number };

/** The operands' shapes a message names, in operand order (input first). */
export function shapesInMessage(message: string): MessageShape[] {
  const out: MessageShape[] = [];
  const exact = (s: string): MessageShape => ({ exact: s.split(", ").map(Number) });
  const input = /input\[(\d+(?:, \d+)*)\]/.exec(message);
  if (input) out.push(exact(input[1]));
  const weight = /weight of size \[(\d+(?:, \d+)*)\]/.exec(message);
  if (weight) out.push(exact(weight[1]));
  const mm = /\((\d+)x(\d+) and (\d+)x(\d+)\)/.exec(message);
  if (mm)
    out.push(
      { matrix: [Number(mm[1]), Number(mm[2])] },
      { matrix: [Number(mm[3]), Number(mm[4])] },
    );
  const size = /is invalid for input of size (\d+)/.exec(message);
  if (size) out.push({ numel: Number(size[1]) });
  return out;
}

function matches(t: Tensor, shape: MessageShape): boolean {
  if ("numel" in shape) return t.numel() === shape.numel;
  if ("exact" in shape)
    return t.shape.length === shape.exact.length && t.shape.every((s, i) => s === shape.exact[i]);
  const [rows, cols] = shape.matrix;
  return t.shape.length >= 1 && t.shape[t.shape.length - 1] === cols && t.numel() === rows * cols;
}

function findInput(
  recent: Iterable<Tensor>,
  shape: MessageShape,
  taken: readonly Tensor[],
): Tensor | undefined {
  for (const t of recent) if (!taken.includes(t) && matches(t, shape)) return t;
  return undefined;
}
