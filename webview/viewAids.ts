/** Small helps to reading the drawn graph: what a hovered node is wired to; keeping one in view. */
import type cytoscape from "cytoscape";
import type { Elements } from "./graphElements";
import type { NodeId } from "./protocol";

/** Hovering a node (or a closed layer) lights up the edges and nodes it is wired to. */
export function highlightOnHover(cy: cytoscape.Core): void {
  cy.on("mouseover", "node", (evt) => {
    const n = evt.target as cytoscape.NodeSingular;
    if (!n.isChildless() && !n.hasClass("collapsed")) return; // an open module's box
    const edges = n.connectedEdges();
    cy.batch(() => {
      n.addClass("hovered");
      edges.addClass("linked");
      edges.connectedNodes().not(n).addClass("linked");
    });
  });
  cy.on("mouseout", "node", () => {
    cy.batch(() => cy.elements(".hovered, .linked").removeClass("hovered linked"));
  });
}

/** Centres a node when it is not wholly on screen (the canvas shrank, or it was off screen). */
export function keepInView(cy: cytoscape.Core, id: NodeId | null): void {
  const el = id ? cy.getElementById(id) : null;
  if (!el?.nonempty()) return;
  const b = el.renderedBoundingBox({ includeLabels: false });
  if (b.x1 >= 0 && b.y1 >= 0 && b.x2 <= cy.width() && b.y2 <= cy.height()) return;
  cy.center(el);
}

/**
 * A new drawing of the same nodes: labels and classes change; positions, zoom and selection
 * stay. Only what differs is set: Cytoscape restyles (and re-measures) every element it is
 * handed data or classes for.
 */
export function updateInPlace(cy: cytoscape.Core, els: Elements): void {
  cy.batch(() => {
    for (const def of [...els.nodes, ...els.edges]) {
      const el = cy.getElementById(def.data.id as string);
      if (el.empty()) {
        cy.add(def);
        continue;
      }
      const { id: _id, parent: _parent, source: _s, target: _t, ...data } = def.data;
      const changed = Object.entries(data).filter(([k, v]) => el.data(k) !== v);
      if (changed.length) el.data(Object.fromEntries(changed));
      const classes = [def.classes ?? ""].flat().join(" ").trim();
      if (el.classes().join(" ") !== classes) el.classes(classes);
    }
    const edgeIds = new Set(els.edges.map((e) => e.data.id));
    cy.edges()
      .filter((e) => !edgeIds.has(e.id()))
      .remove();
  });
}

/** A drawn element's text, classes and look, read back by the browser tests (and DevTools). */
export function describeElement(cy: cytoscape.Core, id: string): Record<string, unknown> | null {
  const n = cy.getElementById(id);
  if (n.empty()) return null;
  const style = n.isEdge()
    ? ["line-color", "width", "color", "font-size"]
    : ["background-color", "border-color", "border-width", "color", "font-size"];
  return {
    label: n.data("label"),
    classes: n.classes().join(" "),
    position: { ...n.position() },
    renderedPosition: { ...n.renderedPosition() },
    renderedBox: n.renderedBoundingBox({ includeLabels: false }),
    selected: n.selected(),
    ...Object.fromEntries(style.map((k) => [k, n.style(k)])),
  };
}
