// Where a call written in the source ends, so that a hint can sit right after its `)`.
// Pure text scanning (no vscode): a run reports where a call starts (`conv.forward(x)`,
// `F.conv1d(...)`, `new nn.Conv2d(...)`), the hint belongs after the matching parenthesis.

/** How far past the start a call may reach before we give up and use the end of the line. */
const MAX_CALL_LENGTH = 4000;

/**
 * The offset just past the `)` that closes the first call at or after `start`, or undefined
 * when the text there is not a call (only a callee — names, dots, `new`, `?.`, spaces — may come
 * before its `(`). Brackets inside strings, template literals and comments are skipped.
 *
 * @example callEnd("y = conv.forward(f(x)) + 1", 4) === 22
 */
export function callEnd(text: string, start: number): number | undefined {
  const end = Math.min(text.length, start + MAX_CALL_LENGTH);
  let i = start;
  while (i < end && text[i] !== "(") {
    if (!/[\w$.?\s]/.test(text[i])) return undefined;
    i++;
  }
  let depth = 0;
  for (; i < end; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === "`") {
      i = skipString(text, i, end);
    } else if (c === "/" && text[i + 1] === "/") {
      i = text.indexOf("\n", i);
      if (i < 0) return undefined;
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2) + 1;
      if (i <= 0) return undefined;
    } else if (c === "(" || c === "[" || c === "{") {
      depth++;
    } else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

/** The index of the quote that closes the string opened at `i` (or `end - 1`). */
function skipString(text: string, i: number, end: number): number {
  const quote = text[i];
  for (let j = i + 1; j < end; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === quote) return j;
  }
  return end - 1;
}
