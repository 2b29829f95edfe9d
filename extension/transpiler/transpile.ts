/**
 * One user file, TypeScript → CommonJS JavaScript with an inline source map, instrumented (see
 * instrument.ts). Syntax errors come back with their line, from TypeScript's own diagnostics.
 * Only the transpiler worker (and in-process callers: unit tests) load this, and TypeScript
 * with it; the worker that runs user code asks that worker (transpileClient.ts).
 */
import * as ts from "typescript";
import { instrument } from "./instrument";
import type { Transpiled } from "../runProtocol/transpiled";

const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  inlineSourceMap: true,
  inlineSources: true,
};

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

export function transpile(file: string, source: string): Transpiled {
  const out = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: OPTIONS,
    reportDiagnostics: true,
    transformers: { before: [instrument] },
  });
  const problems = (out.diagnostics ?? [])
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const { line, character } =
        d.file && d.start !== undefined
          ? d.file.getLineAndCharacterOfPosition(d.start)
          : { line: 0, character: 0 };
      return {
        message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
        line: line + 1,
        column: character + 1,
      };
    });
  const inline = INLINE_MAP.exec(out.outputText);
  const sourceMap = inline
    ? Buffer.from(inline[1], "base64").toString("utf8")
    : '{"version":3,"sources":[],"names":[],"mappings":""}';
  return { code: out.outputText, sourceMap, problems };
}
