/**
 * One run of a model file, inside its sandbox (sandbox/main.ts): load it under the sandbox's
 * module system with the tracer listening, run backward when asked, and turn what happened into
 * a RunResult (graph, error with its line and explanation, logs, hints, root candidates). What
 * it needs of the world outside comes in `env`; the limits (time, memory) are the worker's and
 * the host's job.
 */
import type * as Engine from "../../engine/index";
import { MissingNameError } from "./namespaceGuard";
import type { Tensor } from "../../engine/tensor";
import type { SourceLocation } from "../../webview/protocol";
import type { LayerHint, RunError, RunJob, RunResult, ShapeHint } from "../runProtocol/types";
import type { TracedOp } from "./graph/trace";
import { buildGraph } from "./graph/buildGraph";
import { nameOpsFor } from "./graph/frontEndNames";
import { SourceMaps, errorStack, mapUserFrames } from "./locations";
import { ModuleLoader, SyntaxFailure, type LoaderHost } from "./loader";
import type { TranspileFn } from "../runProtocol/transpiled";
import { LogCapture, sandboxProcess, type ProcessInfo } from "./globals";
import { HintCollector } from "./explain/hints";
import { RunTracer } from "./tracer";
import type { EngineKinds } from "./engineKinds";
import { typescriptSpellings } from "./explain/typescriptSpelling";
import { failureFields } from "./explain/failureFields";
import { isMemoryLimitError } from "./memoryGuard";
import { chooseRoot, exportedRoot, outputTensors, rootNames } from "./roots";
import { firstArgument } from "./sourceText";
import { isPythonFile, pythonRunError, runPythonFile } from "./pythonRun";

/** Told of logs and hints as they happen, so that a run stopped from outside keeps them. */
export interface RunSink {
  log?(line: string): void;
  shapeHint?(hint: ShapeHint): void;
  layerHint?(hint: LayerHint): void;
  /** A user file's index in the progress cell. */
  file?(index: number, file: string): void;
  /**
   * The model's code finished without an error, so every hint has been told: the editor can
   * show them before the graph is built and sent.
   */
  ran?(): void;
}

type EngineModule = typeof Engine;

/** What a run needs of the world outside the sandbox. */
export interface RunEnvironment {
  host: LoaderHost;
  /** Milliseconds, as performance.now(). */
  now(): number;
  /** Resolves once pending promises (and timers already due) have had their turn. */
  nextTurn(): Promise<void>;
  process: Pick<ProcessInfo, "platform" | "version" | "memoryUsage">;
  /** Where the helpers write the line the run is at (a shared cell the host reads at a time-out). */
  progress?: Int32Array;
  /** Told of the model file's exports (the sandbox keeps the warm-up's). */
  onExports?(exports: Record<string, unknown>): void;
}

/** How the worker tells tensors and modules of this engine from other values. */
export function engineKinds(engine: EngineModule): EngineKinds {
  const nn = (engine as { nn?: { Module?: abstract new (...a: never[]) => object } }).nn;
  const errors = [engine.EngineError, RangeError];
  return {
    isTensor: (v): v is Tensor => v instanceof engine.Tensor,
    // a class's prototype (`nn.Sequential.prototype`) is no module, though instanceof says so
    isModule: (v): v is object =>
      !!nn?.Module &&
      v instanceof nn.Module &&
      !Object.prototype.hasOwnProperty.call(v, "constructor"),
    isEngineError: (e) => errors.some((cls) => e instanceof cls),
  };
}

export async function executeRun(
  req: RunJob,
  engine: EngineModule,
  transpile: TranspileFn,
  sink: RunSink,
  env: RunEnvironment,
): Promise<RunResult> {
  const started = env.now();
  const maps = new SourceMaps();
  const kinds = engineKinds(engine);
  const hints = new HintCollector(sink.shapeHint, sink.layerHint);
  const tracer = new RunTracer(maps, kinds, hints, env.progress, sink.file);
  if (env.progress) env.progress.fill(0);
  const logs = new LogCapture(
    (v) => (kinds.isTensor(v) || kinds.isModule(v) ? String(v) : undefined),
    sink.log,
  );
  const console = logs.console();
  const loader = new ModuleLoader({
    engine,
    transpile,
    helpers: (file) => tracer.helpers(file),
    console,
    process: sandboxProcess(
      { ...env.process, file: req.file, dir: env.host.dirname(req.file), now: env.now },
      (text) => console.log(text),
    ),
    maps,
    host: env.host,
  });

  const previousListener = engine.trace.setTraceListener(tracer);
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100; // deep module nesting must still reach the user's frame
  /** What the run threw; `backwardFrom` when it was the backward Gradlens ran from that root. */
  let thrown: { error: unknown; backwardFrom?: Tensor | null } | null = null;
  let exports: Record<string, unknown> | undefined;
  let root: Tensor | null = null;
  // a Python file runs on the Python front end; a failure there is described from its lines
  const python = isPythonFile(req.file)
    ? runPythonFile(req.file, req.source, tracer, console)
    : null;
  if (python) {
    exports = python.exports;
    env.onExports?.(exports);
  } else {
    try {
      exports = loader.load(req.file);
      env.onExports?.(exports);
      if (exports.default instanceof Promise) await exports.default;
      await env.nextTurn(); // let the file's pending promises settle
    } catch (error) {
      thrown = { error };
    }
  }
  const outputs = outputTensors(tracer.tracedOps);
  if (!thrown && !python?.error) {
    const choice = chooseRoot(
      req.backward ? req.backward.root : undefined,
      exports,
      outputs,
      tracer.byName,
      kinds.isTensor,
      tracer.backwardRan,
    );
    root = choice.root;
    try {
      if (choice.problem) throw new Error(choice.problem);
      if (req.backward && root && !tracer.gradReached(root)) {
        root.backward(root.numel() === 1 ? undefined : engine.onesLike(root));
      }
    } catch (error) {
      thrown = { error, backwardFrom: root };
    }
  }
  engine.trace.setTraceListener(previousListener);
  hints.flush(); // the model's last call (a view, a matmul) ends with the run

  let error: RunError | undefined;
  let failed: TracedOp | null = null;
  if (python?.error) [error, failed] = pythonRunError(python.error, req.file, req.source, tracer);
  else if (thrown) [error, failed] = describeError(thrown.error, tracer, maps, loader, kinds);
  if (error && thrown?.backwardFrom) error = backwardError(error, thrown.backwardFrom, tracer);
  Error.stackTraceLimit = previousLimit;
  logs.finish();
  const runMs = env.now() - started;
  if (!error) sink.ran?.();
  // The source text names tensors no variable holds (`torch.randn(1, 600)`, `x.view(-1)`).
  const sourceText = (file: string): string | undefined => {
    if (python) return file === req.file ? req.source : undefined;
    try {
      return loader.files.includes(file) ? loader.text(file) : undefined;
    } catch {
      return undefined; // gone since it ran: the tensor keeps its plain label
    }
  };
  const graph = nameOpsFor(
    buildGraph({ ...tracer.trace(req.file, runMs, root, failed), sourceText }),
    python ? python.frontEnd : loader.frontEnd,
  );
  const exported = exportedRoot(exports, kinds.isTensor);
  return {
    ok: !error,
    graph,
    ...(error ? { error } : {}),
    logs: logs.lines,
    shapeHints: hints.distinctShapeHints(),
    layerHints: hints.layerHints,
    roots: rootNames(outputs, (t) => tracer.names.get(t)),
    ...(exported ? { exportedRoot: exported } : {}),
    files: python ? [req.file] : loader.files,
    durationMs: runMs,
  };
}

