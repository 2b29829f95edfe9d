/**
 * Adds a huge graph to Cytoscape in pieces: what the first view shows at once, the rest in
 * chunks between frames, top to bottom. Cytoscape styles and measures every element it holds
 * before drawing a frame (about a millisecond each), so a 2,000-node graph shown whole would
 * keep the page blank for seconds; this way the user sees and uses the top of the graph almost
 * at once. Anything that needs every element (export, select, re-render) calls `finish()`.
 */
import type cytoscape from "cytoscape";

/**
 * Nodes per later chunk. Every frame walks (and z-sorts) all elements already added, so few big
 * chunks cost least: a 2,000-node graph goes in as its first view plus one chunk (~0.1 s sooner
 * than chunks of 250, at the price of one longer busy stretch while the unseen rest arrives).
 */
const CHUNK = 2000;

export class ProgressiveAdd {
  private rest: cytoscape.ElementDefinition[][] = [];
  private timer = 0;
  private frame = 0;
  private done: (() => void) | null = null;

  constructor(private readonly cy: cytoscape.Core) {}

  get pending(): boolean {
    return this.done !== null;
  }

  /**
   * Adds `first` (node ids) now and the other nodes later, each edge with its later endpoint;
   * `nodes` are expected in drawing order (top to bottom). Calls `done` once all are in.
   */
  start(
    nodes: cytoscape.ElementDefinition[],
    edges: cytoscape.ElementDefinition[],
    first: ReadonlySet<string>,
    done: () => void,
  ): void {
    this.cancel();
    this.done = done;
    const order = [
      ...nodes.filter((n) => first.has(n.data.id!)),
      ...nodes.filter((n) => !first.has(n.data.id!)),
    ];
    const at = new Map(order.map((n, i) => [n.data.id!, i]));
    const edgesAt = new Map<number, cytoscape.ElementDefinition[]>();
    for (const e of edges) {
      const i = Math.max(at.get(e.data.source!) ?? 0, at.get(e.data.target!) ?? 0);
      if (!edgesAt.has(i)) edgesAt.set(i, []);
      edgesAt.get(i)!.push(e);
    }
    const piece = (from: number, to: number): cytoscape.ElementDefinition[] => {
      const els = order.slice(from, to);
      for (let i = from; i < to; i++) els.push(...(edgesAt.get(i) ?? []));
      return els;
    };
    const firstCount = Math.max(first.size, 1);
    this.cy.add(piece(0, firstCount));
    for (let i = firstCount; i < order.length; i += CHUNK)
      this.rest.push(piece(i, Math.min(order.length, i + CHUNK)));
    const next = (): void => {
      const els = this.rest.shift();
      if (els) this.cy.add(els);
      if (this.rest.length) this.afterFrame(next);
      else this.settle();
    };
    // One frame more before the first chunk: the first view is drawn, and reported, on its own.
    this.frame = requestAnimationFrame(() => this.afterFrame(next));
  }

  /** Adds whatever is still waiting, now. */
  finish(): void {
    if (!this.done) return;
    this.stopTimers();
    const rest = this.rest.flat();
    this.rest = [];
    if (rest.length) this.cy.add(rest);
    this.settle();
  }

  /** Drops what is still waiting (a new graph replaces this one). */
  cancel(): void {
    this.stopTimers();
    this.rest = [];
    this.done = null;
  }

  /** Runs `fn` just after the next frame (the one that draws what was added), not idling. */
  private afterFrame(fn: () => void): void {
    this.frame = requestAnimationFrame(() => (this.timer = window.setTimeout(fn, 0)));
  }

  private stopTimers(): void {
    cancelAnimationFrame(this.frame);
    window.clearTimeout(this.timer);
  }

  private settle(): void {
    const done = this.done;
    this.done = null;
    done?.();
  }
}
