/**
 * A fast layered layout for graphs too big for dagre (which takes ~25 s on 2,000 nodes inside
 * modules). Same picture in spirit: ranks top to bottom in the forward direction, nodes ordered
 * within a rank to cut crossings, each node centred under what feeds it.
 *
 * Compound nodes are laid out from the inside out: a module's children are laid out first, and
 * the module then takes part in its parent's layout as one box of that size (edges that cross
 * its border count as edges of the box). Each level is a plain DAG: longest-path ranks, a few
 * barycenter sweeps, then x placement. Linear-ish in nodes + edges; no dummy nodes, so an edge
 * that skips ranks is drawn straight over what lies between.
 */

export interface LayoutNode {
  id: string;
  parent?: string;
  w: number;
  h: number;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface LayoutSpacing {
  nodeSep: number;
  rankSep: number;
  /** Room a compound box adds around its children (padding, plus its label on top). */
  pad: number;
  label: number;
}

export type Point = { x: number; y: number };

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Box {
  w: number;
  h: number;
  /** Centres of the box's leaf descendants, relative to the box's top-left corner. */
  leaves: Map<string, Point>;
  /** Centres and sizes of the compound nodes inside, likewise. */
  boxes: Map<string, Rect>;
}

export interface Placement {
  /** Centres of the childless nodes. */
  leaves: Map<string, Point>;
  /** Centre and size of every compound node. */
  boxes: Map<string, Rect>;
}

const ROOT = "\u0000root";

/** Where every node goes: leaves by centre, compound nodes by centre and size. */
export function layeredLayout(
  nodes: LayoutNode[],
  edges: LayoutEdge[],
  s: LayoutSpacing,
): Placement {
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  const kids = new Map<string, string[]>();
  const parentOf = (id: string): string => {
    const p = byId.get(id)?.parent;
    return p !== undefined && byId.has(p) ? p : ROOT;
  };
  for (const n of nodes) {
    const p = parentOf(n.id);
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p)!.push(n.id);
  }
  // Each edge belongs to the level of its endpoints' deepest common ancestor, between the two
  // children of that ancestor that hold the endpoints.
  const chain = (id: string): string[] => {
    const c = [id];
    for (let p = parentOf(id); p !== ROOT; p = parentOf(p)) c.push(p);
    c.push(ROOT);
    return c.reverse();
  };
  const levelEdges = new Map<string, [string, string][]>();
  for (const e of edges) {
    if (!byId.has(e.source) || !byId.has(e.target)) continue;
    const a = chain(e.source);
    const b = chain(e.target);
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (i >= a.length || i >= b.length) continue; // one holds the other
    const level = a[i - 1];
    if (!levelEdges.has(level)) levelEdges.set(level, []);
    levelEdges.get(level)!.push([a[i], b[i]]);
  }

  const layoutLevel = (key: string): Box => {
    const items = kids.get(key) ?? [];
    const sizes = new Map<string, Box>();
    for (const id of items) {
      if (kids.has(id)) {
        const inner = layoutLevel(id);
        sizes.set(id, { ...inner, w: inner.w + 2 * s.pad, h: inner.h + 2 * s.pad + s.label });
      } else {
        const n = byId.get(id)!;
        sizes.set(id, {
          w: n.w,
          h: n.h,
          leaves: new Map([[id, { x: n.w / 2, y: n.h / 2 }]]),
          boxes: new Map(),
        });
      }
    }
    const pos = placeLevel(items, levelEdges.get(key) ?? [], sizes, s);
    let w = 0;
    let h = 0;
    for (const id of items) {
      const b = sizes.get(id)!;
      const p = pos.get(id)!;
      w = Math.max(w, p.x + b.w);
      h = Math.max(h, p.y + b.h);
    }
    const leaves = new Map<string, Point>();
    const boxes = new Map<string, Rect>();
    for (const id of items) {
      const b = sizes.get(id)!;
      const p = pos.get(id)!;
      const inset = kids.has(id) ? { x: s.pad, y: s.pad + s.label } : { x: 0, y: 0 };
      for (const [leaf, c] of b.leaves)
        leaves.set(leaf, { x: p.x + inset.x + c.x, y: p.y + inset.y + c.y });
      for (const [box, r] of b.boxes)
        boxes.set(box, { ...r, x: p.x + inset.x + r.x, y: p.y + inset.y + r.y });
      if (kids.has(id)) boxes.set(id, { x: p.x + b.w / 2, y: p.y + b.h / 2, w: b.w, h: b.h });
    }
    return { w, h, leaves, boxes };
  };
  const { leaves, boxes } = layoutLevel(ROOT);
  return { leaves, boxes };
}

