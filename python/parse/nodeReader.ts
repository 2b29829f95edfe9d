/**
 * Reading Lezer's Python tree: each node's text, 1-based line and column, its children (an
 * error node is a SyntaxError on its line), and the SyntaxError for syntax Gradlens does not run.
 */
import type { SyntaxNode } from "@lezer/common";

/** A Python file Gradlens cannot run: bad syntax, or syntax outside the subset. */
export class PySyntaxError extends Error {
  override name = "SyntaxError";
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

export class NodeReader {
  constructor(
    protected readonly src: string,
    protected readonly lineStarts: number[],
  ) {}

  protected line(pos: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** 1-based column of `pos`. */
  protected column(pos: number): number {
    return pos - this.lineStarts[this.line(pos) - 1] + 1;
  }

  protected text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  protected children(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.type.isError) throw new PySyntaxError("invalid syntax", this.line(c.from));
      if (c.name !== "Comment") out.push(c);
    }
    return out;
  }

  protected fail(n: SyntaxNode, what: string): never {
    throw new PySyntaxError(`Gradlens does not run ${what}`, this.line(n.from));
  }

  /** Splits children at `sep` tokens. */
  protected split(nodes: SyntaxNode[], sep: string): SyntaxNode[][] {
    const groups: SyntaxNode[][] = [[]];
    for (const c of nodes) {
      if (c.name === sep) groups.push([]);
      else groups[groups.length - 1].push(c);
    }
    return groups;
  }
}
