/** Reading bits of the user's source text by position (for explanations). */

/**
 * The text of the first argument of the call that starts at (line, column), 1-based: `x` for
 * `fc1.forward(x)`. Undefined when no call starts there or it has no argument.
 */
export function firstArgument(text: string, line: number, column: number): string | undefined {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return undefined;
    offset = next + 1;
  }
  let i = offset + column - 1;
  while (i < text.length && /[\w$.?\s]/.test(text[i]) && text[i] !== "(") i++;
  if (text[i] !== "(") return undefined;
  const start = ++i;
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if ((c === ")" || c === "]" || c === "}") && depth > 0) depth--;
    else if ((c === ")" || c === ",") && depth === 0) {
      const arg = text.slice(start, i).trim();
      return arg || undefined;
    }
  }
  return undefined;
}
