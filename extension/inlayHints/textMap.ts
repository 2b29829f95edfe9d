// Carries places in the text a run saw over to the text the editor has now, so that hints stay
// on their calls while the user types and the next run has not finished. Pure (no vscode).

/**
 * The edit between two texts, taken as one changed span (the longest common prefix and suffix
 * stay): exact for the usual single edit between runs; with several, places between them count
 * as changed and are dropped rather than guessed.
 */
export class TextMap {
  private readonly prefix: number;
  private readonly suffix: number;
  private lineStarts: number[] | undefined;

  constructor(
    readonly before: string,
    private readonly after: string,
  ) {
    const max = Math.min(before.length, after.length);
    let p = 0;
    while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
    let s = 0;
    while (
      s < max - p &&
      before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)
    ) {
      s++;
    }
    this.prefix = p;
    this.suffix = s;
  }

  /** The offset in `before` of a 1-based line and column, or undefined past its end. */
  offsetOf(line: number, column: number): number | undefined {
    this.lineStarts ??= lineStarts(this.before);
    const start = this.lineStarts[line - 1];
    return start === undefined
      ? undefined
      : Math.min(start + Math.max(column - 1, 0), this.before.length);
  }

  /** Where offset `at` of `before` is in `after`; undefined when the edit replaced it. */
  map(at: number): number | undefined {
    if (at <= this.prefix) return at;
    if (at >= this.before.length - this.suffix) return at + this.after.length - this.before.length;
    return undefined;
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}
