/**
 * The Cytoscape stylesheet, built from the theme's colours. Ops are filled boxes in the op
 * colour (they are what autograd records); tensors are outlined: leaves, parameters, plain
 * tensors and constants each in their own colour and line style. Fills are pre-mixed with the
 * background rather than drawn translucent: opaque fills are cheaper on 2,000 nodes.
 */
import type cytoscape from "cytoscape";
import { BOX_LABEL, BOX_PAD, EDGE_FONT_PX, NODE_FONT_PX } from "./boxMetrics";
import { mix, type Theme } from "./theme";

/** normal: all features; large: cheaper drawing; huge: also modules as plain boxes. */
export type DrawMode = "normal" | "large" | "huge";

export function graphStyle(t: Theme, mode: DrawMode): cytoscape.StylesheetJson {
  const large = mode !== "normal";
  const w = t.highContrast ? 2 : 1; // high contrast: every line thicker
  const tint = (c: string, k = 0.16): string => (t.highContrast ? t.bg : mix(t.bg, c, k));
  const edgeColour = mix(t.bg, t.fg, 0.45);
  return [
    {
      selector: "node",
      style: {
        shape: "round-rectangle",
        width: "data(w)",
        height: "data(h)",
        label: "data(label)",
        "text-wrap": "wrap",
        "text-valign": "center", // (text-halign is centred by default)
        "font-family": t.font,
        "font-size": NODE_FONT_PX,
        "line-height": 1.3,
        color: t.fg,
        "background-color": t.bg,
        "border-width": 1.5 * w,
        "border-color": t.tensor,
        "min-zoomed-font-size": large ? 7 : 4, // skip text that would be unreadable anyway
      },
    },
    {
      selector: "node.op",
      style: { "background-color": tint(t.op, 0.22), "border-color": t.op, "font-weight": "bold" },
    },
    { selector: "node.leaf", style: { "background-color": tint(t.leaf), "border-color": t.leaf } },
    {
      selector: "node.param",
      style: { "background-color": tint(t.param), "border-color": t.param },
    },
    { selector: "node.tensor", style: { "border-color": t.tensor, shape: "rectangle" } },
    {
      selector: "node.constant",
      style: {
        "border-color": t.constant,
        "border-style": "dotted",
        color: t.muted,
        shape: "rectangle",
      },
    },
    { selector: "node.root", style: { "border-color": t.fg, "border-width": 3 * w } }, // the loss
    {
      selector: "node.module",
      style: {
        shape: "round-rectangle",
        "background-color": tint(t.module, 0.06),
        "border-color": mix(t.bg, t.module, t.highContrast ? 1 : 0.6),
        "border-style": "dashed",
        "border-width": w,
        "text-valign": "top",
        "text-halign": "center",
        "text-margin-y": -2,
        "font-weight": "bold",
        color: t.module,
        "text-events": "yes", // the header (label) is where a click collapses the module
        // Edges into the box run under its header: the header stays legible on top of them.
        "text-background-color": t.bg,
        "text-background-opacity": 1,
        "text-background-padding": "2px",
        padding: `${BOX_PAD}px`,
        "compound-sizing-wrt-labels": "include",
      },
    },
    {
      selector: "node.collapsed, node.fold",
      style: {
        "background-color": tint(t.module, 0.14),
        "border-color": t.module,
        "border-style": "double",
        "border-width": 4 * w,
        color: t.fg,
        "font-weight": "bold",
        // A closed module is a plain node: sized by graphElements, its text in the middle (the
        // box padding and top header of an open module would make it an empty-looking box).
        padding: "0px",
        "text-valign": "center",
        "text-margin-y": 0,
        "text-background-opacity": 0,
      },
    },
    {
      selector: "node.nograd",
      style: { "border-color": t.warning, "border-style": "dashed", "border-width": 2 * w },
    },
    // The magnitude scale (magnitudeScale.ts): fill in the scale's colour, text in black or white.
    {
      selector: "node.mag",
      style: { "background-color": "data(fill)", color: "data(ink)" },
    },
    {
      selector: "node.magzero",
      style: { "border-color": t.warning, "border-style": "dashed", "border-width": 2 * w },
    },
    {
      selector: "node.magnan",
      style: {
        "border-color": t.error,
        "border-width": 3 * w,
        "background-color": tint(t.error, 0.28),
      },
    },
    {
      selector: "node.failed",
      style: {
        "border-color": t.error,
        "border-style": "solid",
        "border-width": 3 * w,
        "background-color": tint(t.error, 0.28),
      },
    },
    {
      selector: "node:selected",
      style: { "border-color": t.focus, "border-width": 3 * w, "overlay-opacity": 0 },
    },
    {
      selector: "edge",
      style: {
        width: 1.2 * w,
        "curve-style": large ? "haystack" : "bezier", // haystack: no endpoint maths at all
        "line-color": edgeColour,
        "arrow-scale": 0.8,
        // Huge: no edge labels (each costs a text measurement and ~5 properties per edge; they
        // are hidden at the 0.6 zoom a huge graph opens at, and each tensor node shows its shape).
        ...(mode === "huge"
          ? {}
          : {
              label: "data(label)",
              "font-family": t.font,
              "font-size": EDGE_FONT_PX,
              color: t.muted,
              "min-zoomed-font-size": large ? 8 : 5,
            }),
        // Large: haystack edges draw only mid arrows, and labels have no background (each
        // property costs Cytoscape work per element, so large modes set only what shows).
        ...(large
          ? { "mid-target-arrow-shape": "triangle", "mid-target-arrow-color": edgeColour }
          : {
              "target-arrow-shape": "triangle",
              "target-arrow-color": edgeColour,
              "text-background-color": t.bg,
              "text-background-opacity": 1,
              "text-background-padding": "1px",
            }),
      },
    },
    { selector: "edge.merged", style: { width: 2.2 * w } },
    {
      selector: "edge.mag",
      style: {
        width: 2.4 * w,
        "line-color": "data(fill)",
        "target-arrow-color": "data(fill)",
        "mid-target-arrow-color": "data(fill)",
      },
    },
    { selector: "edge.magzero", style: { "line-style": "dashed", "line-color": t.warning } },
    { selector: "edge.magnan", style: { "line-color": t.error, width: 2.4 * w } },
    // Ranks top to bottom: the shape is written just below the tensor's producer, not midway,
    // where an edge into a module box would put it over the box's header.
    {
      selector: "edge.down",
      style: { label: "", "source-label": "data(label)", "source-text-offset": 17 },
    },
    {
      selector: "edge.long",
      style: {
        "curve-style": "unbundled-bezier",
        "control-point-distances": "data(bow)" as unknown as number,
        "target-arrow-shape": "triangle",
        "target-arrow-color": edgeColour,
      },
    },
    ...(mode === "huge" ? hugeStyle() : []),
    // Search matches glow behind the node; hovering a node lights its edges and neighbours.
    {
      selector: "node.match",
      style: {
        "underlay-color": t.focus,
        "underlay-opacity": 0.45,
        "underlay-padding": 7,
        "underlay-shape": "round-rectangle",
      } as cytoscape.Css.Node,
    },
    { selector: "node.hovered, node.linked", style: { "border-color": t.focus } },
    // Gradient warnings: a glow in the warning colour behind the layers they name.
    {
      selector: "node.warned",
      style: {
        "underlay-color": t.warning,
        "underlay-opacity": 0.55,
        "underlay-padding": 6,
        "underlay-shape": "round-rectangle",
      } as cytoscape.Css.Node,
    },
    // Step through backward: what the engine has not reached yet fades; the node it runs glows.
    { selector: ".unreached", style: { opacity: 0.28 } },
    {
      selector: "node.stepnow",
      style: {
        "underlay-color": t.focus,
        "underlay-opacity": 0.6,
        "underlay-padding": 9,
        "underlay-shape": "round-rectangle",
        "border-color": t.focus,
        "border-width": 3 * w,
      } as cytoscape.Css.Node,
    },
    {
      selector: "edge.stepnow",
      style: { "line-color": t.focus, "target-arrow-color": t.focus, width: 3 * w, "z-index": 9 },
    },
    {
      selector: "edge.linked",
      style: { "line-color": t.focus, "target-arrow-color": t.focus, width: 2.5 * w, "z-index": 9 },
    },
    {
      selector: "edge:selected",
      style: { "line-color": t.focus, "target-arrow-color": t.focus, width: 2.5 * w },
    },
  ];
}

/**
 * Module boxes beneath edges beneath nodes: "bottom" puts boxes under everything, their
 * z-index orders them by nesting depth (cheaper than a manual z-index on every element).
 */
function hugeStyle(): cytoscape.StylesheetJson {
  return [
    {
      selector: "node.box",
      style: {
        "z-compound-depth": "bottom",
        "z-index": "data(depth)" as unknown as number, // a data mapper; the typings want a number
        "text-valign": "top",
        "text-margin-y": BOX_LABEL - 2, // the header sits inside the box's top edge
      },
    },
  ];
}
