/**
 * A Python model file's run inside the sandbox: the Python front end (python/) runs the file's
 * text instead of transpiled TypeScript, under the same tracer. The tracer places each op at
 * the Python call that ran it (line and column, where the editor's hints anchor), names
 * tensors and layers from the file's assignments, and hears each loop turn (the line a
 * time-out reports). What the file printed goes to the run's console line by line, and a
 * failure's Python traceback after it.
 *
 * Thread: the run worker, inside the model's context.
 */
import { formatTraceback, pythonModule, type PythonError } from "../../python/index";
import type { FixReason, RunError } from "../runProtocol/types";
import { ATTRIBUTE } from "../runProtocol/instrumentHelpers";
import type { TracedOp } from "./graph/trace";
import type { FrontEnd } from "./graph/frontEndNames";
import type { RunTracer } from "./tracer";
import { failureFields } from "./explain/failureFields";
import { EngineError } from "../../engine/errors";
import { isMemoryLimitError } from "./memoryGuard";
import { firstArgument } from "./sourceText";

/** Whether a run's file is a Python model file. */
export const isPythonFile = (file: string): boolean => /\.py$/i.test(file);

export interface PythonFileRun {
  /** The module's global names: the runner finds the root (`loss`) among them. */
  exports: Record<string, unknown>;
  error: PythonError | null;
  /** The framework style the file imports (TensorFlow's or MXNet's op names in the graph). */
  frontEnd: FrontEnd | null;
}

export function runPythonFile(
  file: string,
  source: string,
  tracer: RunTracer,
  console: Record<string, (...args: unknown[]) => void>,
): PythonFileRun {
  const helpers = tracer.helpers(file);
  let pending = "";
  const write = (text: string): void => {
    const lines = (pending + text).split("\n");
    pending = lines.pop()!;
    for (const line of lines) console.log(line);
  };
  const module = pythonModule({
    write,
    observer: {
      bind: (value, name, line, column, attribute) => void helpers.bind(value, name, line, column, attribute ? ATTRIBUTE : 0),
      made: (value, line, column) => void helpers.made(value, line, column),
      loop: (line) => helpers.loop(line),
    },
    fatal: isMemoryLimitError,
  });
  tracer.locate = () => ({ file, ...module.callSite() });
  const error = module.run(source);
  if (pending) console.log(pending);
  // Python's traceback, as CPython prints it to stderr, into the run's output
  if (error && error.type !== "SyntaxError" && !isMemoryLimitError(error.cause)) console.error(formatTraceback(error, file, source));
  const exports: Record<string, unknown> = {};
  for (const [name, value] of module.globals) if (!name.startsWith("_")) exports[name] = value;
  return { exports, error, frontEnd: frontEndOf(source) };
}

function frontEndOf(source: string): FrontEnd | null {
  if (/^\s*(import\s+tensorflow|from\s+tensorflow\s+import)\b/m.test(source)) return "tf";
  if (/^\s*(import\s+mxnet|from\s+mxnet\s+import)\b/m.test(source)) return "mxnet";
  return null;
}

/**
 * The fixes a Python file gets: a layer's setting (a Linear's in_features, a conv's
 * in_channels), where the edit is an argument of the layer's construction; the others edit
 * TypeScript (`{ retainGraph: true }`).
 */
function layerFix(fix: FixReason | undefined): FixReason | undefined {
  if (fix?.kind === "convChannels") return fix;
  return fix?.kind === "linearFeatures" && fix.inputShape.length <= 2 ? fix : undefined;
}

/**
 * The RunError of a Python run's error, and the op it failed in: Python's `Type: message` on
 * the line that failed (the op's own call when the engine threw), with the plain explanation
 * the TypeScript runner gives for the same mistake, and the layer fix with its construction.
 */
export function pythonRunError(e: PythonError, file: string, source: string, tracer: RunTracer): [RunError, TracedOp | null] {
  const last = tracer.lastFailure;
  const op = last && last.error === e.cause ? last.op : null;
  const location = op?.location ?? { file, line: e.line, column: 1 };
  if (e.type === "SyntaxError") return [{ kind: "syntax", message: `SyntaxError: ${e.message}`, location }, null];
  if (isMemoryLimitError(e.cause)) return [{ kind: "memory", message: e.message, location }, op];
  // the engine's typed reason, as for a TypeScript file (never the message text)
  const fields = failureFields(e.cause instanceof EngineError ? e.cause : undefined, op, location, {
    nameOf: (t) => tracer.names.get(t),
    argumentAt: (loc) => (loc.file === file ? firstArgument(source, loc.line, loc.column) : undefined),
    passes: tracer.backwardPasses,
    keepFix: layerFix,
  });
  return [{ kind: "runtime", message: `${e.type}: ${e.message}`, location, ...fields }, op];
}
