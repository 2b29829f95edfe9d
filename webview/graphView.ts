/**
 * The graph drawn with Cytoscape and a layered layout, data flowing top to bottom or left to
 * right (whichever suits the panel): inputs and parameters first, the loss last (edges point the
 * way the forward pass went). It opens at a zoom where labels can be read.
 *
 * A new graph whose drawn node ids are the ones on screen is updated in place: labels and
 * classes change, positions, zoom and selection stay. Otherwise it is laid out again; a
 * collapse/expand keeps the clicked module where it was on screen. Huge graphs take another
 * road (placement.ts, progressive.ts) with the same picture at the end.
 */
import cytoscape from "cytoscape";
import {
  drawnGraph,
  foldGroups,
  isCollapsed,
  isFolded,
  LARGE_GRAPH,
  nestingDepth,
  nodesInside,
  type DrawnGraph,
  type ViewChoices,
} from "./graphModel";
import { toElements } from "./graphElements";
import { graphStyle, type DrawMode } from "./graphStyle";
import {
  BOX_LABEL,
  BOX_PAD,
  chooseDirection,
  HUGE_DRAWN,
  moduleHeaderAt,
  placeLayered,
  type Direction,
} from "./placement";
import { scopeOf, type ScopeChoices } from "./graphScope";
import { findDrawn, SearchMatches } from "./search";
import { describeElement, highlightOnHover, keepInView, updateInPlace } from "./viewAids";
import { colouringFor, markWarnings, showStep, type StepState } from "./gradientLayers";
import type { Colouring } from "./graphElements";
import type { ColourMode } from "./magnitudeScale";
import { zoomAbout, zoomOnWheel, zoomTo, ZOOM_STEP } from "./zoom";
import { ProgressiveAdd } from "./progressive";
import { readTheme, type Theme } from "./theme";
import { fitViewport, inView, READABLE_ZOOM, type NodeRect, type Viewport } from "./viewport";
import type { GraphDto, GraphNodeDto, NodeId, TensorSummary } from "./protocol";

/** Above this many drawn elements the renderer trades polish for speed. */
const LARGE_DRAWN = 600;

export interface ViewState extends ViewChoices {
  file?: string;
  zoom?: number;
  pan?: { x: number; y: number };
  selected?: NodeId | null;
  /** What node and edge colours mean; unset: magnitudes of the gradient once there are any. */
  colourMode?: ColourMode;
}

