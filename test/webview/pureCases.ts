/**
 * The page's rules that need no browser: the HTML and its CSP, what is drawn for given
 * collapse/fold choices, the big-graph layout's geometry, heatmap slicing, number formatting.
 */
import assert from "node:assert/strict";
import { webviewHtml } from "../../extension/webviewHtml";
import { graphFromJson } from "../../webview/graphJson";
import { drawnGraph, foldGroups, LARGE_GRAPH } from "../../webview/graphModel";
import { formatNumber, formatShape } from "../../webview/format";
import { sliceOf } from "../../webview/heatmap";
import { layeredLayout } from "../../webview/layeredLayout";
import type { GraphDto } from "../../webview/protocol";
import { bigGraph, convGraph, hostileGraph, seedGraph } from "./fixtures";

export interface PureTest {
  name: string;
  run(): void;
}

const none = { moduleOpen: {}, foldOpen: {} };

/** Nested blocks with a foldKey: m0, m1, m2 each hold an op; x → m0 → m1 → m2 → y. */
function blocks(): GraphDto {
  const nodes: GraphDto["nodes"] = [{ id: "x", kind: "leaf", label: "x" }];
  const edges: GraphDto["edges"] = [];
  let prev = "x";
  for (let i = 0; i < 3; i++) {
    nodes.push({ id: `m${i}`, kind: "module", label: `block${i} (Block)`, foldKey: "Block" });
    nodes.push({ id: `op${i}`, kind: "op", label: "ReluBackward0", parent: `m${i}` });
    edges.push({ id: `e${i}`, source: prev, target: `op${i}`, label: "[4]" });
    prev = `op${i}`;
  }
  nodes.push({ id: "y", kind: "tensor", label: "y" });
  edges.push({ id: "ey", source: prev, target: "y", label: "[4]" });
  return { file: "f.ts", nodes, edges, hasGradients: false, runMs: 0 };
}

