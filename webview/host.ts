/**
 * The way to the extension host. Inside VS Code that is `acquireVsCodeApi()`; on the CLI's
 * standalone page there is no host, so posts go nowhere, state lives in memory, and the page
 * draws the graph embedded in it instead.
 */
import { graphFromJson } from "./graphJson";
import type { FromWebview, GraphDto } from "./protocol";

export interface Host<S> {
  /** False on the standalone page: the page then offers downloads instead of posting exports. */
  readonly connected: boolean;
  postMessage(msg: FromWebview): void;
  getState(): S | undefined;
  setState(state: S): void;
}

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export function connectHost<S>(): Host<S> {
  if (typeof acquireVsCodeApi === "function") {
    const api = acquireVsCodeApi(); // may be called only once per page
    return {
      connected: true,
      postMessage: (msg) => api.postMessage(msg),
      getState: () => (api.getState() as S | undefined) ?? undefined,
      setState: (s) => api.setState(s),
    };
  }
  let state: S | undefined;
  return {
    connected: false,
    postMessage: () => undefined,
    getState: () => state,
    setState: (s) => void (state = s),
  };
}

/** The graph embedded in the page as `<script type="application/json" id="gradlens-graph">`. */
export function embeddedGraph(): GraphDto | null {
  const text = document.getElementById("gradlens-graph")?.textContent;
  if (!text) return null;
  try {
    return graphFromJson(text);
  } catch (err) {
    console.error("Gradlens: the embedded graph is not valid JSON", err);
    return null;
  }
}