export interface RenderInfo {
  nodes: number;
  edges: number;
  /** Of the drawn nodes, open layers' frames. */
  frames: number;
  /** Nodes of the graph received (GraphDto.nodes), whatever of it is drawn. */
  graphNodes: number;
  labels: string[];
  gradients: number;
  layoutMs: number;
  /** From the graph's arrival to the first frame, and to the frame with every element. */
  firstDrawMs: number;
  drawMs: number;
}

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
    this.state = { moduleOpen: {}, foldOpen: {}, ...saved };
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
    if (!sameFile) this.state = { moduleOpen: {}, foldOpen: {}, file: graph.file };
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
    const g = this.graph;
    if (!g) return;
    if (id.startsWith("fold:")) {
      const unfold = isFolded(g, this.state, id);
      this.state.foldOpen = { ...this.state.foldOpen, [id]: unfold };
      // Unfolded repeats show what they hold, not as many closed boxes (unless that is a lot).
      const members = foldGroups(g, this.state).find((f) => f.id === id)?.members ?? [];
      if (unfold && nodesInside(g, members) <= LARGE_GRAPH) {
        const open = Object.fromEntries(members.map((m) => [m, true]));
        this.state.moduleOpen = { ...this.state.moduleOpen, ...open };
      }
    } else
      this.state.moduleOpen = { ...this.state.moduleOpen, [id]: isCollapsed(g, this.state, id) };
    this.render({ anchor: id });
    this.events.viewChanged();
  }

  /** Expands (true) or collapses (false) every module and fold group. */
  setAllOpen(open: boolean): void {
    if (!this.graph) return;
    const modules = this.graph.nodes.filter((n) => n.kind === "module");
    this.state.moduleOpen = Object.fromEntries(modules.map((m) => [m.id, open]));
    this.state.foldOpen = Object.fromEntries(
      foldGroups(this.graph, this.state).map((g) => [g.id, open]),
    );
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
    const rects: NodeRect[] = [];
    this.cy.nodes().forEach((n) => {
      if (n.isChildless())
        rects.push({ ...n.position(), w: n.data("w") as number, h: n.data("h") as number });
    });
    const v = this.fitFor(rects, true);
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
    return this.state.colourMode ?? (this.graph?.hasGradients ? "gradient" : "kinds");
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
    const large = mode !== "normal";
    this.cy = cytoscape({
      container: this.container,
      style: graphStyle(this.theme, mode),
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

  private fitFor(rects: Iterable<NodeRect>, readable: boolean): Viewport | null {
    const view = { width: this.cy.width(), height: this.cy.height(), minZoom: this.cy.minZoom() };
    // Module boxes reach past their contents: padding on every side, plus a header on top.
    const margin = { side: BOX_PAD * this.depth, top: (BOX_PAD + BOX_LABEL) * this.depth };
    return fitViewport(rects, view, { readable, margin });
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
    const mode: DrawMode =
      els.nodes.length > HUGE_DRAWN
        ? "huge"
        : els.nodes.length + els.edges.length > LARGE_DRAWN
          ? "large"
          : "normal";
    if (mode !== this.mode) this.mount(mode);
    const anchorEl = opts.anchor ? this.cy.getElementById(opts.anchor) : null;
    const anchor = anchorEl?.nonempty()
      ? { id: opts.anchor!, at: { ...anchorEl.renderedPosition() } }
      : undefined;
    const same = !opts.force && this.sameNodes(els.nodes.map((n) => n.data.id as string));
    let firstDrawMs = 0;
    const done = (layoutMs: number): void => {
      const sel = this.state.selected ? this.cy.getElementById(this.state.selected) : null;
      if (sel?.nonempty()) sel.select();
      if (this.step) showStep(this.cy, graph, drawn, this.step);
      afterFrame(() => {
        const info = {
          nodes: els.nodes.length,
          edges: els.edges.length,
          frames: els.frames,
          graphNodes: graph.nodes.length,
          labels: els.labels,
          gradients: els.gradients,
        };
        const drawMs = Math.round(performance.now() - t0);
        this.events.rendered({
          ...info,
          layoutMs: Math.round(layoutMs),
          firstDrawMs: firstDrawMs || drawMs,
          drawMs,
        });
      });
    };
    if (same) {
      // The layout gave module boxes their size and bowed long edges: the new elements keep them.
      placeLayered(els, mode === "huge", this.dir);
      updateInPlace(this.cy, els);
      return done(0);
    }
    if (mode === "huge") {
      const l0 = performance.now();
      this.dir = "TB";
      placeLayered(els, true, this.dir);
      const layoutMs = performance.now() - l0;
      this.cy.elements().remove();
      const v = this.viewAfterLayout(
        opts,
        anchor,
        new Map(els.nodes.map((n) => [n.data.id as string, rectOf(n)])),
      );
      if (v) this.cy.viewport(v);
      // The part in (and around) the first view is added now, the rest bit by bit.
      const around = { width: this.cy.width(), height: this.cy.height() };
      const first = new Set(
        els.nodes
          .filter((n) => !v || inView(rectOf(n), v, around, 0.5))
          .map((n) => n.data.id as string),
      );
      const order = [...els.nodes].sort(
        (a, b) => rectOf(a).y - rectOf(a).h / 2 - (rectOf(b).y - rectOf(b).h / 2),
      );
      this.loader.start(order, els.edges, first, () => done(layoutMs));
      afterFrame(() => (firstDrawMs = Math.round(performance.now() - t0)));
      return;
    }
    const l0 = performance.now();
    // A collapse or expand keeps the direction the user is looking at.
    if (!anchor)
      this.dir = chooseDirection(els, { width: this.cy.width(), height: this.cy.height() });
    placeLayered(els, false, this.dir);
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add([...els.nodes, ...els.edges]);
    });
    const layoutMs = performance.now() - l0;
    const rects = new Map<string, NodeRect>();
    this.cy.nodes().forEach((n) => {
      if (n.isChildless())
        rects.set(n.id(), { ...n.position(), w: n.data("w") as number, h: n.data("h") as number });
      else rects.set(n.id(), { ...n.position(), w: 0, h: 0 }); // a compound: only its centre counts
    });
    const v = this.viewAfterLayout(opts, anchor, rects);
    if (v) this.cy.viewport(v);
    done(layoutMs);
  }

  /** The saved view after a reload; the toggled module where it was; else the readable fit. */
  private viewAfterLayout(
    opts: RenderOpts,
    anchor: { id: string; at: cytoscape.Position } | undefined,
    rects: ReadonlyMap<string, NodeRect>,
  ): Viewport | null {
    if (opts.saved?.zoom && opts.saved.pan) return { zoom: opts.saved.zoom, pan: opts.saved.pan };
    const p = anchor && rects.get(anchor.id);
    if (anchor && p) {
      const zoom = this.cy.zoom();
      return { zoom, pan: { x: anchor.at.x - zoom * p.x, y: anchor.at.y - zoom * p.y } };
    }
    return this.fitFor(rects.values(), true);
  }

  private sameNodes(ids: string[]): boolean {
    const nodes = this.cy.nodes();
    if (nodes.length !== ids.length) return false;
    return ids.every((id) => this.cy.getElementById(id).isNode());
  }
}

function rectOf(n: cytoscape.ElementDefinition): NodeRect {
  return { ...(n.position ?? { x: 0, y: 0 }), w: n.data.w as number, h: n.data.h as number };
}

/** Runs `fn` once the next frame has been drawn. */
function afterFrame(fn: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(fn));
}
