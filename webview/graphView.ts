/**
 * The graph drawn with Cytoscape and the dagre layout, data flowing top to bottom: inputs and
 * parameters at the top, the loss at the bottom (edges point the way the forward pass went).
 *
 * A new graph whose drawn node ids are the ones on screen is updated in place: labels and
 * classes change, positions, zoom and selection stay. Otherwise it is laid out again; a
 * collapse/expand keeps the clicked module where it was on screen.
 */
import cytoscape from "cytoscape";
import dagre from "cytoscape-dagre";
import { drawnGraph, foldGroups, isCollapsed, isFolded, type ViewChoices } from "./graphModel";
import { toElements } from "./graphElements";
import { graphStyle, type DrawMode } from "./graphStyle";
import { HUGE_DRAWN, placeHuge } from "./hugeGraph";
import { readTheme, type Theme } from "./theme";
import type { GraphDto, GraphNodeDto, NodeId, TensorSummary } from "./protocol";

cytoscape.use(dagre);

/** Above this many drawn elements the renderer trades polish for speed. */
const LARGE_DRAWN = 600;
/** Fit never zooms in past this (a three-node graph should not fill the screen). */
const MAX_FIT_ZOOM = 1.25;
/** Below this zoom node labels are too small to read (and are not drawn). */
const READABLE_ZOOM = 0.6;

export interface ViewState extends ViewChoices {
  file?: string;
  zoom?: number;
  pan?: { x: number; y: number };
  selected?: NodeId | null;
}

export interface RenderInfo {
  nodes: number;
  edges: number;
  labels: string[];
  gradients: number;
  layoutMs: number;
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

export class GraphView {
  private cy!: cytoscape.Core;
  private mode: DrawMode = "normal";
  private graph: GraphDto | null = null;
  private state: ViewState;
  private theme: Theme = readTheme();
  private dtoOf = new Map<string, GraphNodeDto>();
  /** How deep modules nest in what is drawn (for fit). */
  private depth = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly events: GraphViewEvents,
    saved: ViewState | undefined
  ) {
    this.state = { moduleOpen: {}, foldOpen: {}, ...saved };
    this.mount("normal");
  }

  get current(): GraphDto | null {
    return this.graph;
  }

  get core(): cytoscape.Core {
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
    const saved = first && sameFile && this.state.zoom ? this.state : undefined;
    this.render({ fit: !sameFile || (first && !saved), saved });
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
    if (id.startsWith("fold:")) {
      this.state.foldOpen = { ...this.state.foldOpen, [id]: isFolded(this.graph, this.state, id) };
    } else {
      this.state.moduleOpen = { ...this.state.moduleOpen, [id]: isCollapsed(this.graph, this.state, id) };
    }
    this.render({ anchor: id });
    this.events.viewChanged();
  }

  /** Expands (true) or collapses (false) every module and fold group. */
  setAllOpen(open: boolean): void {
    if (!this.graph) return;
    const modules = this.graph.nodes.filter((n) => n.kind === "module");
    this.state.moduleOpen = Object.fromEntries(modules.map((m) => [m.id, open]));
    this.state.foldOpen = Object.fromEntries(foldGroups(this.graph).map((g) => [g.id, open]));
    this.render({ fit: true });
    this.events.viewChanged();
  }

