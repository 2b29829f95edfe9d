/**
 * What the page draws over the graph once gradients are there: the magnitude colouring, the
 * warnings' marks, and the step-through's lit and current nodes. GraphView calls these while it
 * draws; they touch only element classes and data.
 */
import type cytoscape from "cytoscape";
import { drawnMagnitudes } from "./drawnMagnitudes";
import type { Colouring, Elements } from "./graphElements";
import type { DrawnGraph } from "./graphModel";
import { MagnitudeScale, usableRange, type ColourMode } from "./magnitudeScale";
import type { GraphDto, NodeId } from "./protocol";
import type { Theme } from "./theme";

/** The colouring of a drawn graph in `mode` (none in "kinds" mode or with nothing to colour). */
export function colouringFor(
  graph: GraphDto,
  drawn: DrawnGraph,
  mode: ColourMode,
  theme: Theme,
): Colouring | undefined {
  if (mode === "kinds") return undefined;
  const magnitudes = drawnMagnitudes(graph, drawn, mode);
  const all = [...magnitudes.nodes.values(), ...magnitudes.edges.values()];
  if (all.length === 0) return undefined;
  const scale = new MagnitudeScale(all, usableRange(theme.bg, theme.highContrast));
  return { magnitudes, scale };
}

/** Marks the drawn nodes that show a node some warning names. */
export function markWarnings(graph: GraphDto, drawn: DrawnGraph, els: Elements): void {
  const warned = new Set<string>();
  for (const w of graph.warnings ?? []) for (const id of w.marked) warned.add(drawn.ownerOf(id));
  for (const n of els.nodes) if (warned.has(n.data.id as string)) n.classes += " warned";
}

/** Where step-through stands: the op nodes run so far, the last of them the current one. */
export interface StepState {
  ran: readonly NodeId[];
}

/**
 * Lights what backward has reached after the steps in `step`: the ops that ran, the tensors
 * their gradients reached (their inputs), the loss; the current op and the edges it passed
 * gradients along stand out. With no step state every class is cleared.
 */
export function showStep(
  cy: cytoscape.Core,
  graph: GraphDto,
  drawn: DrawnGraph,
  step: StepState | null,
): void {
  cy.batch(() => {
    cy.elements().removeClass("unreached stepnow");
    if (!step) return;
    const ran = new Set(step.ran.map((id) => drawn.ownerOf(id)));
    const now = step.ran.length ? drawn.ownerOf(step.ran[step.ran.length - 1]) : null;
    const lit = new Set<string>(ran);
    if (graph.root) lit.add(drawn.ownerOf(graph.root));
    const passedTo = new Set<string>();
    for (const e of graph.edges) {
      const [s, t] = [drawn.ownerOf(e.source), drawn.ownerOf(e.target)];
      if (ran.has(t)) lit.add(s); // the gradient has reached the op's input
      if (ran.has(s)) lit.add(t); // and it had reached the op's output before it ran
      if (t === now && s !== now) passedTo.add(s);
    }
    cy.nodes().forEach((n) => {
      if (!n.isChildless() && !n.hasClass("collapsed")) return; // open boxes stay as they are
      if (!lit.has(n.id())) n.addClass("unreached");
    });
    cy.edges().forEach((e) => {
      const [s, t] = [e.source().id(), e.target().id()];
      if (!(ran.has(t) || (lit.has(s) && lit.has(t)))) e.addClass("unreached");
      if (t === now && passedTo.has(s)) e.addClass("stepnow");
    });
    if (now) cy.getElementById(now).addClass("stepnow");
  });
}
