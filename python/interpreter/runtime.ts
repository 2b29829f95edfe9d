/** What one run of a Python file shares: its modules, its output and its loop hook. */
import { PyModule, type CallArgs } from "./objects";
import { pyError } from "./errors";
import type { PyValue } from "../values/types";
import { engineModules } from "../torch/modules";
import { stdlibModules } from "../torch/stdlib";
import { findAttr } from "./attributes";
import type { Interpreter } from "./interpreter";

/** Told what the file does, for the graph's names and the editor's hints (the runner's tracer). */
export interface RunObserver {
  /** `name = value` (or `obj.name = value`, `attribute`) on `line`. */
  bind(value: unknown, name: string, line: number, column: number, attribute: boolean): void;
  /** A call on `line`/`column` made `value` (a layer's construction, `nn.Conv2d(1, 6, 5)`). */
  made(value: unknown, line: number, column: number): void;
  /** Each turn of a loop, with the loop's line. */
  loop(line: number): void;
}

export interface RuntimeOptions {
  /** Receives what `print` writes (with its line ends). */
  write: (text: string) => void;
  observer?: RunObserver;
  /** Errors no `except` may catch (the sandbox's memory limit): they end the run. */
  fatal?: (error: unknown) => boolean;
  /** Names bound in the module before it runs (engine values, as they are). */
  globals?: Record<string, unknown>;
}

export class Runtime {
  readonly modules = new Map<string, PyModule>([...engineModules(), ...stdlibModules()]);
  interp!: Interpreter;

  constructor(readonly options: RuntimeOptions) {}

  tick(line: number): void {
    this.options.observer?.loop(line);
  }

  importModule(name: string): PyModule {
    const mod = this.modules.get(name);
    if (!mod) {
      const hint = name.split(".")[0] === "d2l" ? " (Gradlens runs d2l's code, not the d2l package: define the helper you use in the file)" : "";
      throw pyError("ModuleNotFoundError", `No module named '${name}'${hint}`);
    }
    return mod;
  }

  importFrom(mod: PyModule, modName: string, name: string): PyValue {
    const sub = this.modules.get(`${modName}.${name}`);
    if (sub) return sub;
    const v = findAttr(this.interp, mod, name);
    if (v === undefined) throw pyError("ImportError", `cannot import name '${name}' from '${modName}'`);
    return v;
  }
}

export type { CallArgs };
