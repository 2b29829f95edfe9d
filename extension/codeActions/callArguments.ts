// The parentheses and arguments of a call written in the source. Pure text scanning (no
// vscode): a run reports where a call starts (`conv.forward(x)`, `new nn.Linear(400, 120)`,
// `loss.backward()`); hints go after its `)`, quick fixes replace one of its arguments.

/** How far past the start a call may reach before we give up. */
const MAX_CALL_LENGTH = 4000;

/** The languages of model files: they differ in how comments are written. */
export type SourceLanguage = "typescript" | "python";

/** A model file's language, by its name. */
export const languageOf = (file: string): SourceLanguage =>
  /\.py$/i.test(file) ? "python" : "typescript";

/** A span of the text: [start, end). */
export interface Span {
  start: number;
  end: number;
}

export interface CallArguments {
  /** Offsets of the call's `(` and `)`. */
  open: number;
  close: number;
  /** Each argument's text span, trimmed of spaces (none for `f()`). */
  args: Span[];
}

/**
 * The first call at or after `start`, or undefined when the text there is not a call (only a
 * callee — names, dots, `new`, `?.`, spaces, subscripts like `layers[0]` — may come before its
 * `(`). Brackets and commas inside strings, template literals and comments are skipped
 * (Python's comments start with `#`; its `//` divides).
 *
 * @example callArguments("y = fc.forward(f(x), 2)", 4)  // args: "f(x)" and "2"
 */
export function callArguments(
  text: string,
  start: number,
  language: SourceLanguage = "typescript",
): CallArguments | undefined {
  const found = callOrSubscript(text, start, language);
  return found && "args" in found ? found : undefined;
}

/**
 * Where the call at `start` ends (its `)`), or where a subscript without a call ends (the `]`
 * of `y[:, :1]` or `layers[0]`); undefined when neither starts there.
 */
export function callOrSubscript(
  text: string,
  start: number,
  language: SourceLanguage,
): CallArguments | { close: number } | undefined {
  const end = Math.min(text.length, start + MAX_CALL_LENGTH);
  let subscript: { close: number } | undefined;
  let i = start;
  while (i < end && text[i] !== "(") {
    if (text[i] === "[") {
      const group = bracketed(text, i, end, language);
      if (!group) return undefined;
      subscript = { close: group.close };
      i = group.close + 1;
    } else if (/[\w$.?\s]/.test(text[i])) {
      i++;
    } else {
      return subscript;
    }
  }
  return i < end ? bracketed(text, i, end, language) : subscript;
}

/** The bracket that closes the one at `open`, with the comma-separated items between them. */
function bracketed(
  text: string,
  open: number,
  end: number,
  language: SourceLanguage,
): CallArguments | undefined {
  const args: Span[] = [];
  let argStart = open + 1;
  let depth = 0;
  for (let i = open; i < end; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === "`") {
      i = skipString(text, i, end);
    } else if (startsLineComment(text, i, language)) {
      i = text.indexOf("\n", i);
      if (i < 0) return undefined;
    } else if (language === "typescript" && c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2) + 1;
      if (i <= 0) return undefined;
    } else if (c === "(" || c === "[" || c === "{") {
      depth++;
    } else if (c === "," && depth === 1) {
      args.push(trimmed(text, argStart, i));
      argStart = i + 1;
    } else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) {
        const last = trimmed(text, argStart, i);
        if (last.end > last.start) args.push(last); // a trailing comma adds no argument
        return { open, close: i, args };
      }
    }
  }
  return undefined;
}

/** Whether a comment to the end of the line starts at `i`. */
const startsLineComment = (text: string, i: number, language: SourceLanguage): boolean =>
  language === "python" ? text[i] === "#" : text[i] === "/" && text[i + 1] === "/";

/** [start, end) without the spaces (and comments' newlines) around it. */
function trimmed(text: string, start: number, end: number): Span {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
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
