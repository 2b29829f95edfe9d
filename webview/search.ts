/**
 * Finding nodes by name: a variable (`images`), a layer (`conv`, `Linear`, `net.3`) or an op
 * (`Addmm`). Nodes hidden in a collapsed layer or a fold are found through the node drawn in
 * their place. Pure, so that the rules can be tested on their own.
 */
import type cytoscape from "cytoscape";
import type { DrawnGraph } from "./graphModel";
import type { GraphDto } from "./protocol";

/** The drawn nodes that show or hold a node whose name, layer or label contains `query`. */
export function findDrawn(graph: GraphDto, drawn: DrawnGraph, query: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const drawnIds = new Set(drawn.nodes.map((n) => n.id));
  const found = new Set<string>();
  for (const n of graph.nodes) {
    const text = `${n.label}\u0000${n.layer ?? ""}`.toLowerCase();
    if (!text.includes(q)) continue;
    const owner = drawn.ownerOf(n.id);
    if (drawnIds.has(owner)) found.add(owner);
  }
  // In drawing order, so that "next match" walks the graph the way it reads.
  return drawn.nodes.filter((n) => found.has(n.id)).map((n) => n.id);
}

/** The drawn nodes a search found, highlighted, and which of them is centred. */
export class SearchMatches {
  private ids: string[] = [];
  private at = 0;

  constructor(private readonly drawn: () => DrawnGraph | null) {}

  /** Forgets the matches (the drawing they were in is gone). */
  clear(): void {
    this.ids = [];
    this.at = 0;
  }

  /**
   * With `find`, matches anew and centres the first; without (null), centres the next match.
   * Returns how many drawn nodes match.
   */
  find(cy: cytoscape.Core, find: ((drawn: DrawnGraph) => string[]) | null): number {
    const drawn = this.drawn();
    if (find || this.ids.length === 0) {
      this.ids = find && drawn ? find(drawn) : [];
      this.at = 0;
    } else this.at = (this.at + 1) % this.ids.length;
    cy.batch(() => {
      cy.nodes(".match").removeClass("match");
      for (const id of this.ids) cy.getElementById(id).addClass("match");
    });
    const shown = this.ids[this.at];
    if (shown !== undefined) {
      cy.stop(true); // typing searches on every key: only the latest centring counts
      cy.animate({ center: { eles: cy.getElementById(shown) } }, { duration: 200 });
    }
    return this.ids.length;
  }
}
