/**
 * The drawn graph as a standalone SVG, written from Cytoscape's laid-out geometry and computed
 * styles. (We write it ourselves rather than bundle cytoscape-svg: that package is GPL-3.0, and
 * the extension is MIT.) Boxes, multi-line labels, edges with arrowheads and edge labels.
 */
import type cytoscape from "cytoscape";

const xml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const num = (x: number): string => String(Math.round(x * 10) / 10);

function dash(style: string, width: number): string {
  if (style === "dashed") return ` stroke-dasharray="${num(width * 4)} ${num(width * 3)}"`;
  if (style === "dotted") return ` stroke-dasharray="${num(width)} ${num(width * 2)}"`;
  return "";
}

function nodeSvg(n: cytoscape.NodeSingular): string {
  const bb = n.boundingBox({ includeLabels: false, includeOverlays: false });
  const bw = parseFloat(n.style("border-width")) || 0;
  const round = String(n.style("shape")).startsWith("round") ? 4 : 0;
  const fill = n.style("background-color");
  const stroke = n.style("border-color");
  const inset = bw / 2;
  const parts = [
    `<rect x="${num(bb.x1 + inset)}" y="${num(bb.y1 + inset)}" width="${num(bb.w - bw)}" height="${num(bb.h - bw)}" rx="${round}" fill="${fill}" stroke="${stroke}" stroke-width="${num(bw)}"${dash(n.style("border-style"), bw)}/>`,
  ];
  const label = String(n.data("label") ?? "");
  if (label) {
    const lines = label.split("\n");
    const size = parseFloat(n.style("font-size")) || 11;
    const lh = size * (parseFloat(n.style("line-height")) || 1.3);
    // A header (modules) sits on the box's top edge, shifted by its margin; others are centred.
    const header = n.style("text-valign") === "top";
    const marginY = parseFloat(n.style("text-margin-y")) || 0;
    const top = header
      ? bb.y1 - 4 + marginY - lh * (lines.length - 1)
      : (bb.y1 + bb.y2) / 2 - (lh * (lines.length - 1)) / 2;
    const weight = n.style("font-weight") === "bold" ? ` font-weight="bold"` : "";
    const tspans = lines.map(
      (l, i) => `<tspan x="${num((bb.x1 + bb.x2) / 2)}" y="${num(top + i * lh)}">${xml(l)}</tspan>`,
    );
    parts.push(
      `<text text-anchor="middle" dominant-baseline="${header ? "auto" : "middle"}" font-size="${size}"${weight} fill="${n.style("color")}">${tspans.join("")}</text>`,
    );
  }
  return parts.join("");
}

function edgeSvg(e: cytoscape.EdgeSingular): string {
  const s = e.sourceEndpoint();
  const t = e.targetEndpoint();
  const cps = (e.controlPoints() as cytoscape.Position[] | undefined) ?? [];
  const colour = e.style("line-color");
  const width = parseFloat(e.style("width")) || 1;
  const d =
    cps.length === 1
      ? `M${num(s.x)},${num(s.y)} Q${num(cps[0].x)},${num(cps[0].y)} ${num(t.x)},${num(t.y)}`
      : `M${[s, ...cps, t].map((p) => `${num(p.x)},${num(p.y)}`).join(" L")}`;
  // The arrowhead points along the last segment.
  const from = cps.length ? cps[cps.length - 1] : s;
  const a = Math.atan2(t.y - from.y, t.x - from.x);
  const len = 7 + width * 2;
  const p = (da: number): string =>
    `${num(t.x - len * Math.cos(a + da))},${num(t.y - len * Math.sin(a + da))}`;
  const out = [
    `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${num(width)}"/>`,
    `<polygon points="${num(t.x)},${num(t.y)} ${p(0.4)} ${p(-0.4)}" fill="${colour}"/>`,
  ];
  const label = String(e.data("label") ?? "");
  if (label) {
    const m = e.midpoint();
    out.push(
      `<text x="${num(m.x)}" y="${num(m.y)}" text-anchor="middle" dominant-baseline="middle" font-size="9" fill="${e.style("color")}">${xml(label)}</text>`,
    );
  }
  return out.join("");
}

/** The whole graph (not only the viewport) as SVG text. */
export function exportSvg(cy: cytoscape.Core, background: string, font: string): string {
  const bb = cy.elements().boundingBox({});
  const pad = 20;
  const [x, y, w, h] = [bb.x1 - pad, bb.y1 - pad, bb.w + 2 * pad, bb.h + 2 * pad];
  // Module boxes (compounds, or the plain boxes of huge graphs) first, outermost first, so
  // that they lie under edges and nodes.
  const isBox = (n: cytoscape.NodeSingular): boolean => n.isParent() || n.hasClass("box");
  const depth = (n: cytoscape.NodeSingular): number =>
    n.ancestors().length + ((n.data("depth") as number | undefined) ?? 0);
  const nodes = (cy.nodes().toArray() as cytoscape.NodeSingular[]).sort(
    (a, b) => depth(a) - depth(b),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${num(x)} ${num(y)} ${num(w)} ${num(h)}" width="${num(w)}" height="${num(h)}" font-family="${xml(font)}">`,
    `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="${background}"/>`,
    ...nodes.filter(isBox).map(nodeSvg),
    ...cy.edges().map(edgeSvg),
    ...nodes.filter((n) => !isBox(n)).map(nodeSvg),
    "</svg>",
  ].join("\n");
}