  /**
   * Fits the graph to the view. With `readable`, a graph too big to read when fitted (a deep
   * network is a tall column) is shown from its top, where the data enters, at a zoom where
   * labels can be read; the Fit button still shows all of it.
   *
   * Computed from node positions and the sizes we gave them: Cytoscape's own fit measures
   * every label first, which costs about a second on 2,000 nodes.
   */
  fit(readable = false): void {
    let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
    this.cy.nodes().forEach((n) => {
      if (!n.isChildless()) return;
      const p = n.position();
      const w = (n.data("w") as number) / 2;
      const h = (n.data("h") as number) / 2;
      [x1, y1, x2, y2] = [Math.min(x1, p.x - w), Math.min(y1, p.y - h), Math.max(x2, p.x + w), Math.max(y2, p.y + h)];
    });
    if (!Number.isFinite(x1)) return;
    // Module boxes reach past their children: padding on every side, plus a header on top.
    const m = 14 * this.depth;
    [x1, y1, x2, y2] = [x1 - m, y1 - m - 18 * this.depth, x2 + m, y2 + m];
    const pad = 24;
    const [vw, vh] = [this.cy.width(), this.cy.height()];
    let zoom = Math.min((vw - 2 * pad) / (x2 - x1 || 1), (vh - 2 * pad) / (y2 - y1 || 1), MAX_FIT_ZOOM);
    zoom = Math.max(this.cy.minZoom(), zoom);
    if (readable && zoom < READABLE_ZOOM) {
      zoom = READABLE_ZOOM;
      const fitsAcross = (x2 - x1) * zoom <= vw - 2 * pad;
      const cx = fitsAcross ? (x1 + x2) / 2 : x1 + (vw / 2 - pad) / zoom; // else its left edge
      this.cy.viewport({ zoom, pan: { x: vw / 2 - zoom * cx, y: pad - zoom * y1 } });
      return;
    }
    this.cy.viewport({ zoom, pan: { x: vw / 2 - (zoom * (x1 + x2)) / 2, y: vh / 2 - (zoom * (y1 + y2)) / 2 } });
  }

  relayout(): void {
    this.render({ fit: true, force: true });
  }

  /** Selects a node (from the host or the details panel) and brings it into view. */
  select(id: NodeId | null): void {
    this.cy.$(":selected").unselect();
    const el = id ? this.cy.getElementById(id) : null;
    if (el && el.nonempty()) {
      el.select();
      this.cy.animate({ center: { eles: el } }, { duration: 200 });
    }
    this.selectionChanged(el && el.nonempty() ? id : null);
  }

  /** Re-reads the theme's colours (VS Code switched theme). */
  applyTheme(): void {
    this.theme = readTheme();
    this.cy.style(graphStyle(this.theme, this.mode));
    if (this.graph) this.render({}); // label fonts may have changed size
  }

  /** The whole graph as PNG, base64 without the `data:` prefix. */
  png(): string {
    const out = this.cy.png({ output: "base64", full: true, scale: 2, bg: this.theme.bg, maxWidth: 8000, maxHeight: 8000 });
    return out.replace(/^data:image\/png;base64,/, "");
  }

