/**
 * The graph page's entry: builds the frame, mounts the graph view, says `ready` to the host,
 * and handles the host's messages in one switch. Inside VS Code the host sends the graph; on
 * the CLI's standalone page the graph is embedded in the HTML and there is no host.
 */
import { exportSvg } from "./exportSvg";
import { isCollapsed } from "./graphModel";
import { graphToJson } from "./graphJson";
import { GraphView } from "./graphView";
import type { ViewState } from "./viewState";
import { connectHost, embeddedGraph } from "./host";
import { NodeDetails } from "./nodeDetails";
import { PAGE_CSS } from "./pageCss";
import type { GraphDto, GraphNodeDto, NodeId, ToWebview } from "./protocol";
import { readTheme, watchTheme } from "./theme";
import { buildFrame, type ExportFormat } from "./toolbar";
import { BackwardSteps } from "./backwardSteps";
import { ParameterTable } from "./parameterTable";
import { stepDetails } from "./stepDetails";
import { showWarnings } from "./warningList";

// Read while this script runs: the nonce lets our <style> elements past the page's CSP.
const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? "";

function addStyles(): void {
  const style = (id: string, css: string): HTMLStyleElement => {
    const el = document.createElement("style");
    el.id = id;
    el.nonce = nonce;
    el.textContent = css;
    return el;
  };
  // Cytoscape adds this stylesheet itself, without a nonce (the CSP would block it), unless an
  // element with its id exists: so we add it, with the nonce.
  document.head.prepend(
    style(
      "__________cytoscape_stylesheet",
      ".__________cytoscape_container { position: relative; }",
    ),
    style("gradlens-style", PAGE_CSS),
  );
}

function assertNever(msg: never): void {
  console.warn("Gradlens: unknown message", msg); // a newer host; not worth breaking the page
}

