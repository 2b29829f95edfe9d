/**
 * The page's frame around the graph: toolbar (view, modules, export, Run Backward), the status
 * line for running / untrusted / error messages, and a footer with the legend and counts.
 */
import { h } from "./dom";
import type { Colouring } from "./graphElements";
import { magnitudeLegend, MODE_NAMES } from "./magnitudeLegend";
import { COLOUR_MODES, type ColourMode } from "./magnitudeScale";
import type { ToWebview } from "./protocol";

export type ExportFormat = "png" | "svg" | "json";

export interface ToolbarActions {
  fit(): void;
  zoomIn(): void;
  zoomOut(): void;
  zoomReset(): void;
  /** Finds nodes by name; `next` moves to the following match. Returns the number found. */
  search(query: string, next: boolean): number;
  /** Draws every graph the file built (true) or only the root's. */
  setAllGraphs(on: boolean): void;
  /** Draws AccumulateGrad nodes apart from their parameters (true) or merged. */
  setSeparateAccumulate(on: boolean): void;
  relayout(): void;
  setAllOpen(open: boolean): void;
  export(format: ExportFormat): void;
  /** Absent when there is no host to run anything (the standalone page). */
  runBackward?(): void;
  setColourMode(mode: ColourMode): void;
  /** Opens or closes "step through backward". */
  toggleSteps(): void;
  /** Opens or closes the parameter table. */
  toggleParameters(): void;
}

type Status = Extract<ToWebview, { type: "status" }>;

export interface Frame {
  graph: HTMLElement;
  details: HTMLElement;
  setTitle(text: string): void;
  setStatus(state: Status["state"], message?: string): void;
  setError(message: string, line?: number): void;
  setSummary(text: string): void;
  setEmpty(text: string | null): void;
  /** A standing note about the graph shown (e.g. that a long run's graph was cut), or none. */
  setNotice(text: string | null): void;
  /** Dims the graph: it is the last good run's, kept while the file fails mid-edit. */
  setStale(stale: boolean): void;
  /** How many nodes of other graphs the file built are left out (0: the button hides). */
  setScope(left: number, allGraphs: boolean, separateAccumulate: boolean): void;
  /** Puts the keyboard in the search box. */
  focusSearch(): void;
  /** The colour chooser and the legend: the node kinds', or the magnitude scale's. */
  setColours(mode: ColourMode, colouring: Colouring | undefined, hasGradients: boolean): void;
  /** Whether the step and parameter buttons can be used (backward ran), and are pressed. */
  setGradientTools(
    has: { steps: boolean; parameters: number },
    open: { steps: boolean; parameters: boolean },
  ): void;
  /** Where the warnings, the step controls and the parameter table go. */
  warnings: HTMLElement;
  stepBar: HTMLElement;
  parameters: HTMLElement;
}

const LEGEND: [string, string][] = [
  ["op", "op"],
  ["leaf", "leaf"],
  ["param", "parameter"],
  ["tensor", "tensor"],
  ["constant", "constant"],
  ["module", "module"],
  ["nograd", "no gradient"],
  ["failed", "failed"],
];

const DEFAULT_STATUS: Record<Status["state"], string> = {
  running: "Running the model…",
  idle: "",
  untrusted: "This workspace is not trusted: Gradlens runs nothing here.",
  error: "The run failed.",
};