  /** A drawn node's text, classes and look, read back by the browser tests (and DevTools). */
  inspect(id: string): Record<string, unknown> | null {
    const n = this.cy.getElementById(id);
    if (n.empty()) return null;
    const style = ["background-color", "border-color", "border-width", "color"];
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

  bgColour(): string {
    return this.theme.bg;
  }

  private mount(mode: DrawMode): void {
    this.cy?.destroy();
    this.mode = mode;
    const large = mode !== "normal";
    this.cy = cytoscape({
      container: this.container,
      style: graphStyle(this.theme, mode),
      minZoom: 0.03,
      maxZoom: 4,
      boxSelectionEnabled: false,
      selectionType: "single",
      // Large graphs: draw a bitmap while panning/zooming, and fewer pixels.
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      pixelRatio: large ? 1 : "auto",
      autoungrabify: mode === "huge", // module boxes would not follow a dragged node
    });
    this.cy.on("tap", (evt) => this.onTap(evt));
    this.cy.on("dbltap", "node", (evt) => {
      const dto = this.dtoOf.get(evt.target.id());
      if (dto && dto.kind !== "module") this.events.reveal(dto.id);
    });
    this.cy.on("viewport", () => this.events.viewChanged());
  }

  private onTap(evt: cytoscape.EventObject): void {
    const target = evt.target as cytoscape.NodeSingular | cytoscape.Core;
    if (target === this.cy) return this.selectionChanged(null);
    if (!("isNode" in target) || !target.isNode()) return;
    const id = target.id();
    if (target.hasClass("collapsed") || target.hasClass("fold")) return this.toggle(id);
    if (target.hasClass("module")) {
      const top = target.boundingBox({ includeLabels: false }).y1;
      if (evt.position.y < top + 16) return this.toggle(id); // the header: label and top edge
    }
    this.selectionChanged(id);
  }

  private selectionChanged(id: NodeId | null): void {
    this.state.selected = id;
    this.events.select(id ? (this.dtoOf.get(id) ?? null) : null);
    this.events.viewChanged();
  }

  private render(opts: { fit?: boolean; force?: boolean; anchor?: string; saved?: ViewState }): void {
    const graph = this.graph;
    if (!graph) return;
    const t0 = performance.now();
    const drawn = drawnGraph(graph, this.state);
    const els = toElements(graph, drawn, this.theme.font);
    this.dtoOf = new Map(drawn.nodes.map((n) => [n.id, n.dto]));
    this.depth = nestingDepth(drawn.nodes);
    const mode: DrawMode =
      els.nodes.length > HUGE_DRAWN ? "huge" : els.nodes.length + els.edges.length > LARGE_DRAWN ? "large" : "normal";
    if (mode !== this.mode) this.mount(mode);

    const anchorEl = opts.anchor ? this.cy.getElementById(opts.anchor) : null;
    const anchorAt = anchorEl?.nonempty() ? { ...anchorEl.renderedPosition() } : null;
    const same = !opts.force && this.sameNodes(els.nodes.map((n) => n.data.id as string));
    let layoutMs = 0;
    if (!same && mode === "huge") {
      const l0 = performance.now();
      placeHuge(els);
      layoutMs = performance.now() - l0;
    }
    this.cy.batch(() => {
      if (!same) {
        this.cy.elements().remove();
        this.cy.add([...els.nodes, ...els.edges]);
        return;
      }
      for (const def of [...els.nodes, ...els.edges]) {
        const el = this.cy.getElementById(def.data.id as string);
        const { id: _id, parent: _parent, source: _s, target: _t, ...data } = def.data;
        if (el.empty()) this.cy.add(def);
        else el.data(data).classes(def.classes ?? "");
      }
      const edgeIds = new Set(els.edges.map((e) => e.data.id));
      this.cy.edges().filter((e) => !edgeIds.has(e.id())).remove();
    });
    if (!same) {
      if (mode !== "huge") {
        const l0 = performance.now();
        this.runDagre();
        layoutMs = performance.now() - l0;
      }
      const anchorNow = anchorAt && this.cy.getElementById(opts.anchor!);
      if (opts.saved?.zoom && opts.saved.pan) this.cy.viewport({ zoom: opts.saved.zoom, pan: opts.saved.pan });
      else if (anchorAt && anchorNow?.nonempty()) {
        const now = anchorNow.renderedPosition();
        this.cy.panBy({ x: anchorAt.x - now.x, y: anchorAt.y - now.y });
      } else this.fit(true);
    }
    const sel = this.state.selected ? this.cy.getElementById(this.state.selected) : null;
    if (sel?.nonempty()) sel.select();
    // Two frames later the graph has been drawn at least once.
    requestAnimationFrame(() =>
      requestAnimationFrame(() =>
        this.events.rendered({
          nodes: els.nodes.length,
          edges: els.edges.length,
          labels: els.labels,
          gradients: els.gradients,
          layoutMs: Math.round(layoutMs),
          drawMs: Math.round(performance.now() - t0),
        })
      )
    );
  }

  private sameNodes(ids: string[]): boolean {
    const nodes = this.cy.nodes();
    if (nodes.length !== ids.length) return false;
    return ids.every((id) => this.cy.getElementById(id).isNode());
  }

  private runDagre(): void {
    this.cy
      .layout({ name: "dagre", rankDir: "TB", nodeSep: 22, rankSep: 36, edgeSep: 8, fit: false, animate: false } as cytoscape.LayoutOptions)
      .run();
  }
}

/** The deepest chain of parents among drawn nodes. */
function nestingDepth(nodes: readonly { id: string; parent?: string }[]): number {
  const parentOf = new Map(nodes.map((n) => [n.id, n.parent]));
  let max = 0;
  for (const n of nodes) {
    let d = 0;
    for (let p = n.parent; p !== undefined && d < 64; p = parentOf.get(p)) d++;
    max = Math.max(max, d);
  }
  return max;
}
