/**
 * Zooming the graph: buttons, keys and the mouse wheel all step by the same factor. Cytoscape's
 * own wheel zoom is off: it guesses the device from the first few events and moves about 3 % a
 * notch, so that getting from a whole-graph view to readable labels took dozens of notches.
 */
import type cytoscape from "cytoscape";

/** One wheel notch, button press or key press zooms by this factor. */
export const ZOOM_STEP = 1.18;
/** A wheel notch in Chromium is 100 px (deltaMode 0); line-mode wheels report ~3 lines. */
const NOTCH_PX = 100;
const LINE_PX = NOTCH_PX / 3;

/** Zooms by `factor` about a point on screen (the view's centre by default). */
export function zoomAbout(cy: cytoscape.Core, factor: number, at?: { x: number; y: number }): void {
  const level = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), cy.zoom() * factor));
  cy.zoom({ level, renderedPosition: at ?? { x: cy.width() / 2, y: cy.height() / 2 } });
}

/** Sets the zoom (1 = 100 %) about the view's centre. */
export function zoomTo(cy: cytoscape.Core, level: number): void {
  zoomAbout(cy, level / cy.zoom());
}

/**
 * The factor of one wheel event: a notch is one step; a touchpad's small deltas (and its pinch,
 * which arrives as a wheel event with ctrlKey) move in proportion, so they stay smooth.
 */
export function wheelFactor(e: Pick<WheelEvent, "deltaY" | "deltaMode">): number {
  const px = e.deltaY * (e.deltaMode === 1 ? LINE_PX : e.deltaMode === 2 ? 8 * LINE_PX : 1);
  const notches = Math.max(-1, Math.min(1, px / NOTCH_PX));
  return Math.pow(ZOOM_STEP, -notches);
}

/** Zooms `cy` on wheel events over `container`, about the mouse. */
export function zoomOnWheel(container: HTMLElement, cy: () => cytoscape.Core): void {
  container.addEventListener(
    "wheel",
    (e) => {
      e.preventDefault();
      const box = container.getBoundingClientRect();
      zoomAbout(cy(), wheelFactor(e), { x: e.clientX - box.left, y: e.clientY - box.top });
    },
    { passive: false },
  );
}
