/**
 * Where to look at a laid-out graph, worked out from node rectangles we already know rather
 * than from Cytoscape's bounding boxes (those measure every label: about a second on 2,000
 * nodes). Pure, so the big-graph path can decide the view before anything is drawn.
 */

export interface NodeRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Viewport {
  zoom: number;
  pan: { x: number; y: number };
}

/** Fit never zooms in past this (a three-node graph should not fill the screen). */
export const MAX_FIT_ZOOM = 1.25;
/**
 * The least zoom a fit goes to: node labels (NODE_FONT_PX) stay at least 11 px on screen and
 * edge labels (EDGE_FONT_PX) at least 10 px. A graph too big for it is panned, not shrunk.
 */
export const READABLE_ZOOM = 0.95;
const PAD = 24;

/**
 * The viewport that shows all `rects` (centres and sizes) in a `width` × `height` view.
 * With `readable`, a graph too big to read when fitted (a deep network is a long chain) is
 * shown at a zoom where labels can be read: centred along a side that fits, and from its start
 * (top or left, where the data enters) along one that does not.
 * `margin` is the room module boxes add around their contents (padding, headers).
 */
export function fitViewport(
  rects: Iterable<NodeRect>,
  view: { width: number; height: number; minZoom: number },
  opts: { readable: boolean; margin: { side: number; top: number } },
): Viewport | null {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const r of rects) {
    x1 = Math.min(x1, r.x - r.w / 2);
    y1 = Math.min(y1, r.y - r.h / 2);
    x2 = Math.max(x2, r.x + r.w / 2);
    y2 = Math.max(y2, r.y + r.h / 2);
  }
  if (!Number.isFinite(x1)) return null;
  [x1, y1, x2, y2] = [
    x1 - opts.margin.side,
    y1 - opts.margin.top,
    x2 + opts.margin.side,
    y2 + opts.margin.side,
  ];
  const { width: vw, height: vh } = view;
  const fitted = Math.min(
    (vw - 2 * PAD) / (x2 - x1 || 1),
    (vh - 2 * PAD) / (y2 - y1 || 1),
    MAX_FIT_ZOOM,
  );
  const zoom = Math.max(view.minZoom, fitted);
  if (opts.readable && zoom < READABLE_ZOOM) {
    const z = READABLE_ZOOM;
    const along = (lo: number, hi: number, room: number): number =>
      (hi - lo) * z <= room - 2 * PAD ? room / 2 - (z * (lo + hi)) / 2 : PAD - z * lo;
    return { zoom: z, pan: { x: along(x1, x2, vw), y: along(y1, y2, vh) } };
  }
  return { zoom, pan: { x: vw / 2 - (zoom * (x1 + x2)) / 2, y: vh / 2 - (zoom * (y1 + y2)) / 2 } };
}

/** Whether a rect is within the part of the graph a viewport shows, widened by `slack` views. */
export function inView(
  r: NodeRect,
  v: Viewport,
  view: { width: number; height: number },
  slack: number,
): boolean {
  const [w, h] = [view.width / v.zoom, view.height / v.zoom];
  const left = -v.pan.x / v.zoom - slack * w;
  const top = -v.pan.y / v.zoom - slack * h;
  return (
    r.x + r.w / 2 >= left &&
    r.x - r.w / 2 <= left + w * (1 + 2 * slack) &&
    r.y + r.h / 2 >= top &&
    r.y - r.h / 2 <= top + h * (1 + 2 * slack)
  );
}
