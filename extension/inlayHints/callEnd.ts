// Where a call written in the source ends, so that a hint can sit right after its `)`.
// Pure text scanning (no vscode): a run reports where a call starts (`conv.forward(x)`,
// `F.conv1d(...)`, `new nn.Conv2d(...)`), the hint belongs after the matching parenthesis.
import { callArguments, type SourceLanguage } from "../codeActions/callArguments";

/**
 * The offset just past the `)` that closes the first call at or after `start`, or undefined
 * when the text there is not a call (see callArguments).
 *
 * @example callEnd("y = conv.forward(f(x)) + 1", 4, "typescript") === 22
 */
export function callEnd(
  text: string,
  start: number,
  language: SourceLanguage,
): number | undefined {
  const call = callArguments(text, start, language);
  return call && call.close + 1;
}
