/**
 * Names for tensors the source never bound to a variable, read from the source text at the call
 * that made or used them: `x.view(-1)`, `torch.randn(1, 600)`. Op locations point at the called
 * name (`view` in `x.view(-1)`), as V8's stack frames do. Pure text work: no parser, so it reads
 * only what is plainly there and says nothing otherwise.
 */

/** A call in the source: `receiver.name(args)`, or `name(args)`. */
export interface CallText {
  /** The whole call, as written (whitespace runs squeezed). */
  text: string;
  receiver?: string;
  args: string[];
}

const IDENT = /[\w$]/;
const OPEN: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const CLOSE: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

/** The offset of a 1-based (line, column), or -1 past the end. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return -1;
    offset = next + 1;
  }
  return offset + column - 1;
}

/** The offset just past the bracket group opening at `i`, or -1 (strings are skipped whole). */
function groupEnd(text: string, i: number): number {
  const stack: string[] = [];
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === "`") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return -1;
      i = end;
    } else if (OPEN[c]) stack.push(OPEN[c]);
    else if (CLOSE[c]) {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

/** The start of the member chain ending just before `end` (`net.fc1`, `torch.randn(2, 2)`). */
function chainStart(text: string, end: number): number {
  let i = end;
  for (;;) {
    while (i > 0 && IDENT.test(text[i - 1])) i--;
    if (i > 0 && CLOSE[text[i - 1]]) {
      // a call or index before: walk back to its opening bracket, then to what was called
      let depth = 0;
      let j = i - 1;
      for (; j >= 0; j--) {
        if (CLOSE[text[j]]) depth++;
        else if (OPEN[text[j]] && --depth === 0) break;
      }
      if (j < 0) return i;
      i = j;
      continue;
    }
    if (i > 0 && text[i - 1] === ".") {
      i--;
      continue;
    }
    return i;
  }
}

/** Top-level comma-separated parts of a bracket group's inside. */
function splitArgs(inside: string): string[] {
  const args: string[] = [];
  let start = 0;
  for (let i = 0; i < inside.length; i++) {
    const c = inside[i];
    if (c === '"' || c === "'" || c === "`") {
      const end = inside.indexOf(c, i + 1);
      if (end < 0) break;
      i = end;
    } else if (OPEN[c]) {
      const end = groupEnd(inside, i);
      if (end < 0) break;
      i = end - 1;
    } else if (c === ",") {
      args.push(inside.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = inside.slice(start).trim();
  if (last) args.push(last);
  return args;
}

const squeeze = (s: string): string => s.replace(/\s+/g, " ").trim();

/** The call whose called name starts at (line, column), 1-based; undefined if none is there. */
export function callAt(text: string, line: number, column: number): CallText | undefined {
  const at = offsetOf(text, line, column);
  if (at < 0 || at >= text.length || !IDENT.test(text[at])) return undefined;
  let i = at;
  while (i < text.length && IDENT.test(text[i])) i++;
  while (i < text.length && /\s/.test(text[i])) i++;
  if (text[i] !== "(") return undefined;
  const end = groupEnd(text, i);
  if (end < 0) return undefined;
  const dot = text[at - 1] === "." ? at - 1 : -1;
  const start = dot >= 0 ? chainStart(text, dot) : at;
  const receiver = dot >= 0 && start < dot ? squeeze(text.slice(start, dot)) : undefined;
  return {
    text: squeeze(text.slice(start, end)),
    ...(receiver ? { receiver } : {}),
    args: splitArgs(text.slice(i + 1, end - 1)).map(squeeze),
  };
}

/** A label no longer than `max` characters (`torch.randn(1, 600)`, `net.forward(images, …`). */
export function shortLabel(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Whether an argument's text makes a value (`torch.randn(1, 600)`, `[1, 2]`), not just names one. */
export function makesValue(arg: string): boolean {
  return /[([{]/.test(arg);
}
