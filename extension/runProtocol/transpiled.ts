/** A transpiled user file as it travels from the transpiler worker to a run worker. */

export interface SyntaxProblem {
  message: string;
  /** 1-based, as editors show them. */
  line: number;
  column: number;
}

export interface Transpiled {
  /** CommonJS JavaScript, instrumented, ending in an inline source map. */
  code: string;
  /** The source map (JSON): generated positions → the .ts file's. */
  sourceMap: string;
  problems: SyntaxProblem[];
}

/** TypeScript → Transpiled, however it is reached (in process, or the transpiler worker). */
export type TranspileFn = (file: string, source: string) => Transpiled;
