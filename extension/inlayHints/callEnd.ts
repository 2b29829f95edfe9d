// Where a call written in the source ends, so that a hint can sit right after its `)`.
// Pure text scanning (no vscode): a run reports where a call starts (`conv.forward(x)`,
// `F.conv1d(...)`, `new nn.Conv2d(...)`, Python's `y[:, :1]`), the hint belongs after the
// matching parenthesis or bracket.
import { callOrSubscript, type SourceLanguage } from "../codeActions/callArguments";

/**
 * The offset just past the `)` that closes the first call at or after `start` (or the `]` of a
 * subscript without a call), or undefined when neither starts there (see callOrSubscript).
 *
 * @example callEnd("y = conv.forward(f(x)) + 1", 4, "typescript") === 22
 */
export function callEnd(
  text: string,
  start: number,
  language: SourceLanguage,
): number | undefined {
  const call = callOrSubscript(text, start, language);
  return call && call.close + 1;
}
