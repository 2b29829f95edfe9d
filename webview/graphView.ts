/**
 * The graph drawn with Cytoscape and a layered layout, data flowing top to bottom or left to
 * right (whichever suits the panel): inputs and parameters first, the loss last (edges point the
 * way the forward pass went). It opens at a zoom where labels can be read.
 *
 * A new graph whose drawn node ids are the ones on screen is updated in place: labels and
 * classes change, positions, zoom and selection stay. Otherwise it is laid out again; a
 * collapse/expand keeps the clicked module where it was on screen. Huge graphs take another
 * road (placement.ts, progressive.ts) with the same picture at the end.
 *
 * GraphView wires the parts: what the user chose (viewState.ts), Cytoscape mounted for the
 * graph's size (graphMount.ts), the roads onto the canvas (drawElements.ts), where the view goes
 * (viewFit.ts) and the `rendered` report (renderReport.ts).
 */
import type cytoscape from "cytoscape";
import { drawnGraph, nestingDepth, type DrawnGraph } from "./graphModel";
import { toElements } from "./graphElements";
import { graphStyle, type DrawMode } from "./graphStyle";
import { moduleHeaderAt, type Direction } from "./placement";
import { scopeOf, type ScopeChoices } from "./graphScope";
import { findDrawn, SearchMatches } from "./search";
import { describeElement, highlightOnHover, keepInView } from "./viewAids";
import { colouringFor, markWarnings, showStep, type StepState } from "./gradientLayers";
import type { Colouring } from "./graphElements";
import type { ColourMode } from "./magnitudeScale";
import { zoomAbout, zoomOnWheel, zoomTo, ZOOM_STEP } from "./zoom";
import { ProgressiveAdd } from "./progressive";
import { readTheme, type Theme } from "./theme";
import { READABLE_ZOOM } from "./viewport";
import type { GraphDto, GraphNodeDto, NodeId, TensorSummary } from "./protocol";
import { drawModeFor, mountCore } from "./graphMount";
import { drawHuge, drawInPlace, drawLaidOut, sameNodes, type ViewFor } from "./drawElements";
import { reportAfterFrame, type RenderInfo } from "./renderReport";
import { anchorOf, drawnRects, fitFor, viewAfterLayout } from "./viewFit";
import { allOpenState, colourModeOf, freshState, toggledState, type ViewState } from "./viewState";

export interface GraphViewEvents {
  /** A drawn node was selected (its graph node), or the selection was cleared. */
  select(node: GraphNodeDto | null): void;
  /** The user asked to see the node's source (double click). */
  reveal(id: NodeId): void;
  rendered(info: RenderInfo): void;
  /** Zoom, pan, selection or collapse changed: worth persisting. */
  viewChanged(): void;
}

type RenderOpts = { force?: boolean; anchor?: string; saved?: ViewState };

