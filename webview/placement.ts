/**
 * Where nodes go.
 * - Small graphs without modules: dagre, top to bottom.
 * - Graphs with modules: layeredLayout, which lays each module out as a block (dagre's compound
 *   layouts wander: modules out of order, boxes side by side).
 * - Huge graphs (over HUGE_DRAWN drawn nodes) also skip Cytoscape's compound nodes, whose cost
 *   grows too fast (every style change of a child walks its parents: seconds at 2,000 nodes):
 *   a module becomes a plain box sized to its contents and drawn beneath them (z-order by
 *   nesting depth). Same picture; only dragging is off, since a box would not follow. (dagre
 *   itself takes 0.2-0.9 s for 200 nodes on a busy 2-core box, ~25 s for 2,000 in modules.)
 * Edges are straight, except those whose line would cross other nodes: a residual connection
 * drawn straight runs down the middle of the chain it bypasses; it bows aside instead.
 */
import type cytoscape from "cytoscape";
import type { Elements } from "./graphElements";
import { layeredLayout } from "./layeredLayout";

/** Above this many drawn nodes the page switches to the huge-graph drawing. */
export const HUGE_DRAWN = 250;

/** The room a module box keeps around its contents, and for its header label. */
export const BOX_PAD = 14;
export const BOX_LABEL = 20;

/**
 * Gives every element its position from layeredLayout. With `flatten` (huge graphs), module
 * compounds become plain boxes; without, they stay compounds (Cytoscape sizes them around the
 * children placed here, with BOX_PAD padding and the header above, in the room left for it).
 */
export function placeLayered(els: Elements, flatten: boolean): void {
  const nodes = els.nodes.map((n) => ({
    id: n.data.id as string,
    parent: n.data.parent as string | undefined,
    w: n.data.w as number,
    h: n.data.h as number,
  }));
  const edges = els.edges.map((e) => ({
    source: e.data.source as string,
    target: e.data.target as string,
  }));
  const { leaves, boxes } = layeredLayout(nodes, edges, {
    nodeSep: 22,
    rankSep: 36,
    pad: BOX_PAD,
    label: BOX_LABEL,
  });
  const parentOf = new Map(nodes.map((n) => [n.id, n.parent]));
  const depth = (id: string): number => {
    let d = 0;
    for (let p = parentOf.get(id); p !== undefined && d < 64; p = parentOf.get(p)) d++;
    return d;
  };
  for (const def of els.nodes) {
    const id = def.data.id as string;
    const box = boxes.get(id);
    if (!flatten) {
      if (!box) def.position = leaves.get(id) ?? { x: 0, y: 0 }; // compounds follow children
      continue;
    }
    def.data = { ...def.data, parent: undefined };
    if (box) {
      def.data = { ...def.data, w: box.w, h: box.h, depth: depth(id) };
      def.classes = `${def.classes ?? ""} box`;
      def.position = { x: box.x, y: box.y };
    } else {
      def.position = leaves.get(id) ?? { x: 0, y: 0 };
    }
  }
  // Straight lines that would cross another node bow aside instead (residual connections).
  const at = new Map(els.nodes.map((n) => [n.data.id as string, n.position!]));
  const obstacles = els.nodes
    .filter((n) => !boxes.has(n.data.id as string)) // a module's box is no obstacle
    .map((n) => ({
      id: n.data.id as string,
      ...n.position!,
      w: n.data.w as number,
      h: n.data.h as number,
    }))
    .sort((a, b) => a.y - b.y);
  for (const e of els.edges) {
    const s = at.get(e.data.source as string);
    const t = at.get(e.data.target as string);
    if (!s || !t || Math.abs(t.y - s.y) < LONG_EDGE) continue;
    const [top, bottom] = s.y < t.y ? [s, t] : [t, s];
    let i = lowerBound(obstacles, top.y);
    let blocked = false;
    for (; i < obstacles.length && obstacles[i].y < bottom.y && !blocked; i++) {
      const o = obstacles[i];
      if (o.id === e.data.source || o.id === e.data.target) continue;
      const x = top.x + ((o.y - top.y) / (bottom.y - top.y)) * (bottom.x - top.x);
      blocked = Math.abs(x - o.x) < o.w / 2 + 4;
    }
    if (!blocked) continue;
    e.classes = `${e.classes ?? ""} long`;
    // Cytoscape measures the bow to the right of the source→target direction.
    e.data = { ...e.data, bow: (t.x >= s.x ? -1 : 1) * BOW };
  }
}

/** The first index whose y is past `y` (obstacles sorted by y). */
function lowerBound(sorted: readonly { y: number }[], y: number): number {
  let [lo, hi] = [0, sorted.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].y <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Shorter edges (model units, under about two ranks) have nothing between their ends. */
const LONG_EDGE = 150;
const BOW = 240; // a quadratic curve strays half its control distance from the chord

/** dagre, top to bottom: the picture for small graphs without modules. */
export function runDagre(cy: cytoscape.Core): void {
  const options = { name: "dagre", rankDir: "TB", nodeSep: 22, rankSep: 36, edgeSep: 8 };
  cy.layout({ ...options, fit: false, animate: false } as cytoscape.LayoutOptions).run();
}

/** The innermost expanded module whose header (label and top edge) is at `p`. */
export function moduleHeaderAt(cy: cytoscape.Core, p: cytoscape.Position): string | null {
  let best: string | null = null;
  let bestDepth = -1;
  for (const m of cy.nodes(".module").toArray() as cytoscape.NodeSingular[]) {
    if (m.hasClass("collapsed")) continue;
    const b = m.boundingBox({ includeLabels: false });
    // Huge graphs draw the header inside the box; compounds draw it just above.
    const [top, bottom] = m.hasClass("box") ? [b.y1, b.y1 + BOX_LABEL + 4] : [b.y1 - 18, b.y1 + 8];
    if (p.x < b.x1 || p.x > b.x2 || p.y < top || p.y > bottom) continue;
    const depth = m.ancestors().length + ((m.data("depth") as number | undefined) ?? 0);
    if (depth > bestDepth) [best, bestDepth] = [m.id(), depth];
  }
  return best;
}
