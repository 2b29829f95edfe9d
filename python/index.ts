/**
 * The Python front end: runs a Python file (the PyTorch, TensorFlow and MXNet code of the
 * lectures and tutorials, as written) on the Gradlens engine. Pure TypeScript with no Node
 * built-ins, so it runs inside the model sandbox's vm context like the engine.
 *
 * @example
 * const result = runPython("import torch\nx = torch.ones(2, requires_grad=True)\nprint(x * 2)", {
 *   write: (s) => out.push(s),
 * });
 * // out: ["tensor([2., 2.], grad_fn=<MulBackward0>)\n"]
 */
import { parsePython, PySyntaxError } from "./parse/toAst";
import { Interpreter, tracebackFrames } from "./interpreter/interpreter";
import { Runtime, type RuntimeOptions } from "./interpreter/runtime";
export type { RunObserver, RuntimeOptions } from "./interpreter/runtime";
import { Scope } from "./interpreter/scope";
import { makeBuiltins } from "./interpreter/builtins";
import { asPyException, exceptionText, type PyExceptionObject } from "./interpreter/errors";
import { pyClassOf, PyFunction } from "./interpreter/objects";
import { setCaller } from "./torch/bridge";
import { setUserRepr } from "./values/repr";
import { setUserIter } from "./values/iterate";
import { setUserItem } from "./values/subscript";
import { setKeyCaller } from "./values/sort";
import { lookupClassAttr } from "./interpreter/classes";
import { invoke } from "./interpreter/calls";
import { toArray } from "./values/iterate";
import type { PyValue } from "./values/types";

export { parsePython, PySyntaxError } from "./parse/toAst";

/** Python's traceback text of an error in `file` (whose text is `source`), as CPython prints it. */
export function formatTraceback(error: PythonError, file: string, source: string): string {
  const lines = source.split(/\r?\n/);
  const out = ["Traceback (most recent call last):"];
  for (const f of [...error.frames].reverse()) {
    out.push(`  File "${file}", line ${f.line}, in ${f.name}`);
    const text = lines[f.line - 1]?.trim();
    if (text) out.push(`    ${text}`);
  }
  out.push(error.message ? `${error.type}: ${error.message}` : error.type);
  return out.join("\n");
}

/** A Python error as the runner reports it: the exception's type and text, and its lines. */
export interface PythonError {
  type: string;
  message: string;
  /** The line that failed in the file (the outermost frame's, as Python's last traceback entry of the file… innermost first below). */
  line: number;
  /** Lines from the innermost frame out. */
  traceback: number[];
  /** The same frames with the function each line is in (`<module>` for the file's top level). */
  frames: { line: number; name: string }[];
  /** The error the engine threw, when it came from the engine (its typed details). */
  cause: unknown;
}

/** A Python module ready to run: its globals, and where it is while it runs. */
export interface PythonModule {
  /** The module's global names (the runner looks for `loss` etc. here after the run). */
  globals: Map<string, PyValue>;
  /** Where the file is: the innermost call in progress (the tracer's source location of an op). */
  callSite: () => { line: number; column: number };
  /** Parses and runs `source`; errors are returned, not thrown. */
  run(source: string): PythonError | null;
}

export interface PythonRun {
  globals: Map<string, PyValue>;
  error: PythonError | null;
}

/** A fresh module with the built-ins and importable modules (`torch`, `math`…), not yet run. */
export function pythonModule(options: RuntimeOptions): PythonModule {
  const runtime = new Runtime(options);
  const interp = new Interpreter(runtime);
  runtime.interp = interp;
  installHooks(interp);
  const builtins = new Scope(null);
  for (const [k, v] of makeBuiltins(interp, options.write)) builtins.vars.set(k, v);
  const globals = new Scope(builtins);
  for (const [k, v] of Object.entries(options.globals ?? {})) globals.vars.set(k, v);
  return {
    globals: globals.vars,
    callSite: () => interp.callSite(),
    run(source) {
      interp.frames.push({ scope: globals, fn: null, line: 1, returnValue: null });
      try {
        interp.execBlock(parsePython(source), globals);
        return null;
      } catch (e) {
        return describe(e);
      } finally {
        interp.frames.pop();
      }
    },
  };
}

/** Parses and runs `source` in a fresh module. Errors are returned, not thrown. */
export function runPython(source: string, options: RuntimeOptions): PythonRun {
  const module = pythonModule(options);
  const error = module.run(source);
  return { globals: module.globals, error };
}

function describe(e: unknown): PythonError {
  if (e instanceof PySyntaxError) {
    return { type: "SyntaxError", message: e.message, line: e.line, traceback: [e.line], frames: [{ line: e.line, name: "<module>" }], cause: e };
  }
  const exc: PyExceptionObject = asPyException(e);
  const frames = tracebackFrames(e);
  return {
    type: pyClassOf(exc)?.name ?? "Exception",
    message: exceptionText(exc),
    line: frames[0]?.line ?? 0,
    traceback: frames.map((f) => f.line),
    frames,
    cause: e,
  };
}

/** The user-class hooks of the value modules (`__repr__`, `__iter__`, `__getitem__`, sort keys). */
function installHooks(interp: Interpreter): void {
  setCaller((fn, args) => interp.call(fn, args));
  setKeyCaller((fn, v) => interp.call(fn, [v]));
  const method = (v: PyValue, name: string) => {
    const cls = pyClassOf(v);
    const m = cls ? lookupClassAttr(cls, name) : undefined;
    return m instanceof PyFunction ? m : null;
  };
  setUserRepr((v, name) => {
    const m = method(v, name);
    return m ? String(invoke(interp, m, { args: [v], kwargs: new Map() })) : null;
  });
  setUserIter((v) => {
    const m = method(v, "__iter__");
    return m ? toArray(invoke(interp, m, { args: [v], kwargs: new Map() })) : null;
  });
  setUserItem((v, name, args) => {
    const m = method(v, name);
    return m ? { value: invoke(interp, m, { args: [v, ...args], kwargs: new Map() }) } : null;
  });
}