export function buildFrame(mount: HTMLElement, a: ToolbarActions): Frame {
  const button = (text: string, title: string, onClick: () => void, cls = ""): HTMLButtonElement =>
    h("button", { text, title, class: cls, on: { click: onClick } });
  const title = h("span", { class: "gl-title", text: "Gradlens" });
  const found = h("span", { class: "gl-found", attrs: { "aria-live": "polite" } });
  const search = h("input", {
    class: "gl-search",
    attrs: {
      type: "search",
      placeholder: "Find variable, layer, op (/)",
      "aria-label": "Find nodes",
      spellcheck: "false",
    },
  });
  const runSearch = (next: boolean): void => {
    const n = a.search(search.value, next);
    found.textContent = search.value.trim() ? (n === 1 ? "1 match" : `${n} matches`) : "";
  };
  search.addEventListener("input", () => runSearch(false));
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter") runSearch(true);
    if (e.key === "Escape" && search.value) {
      e.stopPropagation(); // the first Escape clears the search, the next closes the details
      search.value = "";
      runSearch(false);
    }
  });
  let scope = { all: false, apart: false };
  const allGraphs = button("", "", () => a.setAllGraphs(!scope.all), "gl-all-graphs");
  const apart = button("", "", () => a.setSeparateAccumulate(!scope.apart), "gl-accumulate");
  const sep = (): HTMLElement => h("span", { class: "gl-sep" });
  const colour = h("select", {
    class: "gl-colour",
    attrs: { "aria-label": "Colour nodes by", title: "What node and edge colours show" },
  });
  for (const m of COLOUR_MODES)
    colour.append(h("option", { text: `Colour: ${MODE_NAMES[m]}`, attrs: { value: m } }));
  colour.addEventListener("change", () => a.setColourMode(colour.value as ColourMode));
  const steps = button(
    "Step through backward",
    "Replay backward one node at a time, in the order the engine ran them (← → space)",
    a.toggleSteps,
    "gl-steps",
  );
  const params = button(
    "Parameters",
    "A table of every parameter and its gradient",
    a.toggleParameters,
    "gl-params-button",
  );
  const toolbar = h(
    "div",
    { class: "gl-toolbar", attrs: { role: "toolbar", "aria-label": "Graph" } },
    title,
    h(
      "div",
      { class: "gl-group" },
      button("−", "Zoom out (−)", a.zoomOut, "gl-zoom-out"),
      button("100 %", "Zoom to 100 % (0)", a.zoomReset, "gl-zoom-reset"),
      button("+", "Zoom in (+)", a.zoomIn, "gl-zoom-in"),
      button("Fit", "Fit the graph to the view, at a readable size (F)", a.fit, "gl-fit"),
      button("Re-layout", "Lay the graph out again", a.relayout),
    ),
    sep(),
    search,
    found,
    sep(),
    h(
      "div",
      { class: "gl-group" },
      button(
        "Collapse all",
        "Collapse every module and fold repeated blocks",
        () => a.setAllOpen(false),
        "gl-collapse-all",
      ),
      button(
        "Expand all",
        "Expand every module and unfold repeated blocks",
        () => a.setAllOpen(true),
        "gl-expand-all",
      ),
    ),
    sep(),
    h("div", { class: "gl-group" }, allGraphs, apart),
    sep(),
    h("div", { class: "gl-group" }, colour, steps, params),
    sep(),
    h(
      "div",
      { class: "gl-group" },
      h("span", { class: "gl-label", text: "Export" }),
      ...(["png", "svg", "json"] as const).map((f) =>
        button(
          f.toUpperCase(),
          `Export the graph as ${f.toUpperCase()}`,
          () => a.export(f),
          `gl-export-${f}`,
        ),
      ),
    ),
    h("span", { class: "gl-spacer" }),
    a.runBackward
      ? button(
          "Run Backward",
          "Run the model and backward from its loss",
          a.runBackward,
          "primary gl-run",
        )
      : null,
  );
  const status = h("div", { class: "gl-status", attrs: { role: "status", "aria-live": "polite" } });
  const notice = h("div", { class: "gl-notice", attrs: { role: "note" } });
  notice.hidden = true;
  const empty = h("div", { class: "gl-empty", text: "Waiting for a model run…" });
  const graph = h("div", { class: "gl-canvas" });
  const graphBox = h("div", { class: "gl-graph" }, graph, empty);
  const details = h("aside", { class: "gl-details", attrs: { "aria-label": "Node details" } });
  const summary = h("span", { class: "gl-summary" });
  const kinds = (): HTMLElement =>
    h(
      "div",
      { class: "gl-legend" },
      ...LEGEND.map(([cls, name]) => h("span", {}, h("span", { class: `gl-swatch ${cls}` }), name)),
    );
  const legend = h("div", { class: "gl-legends" }, kinds());
  const warnings = h("div", {
    class: "gl-warnings",
    attrs: { role: "list", "aria-label": "Gradient warnings" },
  });
  warnings.hidden = true;
  const stepBar = h("div", {
    class: "gl-stepbar",
    attrs: { role: "toolbar", "aria-label": "Step through backward" },
  });
  stepBar.hidden = true;
  const parameters = h("aside", { class: "gl-parameters", attrs: { "aria-label": "Parameters" } });
  parameters.hidden = true;
  const footer = h(
    "div",
    { class: "gl-footer" },
    legend,
    h("span", { class: "gl-spacer" }),
    summary,
  );
  mount.replaceChildren(
    toolbar,
    status,
    notice,
    warnings,
    stepBar,
    h("div", { class: "gl-main" }, graphBox, parameters, details),
    footer,
  );

  let errorShown = false;
  const show = (cls: string, text: string): void => {
    status.className = `gl-status ${text ? `shown ${cls}` : ""}`;
    status.textContent = text;
    errorShown = cls === "error" && !!text;
  };
  return {
    graph,
    details,
    warnings,
    stepBar,
    parameters,
    setColours: (mode, colouring, hasGradients) => {
      colour.value = mode;
      for (const o of Array.from(colour.options))
        o.disabled = !hasGradients && (o.value === "gradient" || o.value === "ratio");
      legend.replaceChildren(colouring ? magnitudeLegend(mode, colouring) : kinds());
    },
    setGradientTools: (has, open) => {
      steps.disabled = !has.steps;
      steps.title = has.steps
        ? "Replay backward one node at a time, in the order the engine ran them (← → space)"
        : "Run backward first: then each node can be replayed in the order the engine ran it";
      steps.setAttribute("aria-pressed", String(open.steps));
      params.hidden = has.parameters === 0;
      params.textContent = `Parameters (${has.parameters})`;
      params.setAttribute("aria-pressed", String(open.parameters));
    },
    setTitle: (text) => {
      title.textContent = text;
      title.title = text;
    },
    // The host follows an `error` (with line and explanation) by a status `error` that repeats
    // its first line: keep the fuller text.
    setStatus: (state, message) => {
      if (!(state === "error" && errorShown)) show(state, message ?? DEFAULT_STATUS[state]);
    },
    setError: (message, line) =>
      show("error", line === undefined ? message : `Line ${line}: ${message}`),
    setSummary: (text) => void (summary.textContent = text),
    setNotice: (text) => {
      notice.hidden = text === null;
      notice.textContent = text ?? "";
    },
    setScope: (left, all, shown) => {
      scope = { all, apart: shown };
      allGraphs.hidden = left === 0 && !all;
      allGraphs.textContent = all ? "Loss's graph only" : `All graphs (+${left})`;
      allGraphs.title = all
        ? "Draw only what the root (the exported loss) depends on"
        : "The file built more than the root's graph: draw everything it built";
      allGraphs.setAttribute("aria-pressed", String(all));
      apart.textContent = "AccumulateGrad";
      apart.title = shown
        ? "Shown apart: draw each parameter and its AccumulateGrad as one node, as torchviz does"
        : "Merged into their parameters: draw each AccumulateGrad node apart";
      apart.setAttribute("aria-pressed", String(shown));
    },
    focusSearch: () => {
      search.focus();
      search.select();
    },
    setStale: (stale) => graphBox.classList.toggle("stale", stale),
    setEmpty: (text) => {
      empty.hidden = text === null;
      empty.textContent = text ?? "";
    },
  };
}
