/**
 * Puts laid-out elements on the canvas, by one of three roads: the same nodes again (update in
 * place, nothing moves), a huge graph (what is in view first, the rest bit by bit), or any other
 * graph (laid out and added at once).
 */
import type cytoscape from "cytoscape";
import type { Elements } from "./graphElements";
import { chooseDirection, placeLayered, type Direction } from "./placement";
import type { ProgressiveAdd } from "./progressive";
import { afterFrame } from "./renderReport";
import { updateInPlace } from "./viewAids";
import { drawnRects, rectOf } from "./viewFit";
import { inView, type NodeRect, type Viewport } from "./viewport";

/** The view to show once nodes have their places (boxes by drawn node id). */
export type ViewFor = (rects: ReadonlyMap<string, NodeRect>) => Viewport | null;

/** Whether exactly the nodes of `els` are drawn now (by id). */
export function sameNodes(cy: cytoscape.Core, els: Elements): boolean {
  const nodes = cy.nodes();
  if (nodes.length !== els.nodes.length) return false;
  return els.nodes.every((n) => cy.getElementById(n.data.id as string).isNode());
}

/** The same nodes: the layout gave module boxes their size and bowed long edges, keep them. */
export function drawInPlace(
  cy: cytoscape.Core,
  els: Elements,
  huge: boolean,
  dir: Direction,
): void {
  placeLayered(els, huge, dir);
  updateInPlace(cy, els);
}

/**
 * A huge graph, top to bottom: the part in (and around) the first view is added now, the rest
 * bit by bit; `done` runs when every element is in, `firstFrame` when the first part is seen.
 */
export function drawHuge(
  cy: cytoscape.Core,
  loader: ProgressiveAdd,
  els: Elements,
  viewFor: ViewFor,
  done: (layoutMs: number) => void,
  firstFrame: () => void,
): void {
  const l0 = performance.now();
  placeLayered(els, true, "TB");
  const layoutMs = performance.now() - l0;
  cy.elements().remove();
  const v = viewFor(new Map(els.nodes.map((n) => [n.data.id as string, rectOf(n)])));
  if (v) cy.viewport(v);
  const around = { width: cy.width(), height: cy.height() };
  const first = new Set(
    els.nodes
      .filter((n) => !v || inView(rectOf(n), v, around, 0.5))
      .map((n) => n.data.id as string),
  );
  const order = [...els.nodes].sort(
    (a, b) => rectOf(a).y - rectOf(a).h / 2 - (rectOf(b).y - rectOf(b).h / 2),
  );
  loader.start(order, els.edges, first, () => done(layoutMs));
  afterFrame(firstFrame);
}

/**
 * Any other graph: laid out in `keptDir` (a collapse or expand keeps the direction the user is
 * looking at) or the one that suits the canvas, every element added in one batch, then the view.
 */
export function drawLaidOut(
  cy: cytoscape.Core,
  els: Elements,
  keptDir: Direction | undefined,
  viewFor: ViewFor,
): { layoutMs: number; dir: Direction } {
  const l0 = performance.now();
  const dir = keptDir ?? chooseDirection(els, { width: cy.width(), height: cy.height() });
  placeLayered(els, false, dir);
  cy.batch(() => {
    cy.elements().remove();
    cy.add([...els.nodes, ...els.edges]);
  });
  const layoutMs = performance.now() - l0;
  const v = viewFor(drawnRects(cy, true));
  if (v) cy.viewport(v);
  return { layoutMs, dir };
}