function main(): void {
  addStyles();
  const host = connectHost<ViewState>();
  const mount =
    document.getElementById("gradlens-root") ??
    document.body.appendChild(document.createElement("div"));
  const frame = buildFrame(mount, {
    fit: () => view.fit(),
    zoomIn: () => view.zoom("in"),
    zoomOut: () => view.zoom("out"),
    zoomReset: () => view.zoom("100%"),
    search: (query, next) => view.search(query, next),
    setAllGraphs: (on) => view.setScope("allGraphs", on),
    setSeparateAccumulate: (on) => view.setScope("separateAccumulate", on),
    relayout: () => view.relayout(),
    setAllOpen: (open) => view.setAllOpen(open),
    export: (format) => exportAs(format),
    runBackward: host.connected ? () => host.postMessage({ type: "runBackward" }) : undefined,
    setColourMode: (mode) => view.setColourMode(mode),
    toggleSteps: () => {
      if (steps.isOpen) steps.close();
      else if (view.current && BackwardSteps.available(view.current)) steps.start(view.current);
      updateTools();
    },
    toggleParameters: () => {
      frame.parameters.hidden = !frame.parameters.hidden;
      updateTools();
    },
  });

  const table = new ParameterTable(
    frame.parameters,
    {
      choose: (id) => {
        view.select(view.ownerOf(id));
        table.select(id);
        if (host.connected) host.postMessage({ type: "reveal", nodeId: id });
      },
    },
    readTheme,
  );

  /** The nodes the step-through has run so far (null: closed), to redraw it when values come. */
  let stepRan: NodeId[] | null = null;
  const steps = new BackwardSteps(frame.stepBar, { show: showStep });

  /** The step-through's details: the node it is at, with what arrived and what it passed back. */
  function showStep(ran: NodeId[] | null): void {
    stepRan = ran;
    view.setStep(ran ? { ran } : null);
    const g = view.current;
    if (!ran || !g) return refreshDetails();
    const now = ran[ran.length - 1];
    frame.details.hidden = false;
    frame.details.replaceChildren(
      now
        ? stepDetails(g, now, { step: ran.length, of: g.backwardOrder?.length ?? 0 }, readTheme())
        : stepStart(),
    );
    if (now) askEdgeGrads(g, now);
  }

  function updateTools(): void {
    const g = view.current;
    frame.setGradientTools(
      { steps: BackwardSteps.available(g), parameters: table.count },
      { steps: steps.isOpen, parameters: !frame.parameters.hidden },
    );
  }

  let saveTimer = 0;
  const save = (): void => {
    clearTimeout(saveTimer);
    saveTimer = window.setTimeout(() => host.setState(view.viewState()), 150);
  };

  const details = new NodeDetails(
    frame.details,
    {
      reveal: host.connected ? (nodeId) => host.postMessage({ type: "reveal", nodeId }) : undefined,
      toggle: (id) => view.toggle(id),
      close: () => view.select(null),
    },
    readTheme,
  );

  const view: GraphView = new GraphView(
    frame.graph,
    {
      select: (node) => {
        showDetails(node);
        table.select(node?.id ?? null);
        host.postMessage({ type: "selected", nodeId: node?.id ?? null });
      },
      reveal: (nodeId) => host.postMessage({ type: "reveal", nodeId }),
      rendered: (info) => {
        const g = view.current;
        const { size: total, left } = view.scopeInfo();
        const state = view.viewState();
        frame.setScope(left, !!state.allGraphs, !!state.separateAccumulate);
        // an open layer's frame is a box around nodes, not one of them
        const nodes = info.nodes - info.frames;
        const of = total !== nodes ? ` (of ${total})` : "";
        const ran = g?.runMs ? ` · ran in ${Math.round(g.runMs)} ms` : "";
        frame.setSummary(
          `${nodes} nodes${of} · ${info.edges} edges · drawn in ${info.drawMs} ms${ran}`,
        );
        frame.setColours(view.colourMode(), view.currentColouring, !!g?.hasGradients);
        host.postMessage({ type: "rendered", ...info, stale });
      },
      viewChanged: save,
    },
    host.getState(),
  );

  /** The posted graph's number, and the nodes whose left-out values were asked for. */
  let graphSeq = 0;
  const asked = new Set<string>();
  /** The `needValues` requests of this graph not answered yet: which node each asked about. */
  const pending = new Map<number, NodeId>();
  /** The `needEdgeGrads` requests of this graph not answered yet. */
  const edgeRequests = new Set<number>();
  let lastRequest = 0;
  /** The graph shown is the last good run's while the latest failed mid-edit. */
  let stale = false;

  function showGraph(graph: GraphDto, seq = 0, isStale = false): void {
    graphSeq = seq;
    asked.clear();
    pending.clear(); // answers about the graph this one replaces are ignored
    edgeRequests.clear();
    stale = isStale;
    frame.setTitle(graph.file.split(/[\\/]/).pop() || "Gradlens");
    frame.setEmpty(graph.nodes.length ? null : "The run recorded no operations.");
    frame.setStale(stale);
    frame.setNotice(
      stale
        ? "Stale: the file has an error (above), so this is the graph of the last run that " +
            "worked; it comes back to life when the file runs again."
        : graph.droppedOps
          ? `This run made more operations than Gradlens keeps: the graph shows its latest ` +
            `ones; ${graph.droppedOps.toLocaleString("en")} earlier operations are not drawn.`
          : null,
    );
    view.setGraph(graph);
    gradientsChanged(graph);
  }

  /** Selects what a warning names; one outside the loss's graph first draws every graph. */
  function showWarned(id: string): void {
    if (!view.drawnIds().includes(view.ownerOf(id))) view.setScope("allGraphs", true);
    view.select(view.ownerOf(id));
  }

  /** The parts that read the gradients follow a new graph or new gradients. */
  function gradientsChanged(graph: GraphDto): void {
    table.setGraph(graph);
    showWarnings(frame.warnings, graph.warnings ?? [], showWarned);
    steps.graphChanged(graph);
    updateTools();
    if (!steps.isOpen) refreshDetails();
  }

  function showDetails(node: GraphNodeDto | null): void {
    const g = view.current;
    const collapsed =
      !!node && !!g && node.kind === "module" && isCollapsed(g, view.viewState(), node.id);
    details.show(node, g, collapsed);
    const missing = node && [node.value, node.grad].some((t) => t && !t.values);
    if (node && missing && host.connected && !asked.has(node.id)) {
      asked.add(node.id);
      pending.set(++lastRequest, node.id);
      host.postMessage({ type: "needValues", id: lastRequest, seq: graphSeq, nodeId: node.id });
    }
  }

  /** The edges into `nodeId` whose gradients came without their values: asked for once. */
  function askEdgeGrads(g: GraphDto, nodeId: NodeId): void {
    const missing = g.edges.filter(
      (e) => e.target === nodeId && e.grad && !e.grad.values && !asked.has(e.id),
    );
    if (!host.connected || missing.length === 0) return;
    for (const e of missing) asked.add(e.id);
    host.postMessage({
      type: "needEdgeGrads",
      id: ++lastRequest,
      seq: graphSeq,
      edgeIds: missing.map((e) => e.id),
    });
    edgeRequests.add(lastRequest);
  }

  function fillEdgeGrads(msg: Extract<ToWebview, { type: "edgeGrads" }>): void {
    if (!edgeRequests.delete(msg.replyTo) || !view.current) return; // about a replaced graph
    for (const e of view.current.edges) {
      const values = Object.hasOwn(msg.grads, e.id) ? msg.grads[e.id] : undefined;
      if (e.grad && !e.grad.values && values) e.grad.values = values;
    }
    if (stepRan) showStep(stepRan);
  }

  function fillValues(msg: Extract<ToWebview, { type: "values" }>): void {
    const nodeId = pending.get(msg.replyTo);
    pending.delete(msg.replyTo);
    const node = nodeId !== undefined && view.current?.nodes.find((n) => n.id === nodeId);
    if (!node) return; // an answer about a graph since replaced
    if (node.value && !node.value.values) node.value.values = msg.value ?? new Float32Array(0);
    if (node.grad && !node.grad.values) node.grad.values = msg.grad ?? new Float32Array(0);
    if (details.shownId === node.id) refreshDetails();
  }

  /** The details panel follows the shown node's new data (new graph, gradients arrived). */
  function refreshDetails(): void {
    const id = details.shownId;
    showDetails((id && view.current?.nodes.find((n) => n.id === id)) || null);
  }

  /** Exports the graph: to the host (as the reply to its `export` number `replyTo`, if any). */
  function exportAs(format: ExportFormat, replyTo?: number): void {
    const graph = view.current;
    const reply = replyTo === undefined ? {} : { replyTo };
    if (!graph) {
      frame.setStatus("idle", "Nothing to export yet.");
      if (host.connected) host.postMessage({ type: "exported", ...reply, format, data: "" }); // no waiting
      return;
    }
    const data =
      format === "png"
        ? view.png()
        : format === "svg"
          ? exportSvg(view.core, view.bgColour(), readTheme().font)
          : graphToJson(graph, 2);
    if (host.connected) host.postMessage({ type: "exported", ...reply, format, data });
    else download(format, data, graph.file);
  }

  function handle(msg: ToWebview): void {
    switch (msg.type) {
      case "graph":
        return showGraph(msg.graph, msg.seq, msg.stale);
      case "values":
        return fillValues(msg);
      case "edgeGrads":
        return fillEdgeGrads(msg);
      case "gradients":
        view.setGradients(msg.grads);
        return view.current ? gradientsChanged(view.current) : undefined;
      case "status":
        return frame.setStatus(msg.state, msg.message);
      case "error":
        return frame.setError(msg.message, msg.line);
      case "export":
        return exportAs(msg.format, msg.id);
      case "select":
        return view.select(msg.nodeId);
      default:
        return assertNever(msg);
    }
  }

  window.addEventListener("message", (e: MessageEvent) => {
    const msg: unknown = e.data;
    if (msg && typeof msg === "object" && typeof (msg as { type?: unknown }).type === "string")
      handle(msg as ToWebview);
  });
  window.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && details.shownId) return view.select(null);
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    if (typing || e.altKey) return;
    if (!e.ctrlKey && !e.metaKey && steps.key(e.key)) {
      e.preventDefault();
      return updateTools();
    }
    const find = e.key === "/" || ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "f");
    if (find) {
      e.preventDefault();
      return frame.focusSearch();
    }
    if (e.ctrlKey || e.metaKey) return;
    const keys: Record<string, () => void> = {
      "+": () => view.zoom("in"),
      "=": () => view.zoom("in"),
      "-": () => view.zoom("out"),
      "0": () => view.zoom("100%"),
      f: () => view.fit(),
    };
    keys[e.key]?.();
  });
  watchTheme(() => {
    view.applyTheme();
    details.refresh();
  });
  // A read-only seam for the browser tests, and for poking at the page from DevTools.
  Object.assign(window, {
    gradlensDebug: {
      inspect: (id: string) => view.inspect(id),
      viewState: () => view.viewState(),
      foldIds: () => view.drawnIds().filter((id) => id.startsWith("fold:")),
      ownerOf: (id: string) => view.ownerOf(id),
    },
  });
  host.postMessage({ type: "ready" });
  const initial = embeddedGraph();
  if (initial) showGraph(initial);
  else if (!host.connected) frame.setEmpty("No graph is embedded in this page.");
}

/** The details at step 0: where backward starts. */
function stepStart(): HTMLElement {
  const p = document.createElement("p");
  p.className = "gl-rule";
  p.textContent =
    "Backward starts at the loss L with ∂L/∂L = 1. Each step runs one node, in the order the " +
    "engine ran them: press → (Forward) to run the first.";
  return p;
}

/** The standalone page has no host to save files: offer a download instead. */
function download(format: ExportFormat, data: string, file: string): void {
  const name = (file.split(/[\\/]/).pop() || "graph").replace(/\.[^.]*$/, "") + `.graph.${format}`;
  const blob =
    format === "png"
      ? new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], { type: "image/png" })
      : new Blob([data], { type: format === "svg" ? "image/svg+xml" : "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

main();