export const pureTests: PureTest[] = [
  {
    name: "html: nonce CSP with default-src 'none', no unsafe-inline or eval",
    run() {
      const html = webviewHtml({
        cspSource: "https://x.vscode-cdn.net",
        script: { uri: "https://x/webview.js" },
        nonce: "abc123",
      });
      const csp = /Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? "";
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
      assert.match(csp, /style-src https:\/\/x\.vscode-cdn\.net 'nonce-abc123'/);
      assert.match(csp, /img-src https:\/\/x\.vscode-cdn\.net data: blob:/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.match(html, /<script nonce="abc123" src="https:\/\/x\/webview\.js"><\/script>/);
    },
  },
  {
    name: "html: the embedded graph cannot close its script element, and parses back",
    run() {
      const g = hostileGraph();
      const html = webviewHtml({ cspSource: "", script: { uri: "w.js" }, graph: g });
      const json =
        /<script type="application\/json" id="gradlens-graph">([\s\S]*?)<\/script>/.exec(
          html,
        )?.[1] ?? "";
      assert.ok(!json.includes("<") && !json.includes(">"), "no angle brackets inside");
      assert.deepEqual(graphFromJson(json), g); // as the page reads it
      assert.equal(html.match(/<script/g)?.length, 2, "only the JSON and the bundle");
      assert.ok(!html.includes("<img"), "the title is escaped too");
    },
  },
  {
    name: "html: an inlined bundle cannot end its script element early",
    run() {
      const html = webviewHtml({
        cspSource: "",
        script: { inline: 'const s = "</script><b>";' },
        nonce: "n",
      });
      assert.ok(html.includes('const s = "<\\/script><b>";'));
      assert.equal(html.match(/<\/script>/g)?.length, 1);
    },
  },
  {
    name: "model: a collapsed module hides its children and takes over their edges",
    run() {
      const g = convGraph();
      const open = drawnGraph(g, none);
      assert.equal(open.nodes.length, g.nodes.length);
      const shut = drawnGraph(g, { moduleOpen: { conv: false }, foldOpen: {} });
      assert.deepEqual(shut.nodes.map((n) => n.id).sort(), ["conv", "inp", "mm", "out"]);
      const conv = shut.nodes.find((n) => n.id === "conv")!;
      assert.equal(conv.collapsed, true);
      assert.equal(conv.hidden, 3);
      assert.deepEqual(shut.edges.map((e) => `${e.source}>${e.target}`).sort(), [
        "conv>out",
        "inp>conv",
        "out>mm",
      ]);
    },
  },
  {
    name: "model: parallel edges into a collapsed module merge and count",
    run() {
      const g = seedGraph();
      g.nodes.push({ id: "M", kind: "module", label: "sq" });
      for (const id of ["mul1", "t"]) g.nodes.find((n) => n.id === id)!.parent = "M";
      const d = drawnGraph(g, { moduleOpen: { M: false }, foldOpen: {} });
      const into = d.edges.filter((e) => e.target === "M" && e.source === "y");
      assert.equal(into.length, 1);
      assert.equal(into[0].count, 2);
    },
  },
  {
    name: "model: repeated blocks fold into one node and unfold on request",
    run() {
      const g = blocks();
      assert.deepEqual(
        foldGroups(g).map((f) => f.members),
        [["m0", "m1", "m2"]],
      );
      const folded = drawnGraph(g, { moduleOpen: {}, foldOpen: { "fold::Block": false } });
      const f = folded.nodes.find((n) => n.kind === "fold")!;
      assert.equal(f.repeats, 3);
      assert.deepEqual(
        folded.nodes.map((n) => n.id),
        ["x", "fold::Block", "y"],
      );
      assert.deepEqual(
        folded.edges.map((e) => `${e.source}>${e.target}`),
        ["x>fold::Block", "fold::Block>y"],
      );
      assert.equal(drawnGraph(g, none).nodes.length, 8);
    },
  },
  {
    name: `model: graphs over ${LARGE_GRAPH} nodes start collapsed and folded`,
    run() {
      const g = bigGraph(40);
      assert.ok(g.nodes.length > LARGE_GRAPH);
      assert.deepEqual(
        drawnGraph(g, none).nodes.map((n) => n.id),
        ["x", "fold::Block"],
      );
      const unfolded = drawnGraph(g, { moduleOpen: {}, foldOpen: { "fold::Block": true } });
      assert.equal(unfolded.nodes.length, 41);
      assert.ok(unfolded.nodes.slice(1).every((n) => n.collapsed));
    },
  },
  {
    name: "layout: ranks go down the edges, nodes never overlap, boxes hold their children",
    run() {
      const g = bigGraph(30);
      const nodes = g.nodes.map((n) => ({
        id: n.id,
        parent: n.parent,
        w: n.kind === "module" ? 0 : 90,
        h: 40,
      }));
      const { leaves, boxes } = layeredLayout(nodes, g.edges, {
        nodeSep: 20,
        rankSep: 30,
        pad: 10,
        label: 16,
      });
      const leafIds = g.nodes.filter((n) => n.kind !== "module").map((n) => n.id);
      assert.equal(leaves.size, g.nodes.filter((n) => n.kind !== "module").length);
      for (const e of g.edges)
        assert.ok(
          leaves.get(e.target)!.y > leaves.get(e.source)!.y,
          `${e.source} above ${e.target}`,
        );
      const pts = leafIds.map((id) => leaves.get(id)!);
      for (let i = 0; i < pts.length; i++) {
        for (let j = i + 1; j < pts.length; j++) {
          const apart = Math.abs(pts[i].x - pts[j].x) >= 90 || Math.abs(pts[i].y - pts[j].y) >= 40;
          assert.ok(apart, `${leafIds[i]} and ${leafIds[j]} overlap`);
        }
      }
      for (const n of g.nodes) {
        const box = n.parent ? boxes.get(n.parent)! : undefined;
        const p = leaves.get(n.id) ?? boxes.get(n.id);
        if (!box || !p) continue;
        assert.ok(
          Math.abs(p.x - box.x) < box.w / 2 && Math.abs(p.y - box.y) < box.h / 2,
          `${n.id} inside ${n.parent}`,
        );
      }
    },
  },
  {
    name: "heatmap: slices of a conv kernel [4, 2, 3, 3] start at the right element",
    run() {
      assert.deepEqual(sliceOf([4, 2, 3, 3], [1, 1]), { rows: 3, cols: 3, offset: 27 });
      assert.deepEqual(sliceOf([4, 2, 3, 3], [3, 0]), { rows: 3, cols: 3, offset: 54 });
      assert.deepEqual(sliceOf([5], []), { rows: 1, cols: 5, offset: 0 });
      assert.deepEqual(sliceOf([], []), { rows: 1, cols: 1, offset: 0 });
    },
  },
  {
    name: "format: numbers and shapes read short",
    run() {
      assert.equal(formatNumber(3.674234614), "3.674");
      assert.equal(formatNumber(-0.000012), "-1.20e-5");
      assert.equal(formatNumber(4.5), "4.5");
      assert.equal(formatNumber(Infinity), "inf");
      assert.equal(formatShape([]), "scalar");
      assert.equal(formatShape([1, 16, 62]), "[1, 16, 62]");
    },
  },
];
