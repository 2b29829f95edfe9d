/**
 * Where nodes go.
 * - Every graph: layeredLayout, which lays each module out as a block (dagre's compound layouts
 *   wander: modules out of order, boxes side by side), top to bottom or left to right, whichever
 *   shows the graph larger in the panel.
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
import { layeredLayout, type Placement, type Point, type Rect } from "./layeredLayout";
import { MAX_FIT_ZOOM } from "./viewport";
import { BOX_LABEL, BOX_PAD } from "./boxMetrics";

/** Above this many drawn nodes the page switches to the huge-graph drawing. */
export const HUGE_DRAWN = 250;

/** Ranks top to bottom, or left to right: whichever suits the panel's shape. */
export type Direction = "TB" | "LR";

/** The layout of the elements in its own frame, where ranks always run top to bottom. */
function layoutOf(els: Elements, dir: Direction): Placement {
  const across = dir === "LR"; // laid out transposed, then turned back
  const nodes = els.nodes.map((n) => ({
    id: n.data.id as string,
    parent: n.data.parent as string | undefined,
    w: (across ? n.data.h : n.data.w) as number,
    h: (across ? n.data.w : n.data.h) as number,
  }));
  const edges = els.edges.map((e) => ({
    source: e.data.source as string,
    target: e.data.target as string,
  }));
  // A box's header is on its top side either way: turned, the room for it goes on every side.
  const spacing = across
    ? { nodeSep: 22, rankSep: 56, pad: BOX_PAD + BOX_LABEL / 2, label: 0 }
    : { nodeSep: 22, rankSep: 36, pad: BOX_PAD, label: BOX_LABEL };
  return layeredLayout(nodes, edges, spacing);
}

/** Width and height of a layout (in the panel's frame). */
function extent(p: Placement, els: Elements, dir: Direction): { w: number; h: number } {
  const size = new Map(els.nodes.map((n) => [n.data.id as string, n.data] as const));
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (c: Point, w: number, h: number): void => {
    [x1, y1] = [Math.min(x1, c.x - w / 2), Math.min(y1, c.y - h / 2)];
    [x2, y2] = [Math.max(x2, c.x + w / 2), Math.max(y2, c.y + h / 2)];
  };
  for (const [id, c] of p.leaves) {
    const d = size.get(id);
    if (d) add(c, (dir === "LR" ? d.h : d.w) as number, (dir === "LR" ? d.w : d.h) as number);
  }
  for (const b of p.boxes.values()) add(b, b.w, b.h);
  if (!Number.isFinite(x1)) return { w: 0, h: 0 };
  return dir === "LR" ? { w: y2 - y1, h: x2 - x1 } : { w: x2 - x1, h: y2 - y1 };
}

/**
 * The direction whose layout can be shown larger in a `view`-sized panel: a long chain runs
 * down a tall panel and across a wide one. Ties (both fit at full size) go top to bottom.
 */
export function chooseDirection(els: Elements, view: { width: number; height: number }): Direction {
  if (els.nodes.length > HUGE_DRAWN || els.nodes.length < 2) return "TB";
  const zoom = (dir: Direction): number => {
    const e = extent(layoutOf(els, dir), els, dir);
    return Math.min(view.width / (e.w || 1), view.height / (e.h || 1), MAX_FIT_ZOOM);
  };
  return zoom("LR") > zoom("TB") * 1.05 ? "LR" : "TB";
}

/**
 * Gives every element its position from layeredLayout. With `flatten` (huge graphs), module
 * compounds become plain boxes; without, they stay compounds (Cytoscape sizes them around the
 * children placed here, with BOX_PAD padding and the header above, in the room left for it).
 */
export function placeLayered(els: Elements, flatten: boolean, dir: Direction = "TB"): void {
  const { leaves, boxes } = layoutOf(els, dir);
  const parentOf = new Map(els.nodes.map((n) => [n.data.id as string, n.data.parent as string]));
  const depth = (id: string): number => {
    let d = 0;
    for (let p = parentOf.get(id); p !== undefined && d < 64; p = parentOf.get(p)) d++;
    return d;
  };
  const across = dir === "LR";
  for (const def of els.nodes) {
    const id = def.data.id as string;
    const box = boxes.get(id);
    if (!flatten) {
      if (!box) def.position = leaves.get(id) ?? { x: 0, y: 0 }; // compounds follow children
      continue;
    }
    def.data = { ...def.data, parent: undefined };
    if (box) {
      const [w, h] = across ? [box.h, box.w] : [box.w, box.h];
      def.data = { ...def.data, w, h, depth: depth(id) };
      def.classes = `${def.classes ?? ""} box`;
      def.position = { x: box.x, y: box.y };
    } else {
      def.position = leaves.get(id) ?? { x: 0, y: 0 };
    }
  }
  bowLongEdges(els, boxes, across);
  if (!across && !flatten) for (const e of els.edges) e.classes = `${e.classes ?? ""} down`;
  // Turned back: the layout's ranks (its y) become the panel's x.
  if (across) for (const def of els.nodes) if (def.position) def.position = turn(def.position);
}

const turn = (p: Point): Point => ({ x: p.y, y: p.x });

/**
 * Straight lines that would cross another node bow aside instead (residual connections).
 * Works in the layout's frame (ranks down the y axis), where node sizes are turned when `across`.
 */
function bowLongEdges(els: Elements, boxes: ReadonlyMap<string, Rect>, across: boolean): void {
  const at = new Map(els.nodes.map((n) => [n.data.id as string, n.position!]));
  const obstacles = els.nodes
    .filter((n) => !boxes.has(n.data.id as string)) // a module's box is no obstacle
    .map((n) => ({
      id: n.data.id as string,
      ...n.position!,
      w: (across ? n.data.h : n.data.w) as number,
      h: (across ? n.data.w : n.data.h) as number,
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
    // Cytoscape measures the bow to the right of the source→target direction (a mirror image
    // when the layout is turned).
    const side = (t.x >= s.x ? -1 : 1) * (across ? -1 : 1);
    e.data = { ...e.data, bow: side * BOW };
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
