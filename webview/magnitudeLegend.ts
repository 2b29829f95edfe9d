/**
 * The legend of the magnitude colours, in the footer: what is measured, the scale drawn as a bar
 * from the smallest to the largest magnitude in the graph (their values at its ends), and the
 * two marks the scale cannot place (exactly zero, NaN/Inf).
 */
import { h } from "./dom";
import type { Colouring } from "./graphElements";
import { formatNumber } from "./format";
import type { ColourMode } from "./magnitudeScale";

export const MODE_NAMES: Record<ColourMode, string> = {
  kinds: "node kinds",
  gradient: "‖gradient‖",
  ratio: "‖gradient‖ ÷ ‖value‖",
  value: "‖value‖",
};

/** The bar's colours, drawn on a canvas (the CSP allows no inline style sheets to carry them). */
function bar(colouring: Colouring): HTMLCanvasElement {
  const canvas = h("canvas", {
    class: "gl-magbar",
    attrs: { width: "120", height: "10", role: "img", "aria-label": "colour scale" },
  });
  const ctx = canvas.getContext("2d");
  if (ctx) {
    for (let x = 0; x < 120; x++) {
      ctx.fillStyle = colouring.scale.colourAt(x / 119);
      ctx.fillRect(x, 0, 1, 10);
    }
  }
  return canvas;
}

/** The legend for this colouring (the caller shows the kinds legend when there is none). */
export function magnitudeLegend(mode: ColourMode, colouring: Colouring): HTMLElement {
  const { scale } = colouring;
  return h(
    "div",
    { class: "gl-maglegend", attrs: { "aria-label": `colour: log10 of ${MODE_NAMES[mode]}` } },
    h("span", { text: `${MODE_NAMES[mode]}, log scale` }),
    h("span", { class: "gl-magend", text: scale.empty ? "" : formatNumber(10 ** scale.low) }),
    bar(colouring),
    h("span", { class: "gl-magend", text: scale.empty ? "" : formatNumber(10 ** scale.high) }),
    h("span", {}, h("span", { class: "gl-swatch nograd" }), "zero"),
    h("span", {}, h("span", { class: "gl-swatch failed" }), "NaN/Inf"),
  );
}
