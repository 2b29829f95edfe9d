/**
 * The page's rules for what a first view shows (issue 18), without a browser: the root's graph,
 * parameters merged with their AccumulateGrad, the layer level, search, zoom steps, readable fit.
 */
import assert from "node:assert/strict";
import { drawnGraph, LAYER_LEVEL } from "../../webview/graphModel";
import { scopeOf } from "../../webview/graphScope";
import { findDrawn } from "../../webview/search";
import { fitViewport, READABLE_ZOOM } from "../../webview/viewport";
import { wheelFactor, ZOOM_STEP } from "../../webview/zoom";
import type { GraphDto, GraphNodeDto } from "../../webview/protocol";
import type { PureTest } from "./pureCases";

const none = { moduleOpen: {}, foldOpen: {} };

/**
 * Two forward passes through one Linear layer `fc` (w, b), as examples/lenet.ts makes them:
 * first = fc(x).sum() and loss = fc(x).sum(), the parameters used by both.
 */
function twoPasses(): GraphDto {
  const nodes: GraphNodeDto[] = [
    { id: "x", kind: "constant", label: "x", shape: [4, 3] },
    { id: "w", kind: "param", label: "fc.weight", parent: "m2", shape: [2, 3] },
    { id: "accW", kind: "op", label: "AccumulateGrad", parent: "m2" },
    { id: "b", kind: "param", label: "fc.bias", parent: "m2", shape: [2] },
    { id: "accB", kind: "op", label: "AccumulateGrad", parent: "m2" },
  ];
  const edges: GraphDto["edges"] = [
    { id: "w>", source: "w", target: "accW", label: "[2, 3]" },
    { id: "b>", source: "b", target: "accB", label: "[2]" },
  ];
  for (const [m, out] of [
    ["m1", "first"],
    ["m2", "loss"],
  ]) {
    nodes.push(
      { id: m, kind: "module", label: "fc (Linear)", layer: "Linear 3→2", shape: [4, 2] },
      { id: `${m}.t`, kind: "op", label: "TBackward0", parent: m },
      { id: `${m}.mm`, kind: "op", label: "AddmmBackward0", parent: m },
      { id: `${m}.sum`, kind: "op", label: "SumBackward0" },
      { id: out, kind: "tensor", label: out, shape: [] },
    );
    edges.push(
      { id: `${m}1`, source: "accW", target: `${m}.t`, label: "[2, 3]" },
      { id: `${m}2`, source: "accB", target: `${m}.mm`, label: "[2]" },
      { id: `${m}3`, source: "x", target: `${m}.mm`, label: "[4, 3]" },
      { id: `${m}4`, source: `${m}.t`, target: `${m}.mm`, label: "[3, 2]" },
      { id: `${m}5`, source: `${m}.mm`, target: `${m}.sum`, label: "[4, 2]" },
      { id: `${m}6`, source: `${m}.sum`, target: out, label: "[]" },
    );
  }
  return { file: "f.ts", nodes, edges, root: "loss", hasGradients: false, runMs: 0 };
}

/** A chain of `layers` Linear layers, each holding a weight, its AccumulateGrad and an op. */
function chain(layers: number): GraphDto {
  const nodes: GraphNodeDto[] = [
    { id: "net", kind: "module", label: "net (Sequential)", layer: "Sequential" },
    { id: "x", kind: "constant", label: "x" },
  ];
  const edges: GraphDto["edges"] = [];
  let prev = "x";
  for (let i = 0; i < layers; i++) {
    const m = `l${i}`;
    nodes.push(
      { id: m, kind: "module", label: `net.${i} (Linear)`, layer: "Linear 8→8", parent: "net" },
      { id: `${m}.w`, kind: "param", label: `net.${i}.weight`, parent: m },
      { id: `${m}.acc`, kind: "op", label: "AccumulateGrad", parent: m },
      { id: `${m}.mm`, kind: "op", label: "MmBackward0", parent: m },
    );
    edges.push(
      { id: `${m}a`, source: `${m}.w`, target: `${m}.acc`, label: "[8, 8]" },
      { id: `${m}b`, source: `${m}.acc`, target: `${m}.mm`, label: "[8, 8]" },
      { id: `${m}c`, source: prev, target: `${m}.mm`, label: "[1, 8]" },
    );
    prev = `${m}.mm`;
  }
  return { file: "f.ts", nodes, edges, root: prev, hasGradients: false, runMs: 0 };
}

const ids = (g: GraphDto, choices = {}) =>
  drawnGraph(g, { ...none, ...choices })
    .nodes.map((n) => n.id)
    .sort();