/** The RunError of a thrown value, and the op the run failed in (if the engine threw). */
function describeError(
  error: unknown,
  tracer: RunTracer,
  maps: SourceMaps,
  loader: ModuleLoader,
  kinds: EngineKinds,
): [RunError, TracedOp | null] {
  if (error instanceof SyntaxFailure) {
    const p = error.problems[0];
    const more = error.problems.length > 1 ? ` (and ${error.problems.length - 1} more)` : "";
    return [
      {
        kind: "syntax",
        message: `${p.message}${more}`,
        location: { file: error.file, line: p.line, column: p.column },
      },
      null,
    ];
  }
  const userFrames = mapUserFrames(errorStack(error), maps);
  const last = tracer.lastFailure;
  // the op the trace heard fail: every engine check runs inside `apply` or a traced scope
  const op = last && last.error === error ? last.op : null;
  const location = op?.location ?? userFrames[0];
  const message = error instanceof Error ? error.message : String(error);
  const where = location ? { location } : {};
  if (
    isMemoryLimitError(error) ||
    (error instanceof RangeError &&
      /typed array length|allocation failed|Array buffer/i.test(message))
  ) {
    const text = isMemoryLimitError(error)
      ? message
      : `Gradlens stopped the run: a tensor was too large to allocate (${message})`;
    return [{ kind: "memory", message: text, ...where }, op];
  }
  const argumentAt = (loc: SourceLocation): string | undefined => {
    try {
      return firstArgument(loader.text(loc.file), loc.line, loc.column);
    } catch {
      return undefined;
    }
  };
  const nameOf = (t: Tensor): string | undefined => tracer.names.get(t);
  const params = tracer.paramNames();
  const fields = failureFields(
    error instanceof Error && kinds.isEngineError(error) ? error : undefined,
    op,
    location,
    {
      nameOf,
      argumentAt,
      inputName: (t) => nameOf(t) ?? params.get(t),
      passes: tracer.backwardPasses,
      also: typescriptSpellings(message),
    },
  );
  const text =
    error instanceof MissingNameError && location ? asWritten(error, location, loader) : message;
  const shown =
    error instanceof Error && !UNNAMED_ERRORS.has(error.name) ? `${error.name}: ${text}` : text;
  return [
    {
      kind: "runtime",
      message: shown,
      ...where,
      ...fields,
    },
    op,
  ];
}

/** Errors shown by their message alone (PyTorch prints a RuntimeError's message bare). */
const UNNAMED_ERRORS = new Set(["Error", "RuntimeError"]);

/** A missing name's message with the namespace as the failing line spells it. */
function asWritten(error: MissingNameError, at: SourceLocation, loader: ModuleLoader): string {
  try {
    const line = loader.text(at.file).split(/\r?\n/)[at.line - 1] ?? "";
    return error.asWritten(line, at.column - 1);
  } catch {
    return error.message;
  }
}

/** A failure of the backward Gradlens ran: placed at the root's declaration when nothing better. */
function backwardError(error: RunError, root: Tensor, tracer: RunTracer): RunError {
  const name = tracer.names.get(root);
  const location = error.location ?? tracer.bindingOf(root);
  const noGrad = error.failure?.reason.kind === "noGrad";
  const explanation = noGrad
    ? `\`${name ?? "the output"}\` does not depend on any tensor with requiresGrad: true, so backward has nothing to compute`
    : error.explanation;
  return { ...error, ...(location ? { location } : {}), ...(explanation ? { explanation } : {}) };
}
