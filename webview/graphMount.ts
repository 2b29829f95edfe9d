/**
 * Cytoscape mounted for how much is drawn: a normal graph polished, a large one fast (a bitmap
 * while panning, fewer pixels), a huge one also without dragging (module boxes would not follow).
 */
import cytoscape from "cytoscape";
import type { Elements } from "./graphElements";
import { graphStyle, type DrawMode } from "./graphStyle";
import { HUGE_DRAWN } from "./placement";
import type { Theme } from "./theme";

/** Above this many drawn elements the renderer trades polish for speed. */
const LARGE_DRAWN = 600;

export function drawModeFor(els: Elements): DrawMode {
  if (els.nodes.length > HUGE_DRAWN) return "huge";
  return els.nodes.length + els.edges.length > LARGE_DRAWN ? "large" : "normal";
}

export function mountCore(container: HTMLElement, theme: Theme, mode: DrawMode): cytoscape.Core {
  const large = mode !== "normal";
  return cytoscape({
    container,
    style: graphStyle(theme, mode),
    minZoom: 0.03,
    maxZoom: 4,
    userZoomingEnabled: false, // the wheel zooms in even steps (zoom.ts)
    boxSelectionEnabled: false,
    selectionType: "single",
    // Large graphs: draw a bitmap while panning/zooming, and fewer pixels.
    textureOnViewport: large,
    hideEdgesOnViewport: large,
    pixelRatio: large ? 1 : "auto",
    autoungrabify: mode === "huge", // module boxes would not follow a dragged node
  });
}
