/**
 * Where the view goes: the readable fit of what is drawn, and after a new layout the saved view
 * (a reload), the toggled module where it was on screen, or else the fit.
 */
import type cytoscape from "cytoscape";
import { BOX_LABEL, BOX_PAD } from "./boxMetrics";
import { fitViewport, type NodeRect, type Viewport } from "./viewport";
import type { ViewState } from "./viewState";

/** The module the user toggled and where it was on screen: it stays there. */
export interface Anchor {
  id: string;
  at: cytoscape.Position;
}

export function anchorOf(cy: cytoscape.Core, id: string | undefined): Anchor | undefined {
  const el = id ? cy.getElementById(id) : null;
  return el?.nonempty() ? { id: id!, at: { ...el.renderedPosition() } } : undefined;
}

/** The viewport that fits `rects`; `depth` is how deep modules nest (their boxes need room). */
export function fitFor(
  cy: cytoscape.Core,
  depth: number,
  rects: Iterable<NodeRect>,
  readable: boolean,
): Viewport | null {
  const view = { width: cy.width(), height: cy.height(), minZoom: cy.minZoom() };
  // Module boxes reach past their contents: padding on every side, plus a header on top.
  const margin = { side: BOX_PAD * depth, top: (BOX_PAD + BOX_LABEL) * depth };
  return fitViewport(rects, view, { readable, margin });
}

/** The saved view after a reload; the toggled module where it was; else the readable fit. */
export function viewAfterLayout(
  cy: cytoscape.Core,
  depth: number,
  saved: ViewState | undefined,
  anchor: Anchor | undefined,
  rects: ReadonlyMap<string, NodeRect>,
): Viewport | null {
  if (saved?.zoom && saved.pan) return { zoom: saved.zoom, pan: saved.pan };
  const p = anchor && rects.get(anchor.id);
  if (anchor && p) {
    const zoom = cy.zoom();
    return { zoom, pan: { x: anchor.at.x - zoom * p.x, y: anchor.at.y - zoom * p.y } };
  }
  return fitFor(cy, depth, rects.values(), true);
}

/** The box a drawn node takes; a compound's is only its centre (its children give its size). */
export function drawnRects(cy: cytoscape.Core, compounds: boolean): Map<string, NodeRect> {
  const rects = new Map<string, NodeRect>();
  cy.nodes().forEach((n) => {
    if (n.isChildless())
      rects.set(n.id(), { ...n.position(), w: n.data("w") as number, h: n.data("h") as number });
    else if (compounds) rects.set(n.id(), { ...n.position(), w: 0, h: 0 });
  });
  return rects;
}

/** The box of an element not yet added (placed by the layout). */
export function rectOf(n: cytoscape.ElementDefinition): NodeRect {
  return { ...(n.position ?? { x: 0, y: 0 }), w: n.data.w as number, h: n.data.h as number };
}