export const scopeTests: PureTest[] = [
  {
    name: "scope: the root's graph only, the other pass one choice away; a failed op always",
    run() {
      const g = twoPasses();
      assert.deepEqual(ids(g), ["b", "loss", "m2", "m2.mm", "m2.sum", "m2.t", "w", "x"]);
      assert.equal(scopeOf(g, {}).left, 4, "first's TBackward0, Addmm, Sum and first");
      assert.equal(ids(g, { allGraphs: true }).length, 13, "both passes, AccumulateGrads merged");
      // A failure elsewhere is shown whatever the root.
      const failed = twoPasses();
      failed.nodes.find((n) => n.id === "m1.mm")!.failed = true;
      assert.ok(ids(failed).includes("m1.mm"));
      assert.ok(ids(failed).includes("m1"), "with the module it ran in");
      // No root: nothing to choose by, everything is drawn.
      assert.equal(ids({ ...twoPasses(), root: undefined }).length, 13);
    },
  },
  {
    name: "scope: a parameter and its AccumulateGrad are one node, edges re-pointed; or apart",
    run() {
      const g = twoPasses();
      const d = drawnGraph(g, { ...none, allGraphs: true });
      assert.ok(!d.nodes.some((n) => n.dto.label === "AccumulateGrad"));
      const into = (t: string) => d.edges.filter((e) => e.target === t).map((e) => e.source);
      assert.deepEqual(into("m1.t"), ["w"]);
      assert.deepEqual(into("m2.mm").sort(), ["b", "m2.t", "x"]);
      assert.equal(d.ownerOf("accW"), "w");
      const apart = drawnGraph(g, { ...none, allGraphs: true, separateAccumulate: true });
      assert.equal(apart.nodes.filter((n) => n.dto.label === "AccumulateGrad").length, 2);
      assert.deepEqual(
        apart.edges.filter((e) => e.target === "m1.t").map((e) => e.source),
        ["accW"],
      );
    },
  },
  {
    name: `layer level: over ${LAYER_LEVEL} nodes each layer is one node, in its open container`,
    run() {
      const small = chain(9); // 1 + 9 × 3 = 28 nodes
      assert.ok(drawnGraph(small, none).nodes.every((n) => !n.collapsed));
      const g = chain(12); // 37 nodes
      const d = drawnGraph(g, none);
      assert.deepEqual(
        d.nodes.map((n) => `${n.id}${n.collapsed ? "▸" : ""}`),
        ["net", "x", ...Array.from({ length: 12 }, (_, i) => `l${i}▸`)],
      );
      // "N nodes inside" counts a parameter and its AccumulateGrad once, as the page does.
      assert.deepEqual(
        new Set(d.nodes.filter((n) => n.collapsed).map((n) => n.hidden)),
        new Set([2]),
      );
      assert.equal(scopeOf(g, {}).size, 1 + 12 * 2);
      assert.equal(d.edges.length, 12, "x → l0 → l1 → … → l11");
      // The user's choice wins over the default.
      const opened = drawnGraph(g, { ...none, moduleOpen: { l3: true } });
      assert.ok(opened.nodes.some((n) => n.id === "l3.mm"));
    },
  },
  {
    name: "search: finds layers, ops hidden in closed layers and variables, in drawing order",
    run() {
      const g = chain(12);
      const d = drawnGraph(g, none);
      assert.deepEqual(findDrawn(g, d, "net.1"), ["l1", "l10", "l11"]);
      assert.equal(findDrawn(g, d, "mmbackward").length, 12);
      assert.deepEqual(findDrawn(g, d, " x "), ["x"]);
      assert.deepEqual(findDrawn(g, d, "   "), []);
      assert.deepEqual(findDrawn(g, d, "Linear 8→8").length, 12, "by the layer's settings");
    },
  },
  {
    name: "zoom: a wheel notch is one 18 % step in any wheel mode; touchpads move in proportion",
    run() {
      assert.equal(wheelFactor({ deltaY: -100, deltaMode: 0 }), ZOOM_STEP);
      assert.equal(wheelFactor({ deltaY: 100, deltaMode: 0 }), 1 / ZOOM_STEP);
      assert.equal(wheelFactor({ deltaY: -3, deltaMode: 1 }), ZOOM_STEP); // Firefox's lines
      assert.equal(wheelFactor({ deltaY: -240, deltaMode: 0 }), ZOOM_STEP, "a fast spin: one step");
      const small = wheelFactor({ deltaY: -4, deltaMode: 0 });
      assert.ok(small > 1 && small < 1.01, String(small));
      assert.ok(ZOOM_STEP >= 1.15 && ZOOM_STEP <= 1.2);
    },
  },
  {
    name: "fit: never below a readable zoom; a long chain is centred across, shown from its top",
    run() {
      const view = { width: 780, height: 700, minZoom: 0.03 };
      const opts = { readable: true, margin: { side: 0, top: 0 } };
      const column = Array.from({ length: 40 }, (_, i) => ({ x: 0, y: i * 80, w: 150, h: 40 }));
      const v = fitViewport(column, view, opts)!;
      assert.equal(v.zoom, READABLE_ZOOM);
      assert.equal(v.pan.x, view.width / 2, "centred across");
      assert.ok(Math.abs(v.pan.y - (24 + READABLE_ZOOM * 20)) < 1e-9, "its top at the top");
      const row = column.map((r) => ({ ...r, x: r.y, y: 0 }));
      const h = fitViewport(row, view, opts)!;
      assert.equal(h.pan.y, view.height / 2, "a long row: centred down, from its left");
      const small = fitViewport(column.slice(0, 3), view, opts)!;
      assert.ok(small.zoom > READABLE_ZOOM, "what fits is fitted");
    },
  },
];
