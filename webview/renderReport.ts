/**
 * The `rendered` report: what was drawn and how long it took, sent once the frame that shows
 * it has been painted (the browser tests and the latency figures read it).
 */
import type { Elements } from "./graphElements";
import type { GraphDto } from "./protocol";

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

/** Runs `fn` once the next frame has been drawn. */
export function afterFrame(fn: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(fn));
}

/**
 * Reports the drawing begun at `t0` after the next frame; `firstDrawMs` is read then (0: the
 * first frame was the whole graph).
 */
export function reportAfterFrame(
  graph: GraphDto,
  els: Elements,
  t0: number,
  layoutMs: number,
  firstDrawMs: () => number,
  report: (info: RenderInfo) => void,
): void {
  afterFrame(() => {
    const drawMs = Math.round(performance.now() - t0);
    report({
      nodes: els.nodes.length,
      edges: els.edges.length,
      frames: els.frames,
      graphNodes: graph.nodes.length,
      labels: els.labels,
      gradients: els.gradients,
      layoutMs: Math.round(layoutMs),
      firstDrawMs: firstDrawMs() || drawMs,
      drawMs,
    });
  });
}