export class GraphView {
  private cy!: cytoscape.Core;
  private loader!: ProgressiveAdd;
  private mode: DrawMode = "normal";
  private graph: GraphDto | null = null;
  private state: ViewState;
  private theme: Theme = readTheme();
  private dtoOf = new Map<string, GraphNodeDto>();
  /** How deep modules nest in what is drawn (fit leaves room for their boxes). */
  private depth = 0;
  private dir: Direction = "TB";
  private drawn: DrawnGraph | null = null;
  private readonly matches = new SearchMatches(() => this.drawn);
  private colouring: Colouring | undefined;
  private step: StepState | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly events: GraphViewEvents,
    saved: ViewState | undefined,
  ) {
    this.state = freshState(saved);
    this.mount("normal");
    zoomOnWheel(container, () => this.cy);
    // The details panel opening (or the panel resized) changes the canvas: keep the selection seen.
    new ResizeObserver(() => {
      this.cy.resize();
      keepInView(this.cy, this.state.selected ?? null);
    }).observe(container);
  }

  get current(): GraphDto | null {
    return this.graph;
  }

  /** The Cytoscape instance with every element in it (for exports). */
  get core(): cytoscape.Core {
    this.loader.finish();
    return this.cy;
  }

  viewState(): ViewState {
    return { ...this.state, zoom: this.cy.zoom(), pan: { ...this.cy.pan() } };
  }

  /** Draws a graph: in place when the same nodes are already drawn, else laid out anew. */
  setGraph(graph: GraphDto): void {
    const first = this.graph === null;
    const sameFile = this.state.file === graph.file;
    if (!sameFile) this.state = freshState({ file: graph.file });
    this.graph = graph;
    // After a reload the saved view (same file) is put back once the layout is done.
    this.render({ saved: first && sameFile && this.state.zoom ? this.state : undefined });
  }

  /** Gradients that arrived after the graph (a later backward): labels change, layout does not. */
  setGradients(grads: Record<NodeId, TensorSummary | null>): void {
    if (!this.graph) return;
    const nodes = this.graph.nodes.map((n) => (n.id in grads ? { ...n, grad: grads[n.id] } : n));
    this.graph = { ...this.graph, nodes, hasGradients: true };
    this.render({});
  }

  /** Collapses or expands a module, or folds/unfolds a group of repeats. */
  toggle(id: string): void {
    if (!this.graph) return;
    this.state = toggledState(this.graph, this.state, id);
    this.render({ anchor: id });
    this.events.viewChanged();
  }

  /** Expands (true) or collapses (false) every module and fold group. */
  setAllOpen(open: boolean): void {
    if (!this.graph) return;
    this.state = allOpenState(this.graph, this.state, open);
    this.render({});
    this.events.viewChanged();
  }

  /** Every graph the file built, or only the root's; parameters apart from AccumulateGrad. */
  setScope(choice: keyof ScopeChoices, on: boolean): void {
    this.state = { ...this.state, [choice]: on };
    this.render({ force: true });
    this.events.viewChanged();
  }

  /** What the page could show but leaves out, for the toolbar. */
  scopeInfo(): { left: number; size: number } {
    const g = this.graph;
    if (!g) return { left: 0, size: 0 };
    const { left, size } = scopeOf(g, this.state);
    return { left, size };
  }

  /**
   * Shows the whole graph if it can be read that way; else, at a zoom it can be read, the
   * selected node or the graph's start (it pans instead of shrinking past readable).
   */
  fit(): void {
    const v = fitFor(this.cy, this.depth, drawnRects(this.cy, false).values(), true);
    if (!v) return;
    this.cy.viewport(v);
    const sel = this.state.selected ? this.cy.getElementById(this.state.selected) : null;
    if (sel?.nonempty() && v.zoom <= READABLE_ZOOM) this.cy.center(sel);
  }

  /** One step in or out, or 100 % (labels at their design size), about the view's centre. */
  zoom(to: "in" | "out" | "100%"): void {
    if (to === "100%") zoomTo(this.cy, 1);
    else zoomAbout(this.cy, to === "in" ? ZOOM_STEP : 1 / ZOOM_STEP);
  }

  /**
   * Highlights the drawn nodes whose name, layer or op matches `query` and centres the first;
   * `next` centres the following match instead. Returns how many drawn nodes matched.
   */
  search(query: string, next = false): number {
    this.loader.finish();
    const g = this.graph;
    return this.matches.find(this.cy, next ? null : (d) => (g ? findDrawn(g, d, query) : []));
  }

  relayout(): void {
    this.render({ force: true });
  }

  /** Selects a node (from the host or the details panel) and brings it into view. */
  select(id: NodeId | null): void {
    this.loader.finish();
    this.cy.$(":selected").unselect();
    const el = id ? this.cy.getElementById(id) : null;
    if (el && el.nonempty()) {
      el.select();
      this.cy.animate({ center: { eles: el } }, { duration: 200 });
    }
    this.selectionChanged(el && el.nonempty() ? id : null);
  }

  /** What colours mean now: the user's choice, else gradient magnitudes after backward. */
  colourMode(): ColourMode {
    return colourModeOf(this.state, this.graph);
  }

  setColourMode(mode: ColourMode): void {
    this.state = { ...this.state, colourMode: mode };
    this.render({});
    this.events.viewChanged();
  }

  /** The scale the drawn colours come from (for the legend); none when colours show kinds. */
  get currentColouring(): Colouring | undefined {
    return this.colouring;
  }

  /** Lights what backward has reached after these steps (null: the plain graph again). */
  setStep(step: StepState | null): void {
    this.step = step;
    this.loader.finish();
    if (this.graph && this.drawn) showStep(this.cy, this.graph, this.drawn, step);
  }

  /** The drawn node that shows a graph node (a closed layer shows what it holds). */
  ownerOf(id: NodeId): string {
    return this.drawn?.ownerOf(id) ?? id;
  }

  /** Re-reads the theme's colours (VS Code switched theme). */
  applyTheme(): void {
    this.theme = readTheme();
    this.cy.style(graphStyle(this.theme, this.mode));
    if (this.graph) this.render({}); // label fonts may have changed size
  }

  /** The whole graph as PNG, base64 without the `data:` prefix. */
  png(): string {
    const out = this.core.png({
      output: "base64",
      full: true,
      scale: 2,
      bg: this.theme.bg,
      maxWidth: 8000,
      maxHeight: 8000,
    });
    return out.replace(/^data:image\/png;base64,/, "");
  }

  bgColour(): string {
    return this.theme.bg;
  }

  /** The ids of the drawn nodes (for the browser tests). */
  drawnIds(): string[] {
    return this.drawn?.nodes.map((n) => n.id) ?? [];
  }

  /** A drawn node's text, classes and look, read back by the browser tests (and DevTools). */
  inspect(id: string): Record<string, unknown> | null {
    return describeElement(this.core, id);
  }

  private mount(mode: DrawMode): void {
    this.loader?.cancel();
    this.cy?.destroy();
    this.mode = mode;
    this.cy = mountCore(this.container, this.theme, mode);
    this.loader = new ProgressiveAdd(this.cy);
    this.cy.on("tap", (evt) => this.onTap(evt));
    this.cy.on("dbltap", "node", (evt) => {
      const dto = this.dtoOf.get(evt.target.id());
      if (dto && dto.kind !== "module") this.events.reveal(dto.id);
    });
    this.cy.on("viewport", () => this.events.viewChanged());
    highlightOnHover(this.cy);
  }

  private onTap(evt: cytoscape.EventObject): void {
    // The header first: an edge into the module often runs across its label.
    const header = moduleHeaderAt(this.cy, evt.position);
    if (header) return this.toggle(header);
    const target = evt.target as cytoscape.NodeSingular | cytoscape.Core;
    if (target === this.cy) return this.selectionChanged(null);
    if (!("isNode" in target) || !target.isNode()) return;
    const id = target.id();
    if (target.hasClass("collapsed") || target.hasClass("fold")) return this.toggle(id);
    this.selectionChanged(id);
  }

  private selectionChanged(id: NodeId | null): void {
    this.state.selected = id;
    this.events.select(id ? (this.dtoOf.get(id) ?? null) : null);
    this.events.viewChanged();
  }

  private render(opts: RenderOpts): void {
    const graph = this.graph;
    if (!graph) return;
    const t0 = performance.now();
    this.loader.finish(); // what follows compares against, or replaces, every element
    const drawn = drawnGraph(graph, this.state);
    this.drawn = drawn;
    this.matches.clear();
    this.colouring = colouringFor(graph, drawn, this.colourMode(), this.theme);
    const els = toElements(
      graph,
      drawn,
      this.theme.font,
      scopeOf(graph, this.state).containers,
      this.colouring,
    );
    markWarnings(graph, drawn, els);
    this.dtoOf = new Map(drawn.nodes.map((n) => [n.id, n.dto]));
    this.depth = nestingDepth(drawn.nodes);
    const mode = drawModeFor(els);
    if (mode !== this.mode) this.mount(mode);
    const anchor = anchorOf(this.cy, opts.anchor);
    const same = !opts.force && sameNodes(this.cy, els);
    const viewFor: ViewFor = (rects) =>
      viewAfterLayout(this.cy, this.depth, opts.saved, anchor, rects);
    let firstDrawMs = 0;
    const done = (layoutMs: number): void => {
      const sel = this.state.selected ? this.cy.getElementById(this.state.selected) : null;
      if (sel?.nonempty()) sel.select();
      if (this.step) showStep(this.cy, graph, drawn, this.step);
      reportAfterFrame(
        graph,
        els,
        t0,
        layoutMs,
        () => firstDrawMs,
        (info) => this.events.rendered(info),
      );
    };
    if (same) {
      drawInPlace(this.cy, els, mode === "huge", this.dir);
      return done(0);
    }
    if (mode === "huge") {
      this.dir = "TB";
      const firstFrame = (): void => {
        firstDrawMs = Math.round(performance.now() - t0);
      };
      return drawHuge(this.cy, this.loader, els, viewFor, done, firstFrame);
    }
    const laid = drawLaidOut(this.cy, els, anchor ? this.dir : undefined, viewFor);
    this.dir = laid.dir;
    done(laid.layoutMs);
  }
}
