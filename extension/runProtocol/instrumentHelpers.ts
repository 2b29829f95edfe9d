/**
 * What instrumented user code calls (see instrument.ts), kept apart from the transformer so that
 * the run worker, which executes the code, does not load TypeScript.
 */

/** The name the module wrapper gives the helpers object. */
export const HELPER = "__gradlens";

/** Names a destructuring gives: by position (`[a, b]`) or by key (`{ values: v }`). */
export type BindingNames = string | (string | null)[] | Record<string, string>;

/** `bind`'s flags: the value is an alias (not computed here); the name is an attribute's. */
export const ALIAS = 1;
export const ATTRIBUTE = 2;

/** What the instrumented code calls; `bind` and `made` return `value` unchanged. */
export interface InstrumentHelpers {
  bind<T>(value: T, names: BindingNames, line: number, column: number, flags?: number): T;
  made<T>(value: T, line: number, column: number): T;
  /** Each turn of a loop, with the loop's line: where a run stopped at its time limit was. */
  loop(line: number): void;
}

/**
 * Where a run is, in a cell the host can read while the run's thread is busy (a
 * SharedArrayBuffer): [line, file index]. Written by the helpers, read at a time-out.
 */
export const PROGRESS_LINE = 0;
export const PROGRESS_FILE = 1;