/** Top-left corners of one level's items. */
function placeLevel(
  items: string[],
  edges: [string, string][],
  sizes: Map<string, { w: number; h: number }>,
  s: LayoutSpacing,
): Map<string, Point> {
  const ins = new Map<string, string[]>(items.map((id) => [id, []]));
  const outs = new Map<string, string[]>(items.map((id) => [id, []]));
  const seen = new Set<string>();
  for (const [a, b] of edges) {
    const k = a + "\u0000" + b;
    if (a === b || seen.has(k)) continue;
    seen.add(k);
    outs.get(a)!.push(b);
    ins.get(b)!.push(a);
  }
  const order = topoOrder(items, ins, outs);
  // Longest-path ranks (ignoring the back edges of any cycle); then sources move down to sit
  // just above their first consumer (a layer's weight beside its op, not at the very top).
  const index = new Map(order.map((id, i) => [id, i]));
  const forward = (a: string, b: string): boolean => index.get(a)! < index.get(b)!;
  const rank = new Map<string, number>();
  for (const id of order) {
    let r = 0;
    for (const p of ins.get(id)!) if (forward(p, id)) r = Math.max(r, rank.get(p)! + 1);
    rank.set(id, r);
  }
  for (const id of order) {
    const next = outs.get(id)!.filter((t) => forward(id, t));
    if (ins.get(id)!.length === 0 && next.length)
      rank.set(id, Math.min(...next.map((t) => rank.get(t)!)) - 1);
  }
  const ranks: string[][] = [];
  for (const id of order) (ranks[rank.get(id)!] ??= []).push(id);
  for (let r = 0; r < ranks.length; r++) ranks[r] ??= [];

  // Barycenter sweeps: down (by predecessors), up (by successors).
  const slot = new Map<string, number>();
  ranks.forEach((row) => row.forEach((id, i) => slot.set(id, i)));
  const sweep = (row: string[], nbrs: Map<string, string[]>): void => {
    const key = new Map<string, number>();
    for (const id of row) {
      const ns = nbrs.get(id)!;
      key.set(id, ns.length ? ns.reduce((a, n) => a + slot.get(n)!, 0) / ns.length : slot.get(id)!);
    }
    row.sort((a, b) => key.get(a)! - key.get(b)!);
    row.forEach((id, i) => slot.set(id, i));
  };
  for (let pass = 0; pass < 4; pass++) {
    if (pass % 2 === 0) for (let r = 1; r < ranks.length; r++) sweep(ranks[r], ins);
    else for (let r = ranks.length - 2; r >= 0; r--) sweep(ranks[r], outs);
  }

  // x: top-down, each node under the mean of its inputs; then bottom-up, sources over the mean
  // of their consumers. Rows are packed in order, as close to those wishes as they can be.
  const cx = new Map<string, number>();
  const mean = (ids: string[]): number =>
    ids.length ? ids.reduce((a, p) => a + cx.get(p)!, 0) / ids.length : NaN;
  const place = (row: string[], wish: (id: string) => number): void => {
    const x = packRow(
      row.map(wish),
      row.map((id) => sizes.get(id)!.w),
      s.nodeSep,
    );
    row.forEach((id, i) => cx.set(id, x[i]));
  };
  for (const row of ranks) place(row, (id) => mean(ins.get(id)!.filter((p) => cx.has(p))));
  for (let r = ranks.length - 1; r >= 0; r--) {
    place(ranks[r], (id) => (ins.get(id)!.length ? cx.get(id)! : mean(outs.get(id)!)));
  }
  const pos = new Map<string, Point>();
  let y = 0;
  let minX = Infinity;
  for (const row of ranks) {
    if (row.length === 0) continue;
    const rowH = Math.max(...row.map((id) => sizes.get(id)!.h));
    for (const id of row) {
      const b = sizes.get(id)!;
      pos.set(id, { x: cx.get(id)! - b.w / 2, y: y + (rowH - b.h) / 2 });
      minX = Math.min(minX, cx.get(id)! - b.w / 2);
    }
    y += rowH + s.rankSep;
  }
  for (const p of pos.values()) p.x -= minX; // the level starts at x = 0
  return pos;
}

/**
 * Centres for a row of widths `w`, in order, without overlap, near `want` (NaN: no wish; such
 * a node takes its nearest neighbour's wish). Packing left-to-right drifts right and
 * right-to-left drifts left; the average of the two is also overlap-free, and centred.
 */
function packRow(want: number[], w: number[], sep: number): number[] {
  const n = want.length;
  const wish = fillGaps(want);
  const gap = (i: number): number => (w[i] + w[i + 1]) / 2 + sep;
  const lr = new Array<number>(n);
  const rl = new Array<number>(n);
  for (let i = 0; i < n; i++) lr[i] = i === 0 ? wish[i] : Math.max(wish[i], lr[i - 1] + gap(i - 1));
  for (let i = n - 1; i >= 0; i--)
    rl[i] = i === n - 1 ? wish[i] : Math.min(wish[i], rl[i + 1] - gap(i));
  return lr.map((v, i) => (v + rl[i]) / 2);
}

function fillGaps(want: number[]): number[] {
  const out = want.slice();
  const firstKnown = out.findIndex((v) => !Number.isNaN(v));
  if (firstKnown < 0) return out.map(() => 0);
  for (let i = 0; i < out.length; i++)
    if (Number.isNaN(out[i])) out[i] = i < firstKnown ? out[firstKnown] : out[i - 1];
  return out;
}

/** Items in an order where (outside cycles) every edge points forward; DFS from sources. */
function topoOrder(
  items: string[],
  ins: Map<string, string[]>,
  outs: Map<string, string[]>,
): string[] {
  const indeg = new Map(items.map((id) => [id, ins.get(id)!.length]));
  const queue = items.filter((id) => indeg.get(id) === 0);
  const order: string[] = [];
  const placed = new Set<string>();
  let head = 0;
  const drain = (): void => {
    while (head < queue.length) {
      const id = queue[head++];
      if (placed.has(id)) continue;
      placed.add(id);
      order.push(id);
      for (const t of outs.get(id)!) {
        indeg.set(t, indeg.get(t)! - 1);
        if (indeg.get(t) === 0) queue.push(t);
      }
    }
  };
  drain();
  // A cycle (autograd graphs have none, but be safe): break it at the first unplaced item.
  for (const id of items) {
    if (placed.has(id)) continue;
    queue.push(id);
    drain();
  }
  return order;
}
