/**
 * The `__gradlens` helpers each instrumented user file calls: they note the line the run is at
 * (for the host to read at a time-out) and pass bindings and constructions on to the tracer.
 */
import type { SourceLocation } from "../../webview/protocol";
import {
  BindingNames,
  InstrumentHelpers,
  PROGRESS_FILE,
  PROGRESS_LINE,
} from "../runProtocol/instrumentHelpers";

/** What the helpers tell the tracer. */
export interface HelperEvents {
  bind(value: unknown, names: BindingNames, location: SourceLocation, flags: number): void;
  /** `value` was just constructed at `location` (by `new`). */
  made(value: unknown, location: SourceLocation): void;
}

export class FileHelpers {
  /** Files given helpers, in order: their index is what the progress cell holds. */
  private readonly files: string[] = [];

  /**
   * @param progress where the helpers write the line the run is at (see PROGRESS_LINE), for
   * the host to read at a time-out; `onFile` is told each file's index there
   */
  constructor(
    private readonly events: HelperEvents,
    private readonly progress: Int32Array,
    private readonly onFile?: (index: number, file: string) => void,
  ) {}

  /** The `__gradlens` object of one user file. */
  of(file: string): InstrumentHelpers {
    let index = this.files.indexOf(file);
    if (index < 0) {
      index = this.files.push(file) - 1;
      this.onFile?.(index, file);
    }
    const progress = this.progress;
    const at = (line: number): void => {
      progress[PROGRESS_LINE] = line;
      progress[PROGRESS_FILE] = index;
    };
    return {
      loop: at,
      bind: (value, names, line, column, flags = 0) => {
        at(line);
        this.events.bind(value, names, { file, line, column }, flags);
        return value;
      },
      made: (value, line, column) => {
        at(line);
        this.events.made(value, { file, line, column });
        return value;
      },
      ctor: (callee, written) => {
        if (isConstructor(callee)) return callee;
        throw new TypeError(`${written} is not a constructor`);
      },
    };
  }
}

/** Whether `new f()` can run: a class or function declaration, or a bound one (no prototype). */
function isConstructor(f: unknown): boolean {
  if (typeof f !== "function") return false;
  if (f.prototype !== undefined) return true;
  try {
    Reflect.construct(Object, [], f); // needs `f` to be a constructor; does not call it
    return true;
  } catch {
    return false;
  }
}
