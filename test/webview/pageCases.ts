/**
 * The page in Chromium: what it draws for known graphs, and what a user's clicks do.
 */
import assert from "node:assert/strict";
import type { Harness, OpenOptions, TestPage } from "./harness";
import type { PageTest } from "./run";
import { bigGraph, convGraph, seedGradients, seedGraph, tinyGraph } from "./fixtures";
import { graphFromJson } from "../../webview/graphJson";

/** A page that has said `ready`. */
export async function ready(h: Harness, opts: OpenOptions = {}): Promise<TestPage> {
  const p = await h.open(opts);
  await p.next("ready");
  return p;
}

/** Clicks a toolbar button and waits for the next `rendered`. */
async function press(p: TestPage, selector: string) {
  const since = await p.mark();
  await p.page.click(selector);
  return p.next("rendered", since, 60000);
}

export const pageTests: PageTest[] = [
  {
    name: "ready handshake, then a tiny graph: 5 nodes, 4 edges",
    async run(h) {
      const p = await ready(h);
      const r = await p.render({ type: "graph", graph: tinyGraph() });
      assert.equal(r.nodes, 5);
      assert.equal(r.edges, 4);
      assert.deepEqual([...r.labels].sort(), ["2", "MulBackward0", "a", "b", "c"]);
      assert.equal(r.gradients, 0);
      assert.deepEqual(p.console, []);
      await p.close();
    },
  },
  {
    name: "seed example: x → SubBackward0 → y → MulBackward0 ×2 → z → MeanBackward0 → loss",
    async run(h) {
      const p = await ready(h);
      const r = await p.render({ type: "graph", graph: seedGraph() });
      assert.equal(r.nodes, 11);
      assert.equal(r.edges, 11);
      assert.equal(r.labels.filter((l) => l === "MulBackward0").length, 2);
      for (const l of ["x", "SubBackward0", "y", "MeanBackward0", "loss"])
        assert.ok(r.labels.includes(l), l);
      assert.equal(r.gradients, 9);
      assert.equal((await p.inspect("loss"))!.label, "loss\nscalar = 4.5\n∇ 1");
      assert.equal((await p.inspect("x"))!.label, "x\n[2, 2]\n∇ ‖3.674‖");
      // Forward direction: inputs first, the loss last (down a tall panel, across a wide one).
      const chain = await Promise.all(["x", "sub", "mean", "loss"].map((id) => p.inspect(id)));
      const along = (axis: "x" | "y") =>
        chain.every((n, i) => i === 0 || chain[i - 1]!.position[axis] < n!.position[axis]);
      assert.ok(along("x") || along("y"), JSON.stringify(chain.map((n) => n!.position)));
      await p.screenshot("seed-dark");
      await p.close();
    },
  },
  {
    name: "standalone page (the CLI's HTML): draws its embedded graph with no host",
    async run(h) {
      const p = await h.open({ graph: seedGraph(), host: false, theme: "light" });
      await p.page.waitForFunction(() =>
        document.querySelector(".gl-summary")?.textContent?.startsWith("11 nodes"),
      );
      assert.equal(await p.page.locator(".gl-run").count(), 0, "no Run Backward without a host");
      await p.page.waitForTimeout(200);
      await p.screenshot("standalone-light");
      // No host to save files: exports are downloads.
      const [download] = await Promise.all([
        p.page.waitForEvent("download"),
        p.page.click(".gl-export-json"),
      ]);
      assert.equal(download.suggestedFilename(), "model.graph.json");
      assert.deepEqual(p.console, []);
      await p.close();
    },
  },
  {
    name: "a run that recorded no ops: nothing drawn, and the page says so",
    async run(h) {
      const p = await ready(h);
      const empty = { ...tinyGraph(), nodes: [], edges: [], root: undefined };
      const r = await p.render({ type: "graph", graph: empty });
      assert.deepEqual([r.nodes, r.edges], [0, 0]);
      assert.equal(
        await p.page.locator(".gl-empty").textContent(),
        "The run recorded no operations.",
      );
      await p.render({ type: "graph", graph: tinyGraph() });
      assert.equal(await p.page.locator(".gl-empty").isVisible(), false);
      await p.close();
    },
  },
  {
    name: "gradients arriving later update the labels, not the layout",
    async run(h) {
      const p = await ready(h);
      const r0 = await p.render({ type: "graph", graph: seedGraph(false) });
      assert.equal(r0.gradients, 0);
      const before = await p.inspect("x");
      assert.equal(before!.label, "x\n[2, 2]");
      const grads = seedGradients();
      grads.t = null; // say backward reached everything but this tensor
      const r1 = await p.render({ type: "gradients", grads });
      assert.equal(r1.gradients, 8);
      const after = await p.inspect("x");
      assert.equal(after!.label, "x\n[2, 2]\n∇ ‖3.674‖");
      assert.deepEqual(after!.position, before!.position);
      const t = await p.inspect("t");
      assert.match(t!.label, /no gradient$/);
      assert.match(t!.classes, /nograd/);
      assert.doesNotMatch((await p.inspect("c2"))!.classes, /nograd/, "constants need no gradient");
      await p.close();
    },
  },
  {
    name: "clicking a node selects it and opens its details: stats, heatmaps, slices",
    async run(h) {
      const p = await ready(h);
      await p.render({ type: "graph", graph: convGraph() });
      const since = await p.mark();
      await p.clickNode("w");
      assert.equal((await p.next("selected", since)).nodeId, "w");
      assert.equal((await p.inspect("w"))!.selected, true);
      const panel = p.page.locator(".gl-details");
      assert.equal(await panel.locator("h2").textContent(), "conv.weight");
      assert.equal(
        await panel.locator("select.gl-slice").count(),
        2,
        "dims 0 and 1 pick the 3×3 slice",
      );
      const pixels = () =>
        p.page.evaluate(() =>
          [".gl-heatmap-value", ".gl-heatmap-gradient"].map((sel) => {
            const c = document.querySelector<HTMLCanvasElement>(sel)!;
            return {
              w: c.width,
              h: c.height,
              data: Array.from(c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data),
            };
          }),
        );
      const [value, grad] = await pixels();
      assert.deepEqual([value.w, value.h, grad.w, grad.h], [3, 3, 3, 3]);
      assert.ok(new Set(grad.data).size > 4, "the gradient heatmap is not one flat colour");
      await p.page.selectOption("select.gl-slice >> nth=0", "2");
      const [value2] = await pixels();
      assert.notDeepEqual(value2.data, value.data, "another slice, other colours");
      assert.match((await panel.textContent()) ?? "", /gradient.*norm/s);
      await p.page.hover(".gl-heatmap-value", { position: { x: 5, y: 5 } });
      assert.match(
        (await p.page.locator(".gl-readout").textContent()) ?? "",
        /^value\[2, 0, 0, 0\] = /,
      );
      await p.screenshot("details-conv");
      const closed = await p.mark();
      await p.page.keyboard.press("Escape");
      assert.equal((await p.next("selected", closed)).nodeId, null);
      assert.equal(await panel.isVisible(), false);
      await p.close();
    },
  },
  {
    name: "values left out of the graph are asked for when the node is shown, and the reply names the request",
    async run(h) {
      const p = await ready(h);
      const full = convGraph();
      const lean = structuredClone(full);
      const w = lean.nodes.find((n) => n.id === "w")!;
      delete w.value!.values;
      delete w.grad!.values;
      await p.render({ type: "graph", graph: lean, seq: 7 });
      const since = await p.mark();
      await p.clickNode("w");
      const ask = await p.next("needValues", since);
      assert.equal(typeof ask.id, "number");
      assert.deepEqual(ask, { type: "needValues", id: ask.id, seq: 7, nodeId: "w" });
      const panel = p.page.locator(".gl-details");
      assert.equal(await panel.locator(".gl-loading").textContent(), "Loading values…");
      assert.equal(await panel.locator(".gl-heatmap").count(), 0);
      const whole = full.nodes.find((n) => n.id === "w")!;
      // A reply to another request is ignored; the reply to this one draws the heatmaps.
      const wrong = whole.value!.values!.map((v) => -v);
      await p.post({ type: "values", replyTo: ask.id + 1, value: wrong, grad: wrong });
      await p.post({
        type: "values",
        replyTo: ask.id,
        value: whole.value!.values,
        grad: whole.grad!.values,
      });
      await panel.locator(".gl-heatmap-gradient").waitFor();
      assert.equal(await panel.locator(".gl-loading").count(), 0);
      await p.page.hover(".gl-heatmap-value", { position: { x: 1, y: 1 } });
      const first = whole.value!.values![0];
      const readout = (await p.page.locator(".gl-readout").textContent()) ?? "";
      assert.match(readout, /^value\[0, 0, 0, 0\] = /);
      const shown = Number(readout.split("= ")[1]);
      assert.ok(Math.abs(shown - first) <= 1e-3 * Math.abs(first), `${shown} is not ${first}`);
      // Shown again later: no second question.
      await p.page.keyboard.press("Escape");
      const again = await p.mark();
      await p.clickNode("w");
      await p.next("selected", again);
      const posted = await p.page.evaluate(
        (n) => (window as unknown as { __posted: { type: string }[] }).__posted.slice(n),
        again,
      );
      assert.equal(posted.filter((m) => m.type === "needValues").length, 0);
      await p.close();
    },
  },
  {
    name: "go to source: the details button and a double click post reveal",
    async run(h) {
      const p = await ready(h);
      await p.render({ type: "graph", graph: seedGraph() });
      await p.clickNode("sub");
      let since = await p.mark();
      await p.page.click(".gl-reveal");
      assert.equal((await p.next("reveal", since)).nodeId, "sub");
      await p.page.keyboard.press("Escape"); // the details close: the whole graph is in view
      await p.page.waitForTimeout(100);
      since = await p.mark();
      const info = await p.inspect("mean");
      const box = (await p.page.locator(".__________cytoscape_container").boundingBox())!;
      const at = info!.renderedPosition as { x: number; y: number };
      await p.page.mouse.dblclick(box.x + at.x, box.y + at.y);
      assert.equal((await p.next("reveal", since)).nodeId, "mean");
      await p.close();
    },
  },
  {
    name: "module: clicking its header collapses it, clicking the box expands it",
    async run(h) {
      const p = await ready(h);
      assert.equal((await p.render({ type: "graph", graph: convGraph() })).nodes, 7);
      const box = (await p.inspect("conv"))!.renderedBox as { x1: number; x2: number; y1: number };
      const container = (await p.page.locator(".__________cytoscape_container").boundingBox())!;
      let since = await p.mark();
      await p.page.mouse.click(container.x + (box.x1 + box.x2) / 2, container.y + box.y1 - 8); // its label
      const shut = await p.next("rendered", since);
      assert.equal(shut.nodes, 4);
      assert.match((await p.inspect("conv"))!.label, /^▸ conv \(Conv2d\)\n3 nodes inside/);
      since = await p.mark();
      await p.clickNode("conv");
      assert.equal((await p.next("rendered", since)).nodes, 7);
      assert.equal((await press(p, ".gl-collapse-all")).nodes, 4);
      assert.equal((await press(p, ".gl-expand-all")).nodes, 7);
      await p.close();
    },
  },
  {
    name: "repeated blocks fold into one node (×40) and unfold on click",
    async run(h) {
      const p = await ready(h);
      const r = await p.render({ type: "graph", graph: bigGraph(40) });
      assert.equal(r.nodes, 2, "over 300 nodes: folded and collapsed at first");
      assert.ok(r.labels.includes("layers.0 (Block) ×40"));
      const since = await p.mark();
      await p.clickNode("fold::Block");
      assert.equal((await p.next("rendered", since)).nodes, 41);
      assert.equal((await press(p, ".gl-expand-all")).nodes, 401);
      await p.close();
    },
  },
  {
    name: "theme switch (dark → light → high contrast) re-colours page and graph",
    async run(h) {
      const p = await ready(h);
      await p.render({ type: "graph", graph: seedGraph() });
      const look = async () => ({
        body: await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor),
        op: await p.inspect("sub"),
      });
      const dark = await look();
      assert.equal(dark.body, "rgb(31, 31, 31)");
      assert.equal(dark.op!["border-color"], "rgb(55,148,255)");
      await p.setTheme("light");
      const light = await look();
      assert.equal(light.body, "rgb(255, 255, 255)");
      assert.equal(light.op!["border-color"], "rgb(26,133,255)");
      assert.notEqual(light.op!["background-color"], dark.op!["background-color"]);
      await p.screenshot("seed-light");
      await p.setTheme("high-contrast");
      const hc = await look();
      assert.equal(hc.body, "rgb(0, 0, 0)");
      assert.ok(
        parseFloat(hc.op!["border-width"]) > parseFloat(light.op!["border-width"]),
        "thicker borders",
      );
      await p.screenshot("seed-high-contrast");
      await p.close();
    },
  },
  {
    name: "a new graph with the same nodes keeps positions, zoom and selection",
    async run(h) {
      const p = await ready(h);
      await p.render({ type: "graph", graph: seedGraph() });
      await p.clickNode("y");
      const box = (await p.page.locator(".__________cytoscape_container").boundingBox())!;
      await p.page.mouse.move(box.x + 200, box.y + 200);
      await p.page.mouse.wheel(0, -200);
      await p.page.waitForTimeout(300);
      const view = await p.viewState();
      const pos = (await p.inspect("y"))!.position;
      const next = seedGraph();
      next.runMs = 99;
      next.nodes.find((n) => n.id === "y")!.label = "y2";
      await p.render({ type: "graph", graph: next });
      const after = await p.viewState();
      assert.equal(after.zoom, view.zoom);
      assert.deepEqual(after.pan, view.pan);
      assert.deepEqual((await p.inspect("y"))!.position, pos);
      assert.equal((await p.inspect("y"))!.selected, true);
      assert.equal(await p.page.locator(".gl-details h2").textContent(), "y2");
      // What VS Code keeps for a hidden/restored webview: the same view comes back.
      await p.page.waitForTimeout(300);
      const saved = await p.page.evaluate(
        () => (window as unknown as { __state: unknown }).__state,
      );
      const q = await ready(h, { state: saved });
      await q.render({ type: "graph", graph: next });
      const restored = await q.viewState();
      assert.equal(restored.zoom, view.zoom);
      assert.equal(restored.selected, "y");
      await q.close();
      await p.close();
    },
  },
  {
    name: "gradients arriving on a huge graph keep its module boxes and bowed edges",
    async run(h) {
      const p = await ready(h);
      const withGrads = bigGraph(200);
      const without = structuredClone(withGrads);
      without.hasGradients = false;
      for (const n of without.nodes) delete n.grad;
      await p.render({ type: "graph", graph: without });
      const since = await p.mark();
      await p.page.click(".gl-expand-all");
      assert.equal((await p.next("rendered", since, 60000)).nodes, 2001);
      const look = async () => {
        const box = (await p.inspect("b5"))!;
        const edge = (await p.inspect("b4.out->b5.add"))!;
        const r = box.renderedBox;
        const size = [Math.round(r.x2 - r.x1), Math.round(r.y2 - r.y1)];
        return { box: box.classes, size, edge: edge.classes };
      };
      const before = await look();
      assert.match(before.box, /\bbox\b/);
      assert.match(before.edge, /\blong\b/);
      const drawn = await p.render({ type: "graph", graph: withGrads });
      assert.ok(drawn.gradients > 0);
      const after = await look();
      assert.equal(after.box, before.box);
      assert.equal(after.edge, before.edge);
      // Its members grew a gradient line: the box is as wide and no shorter (not its label's size).
      assert.equal(after.size[0], before.size[0]);
      assert.ok(after.size[1] >= before.size[1], `box ${before.size} → ${after.size}`);
      await p.close();
    },
  },
  {
    name: "the failing op and parameters without gradient are marked",
    async run(h) {
      const p = await ready(h);
      await p.render({ type: "graph", graph: convGraph() });
      const mm = (await p.inspect("mm"))!;
      assert.match(mm.classes, /failed/);
      assert.match(mm.label, /^✖ MmBackward0/);
      assert.equal(mm["border-color"], "rgb(248,81,73)");
      const bias = (await p.inspect("bias"))!;
      assert.match(bias.classes, /nograd/);
      assert.match(bias.label, /no gradient/);
      await p.screenshot("conv-failed");
      await p.close();
    },
  },
  {
    name: "toolbar: Run Backward, export PNG/SVG/JSON, and exports the host asks for",
    async run(h) {
      const p = await ready(h);
      await p.render({ type: "graph", graph: convGraph() });
      let since = await p.mark();
      await p.page.click(".gl-run");
      await p.next("runBackward", since);
      const exported = async (click: string) => {
        const s = await p.mark();
        await p.page.click(click);
        return (await p.next("exported", s)).data;
      };
      assert.match(await exported(".gl-export-png"), /^iVBORw0KGgo/);
      const svg = await exported(".gl-export-svg");
      assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.ok(svg.includes("ConvolutionBackward0") && svg.includes("[1, 4, 4, 4]"));
      const json = graphFromJson(await exported(".gl-export-json"));
      assert.deepEqual(json, convGraph());
      assert.equal((await p.next("exported", 0)).replyTo, undefined, "the page's own buttons");
      since = await p.mark();
      await p.post({ type: "export", id: 41, format: "svg" });
      const m = await p.next("exported", since);
      assert.equal(m.format, "svg");
      assert.equal(m.replyTo, 41);
      await p.close();
    },
  },
  {
    name: "status line: running, untrusted, errors with their line",
    async run(h) {
      const p = await ready(h);
      const status = p.page.locator(".gl-status");
      await p.post({ type: "status", state: "running" });
      assert.equal(await status.textContent(), "Running the model…");
      assert.match((await status.getAttribute("class")) ?? "", /running/);
      await p.post({ type: "status", state: "untrusted" });
      assert.match((await status.textContent()) ?? "", /not trusted/);
      await p.post({
        type: "error",
        message: "mat1 and mat2 shapes cannot be multiplied (1x1000 and 600x60)",
        line: 12,
      });
      assert.equal(
        await status.textContent(),
        "Line 12: mat1 and mat2 shapes cannot be multiplied (1x1000 and 600x60)",
      );
      const colour = await status.evaluate((e) => getComputedStyle(e).color);
      assert.equal(colour, "rgb(248, 81, 73)");
      // The host then repeats the message as a status: the fuller text with its line stays.
      await p.post({
        type: "status",
        state: "error",
        message: "mat1 and mat2 shapes cannot be multiplied",
      });
      assert.match((await status.textContent()) ?? "", /^Line 12: /);
      await p.post({ type: "status", state: "idle" });
      assert.equal(await status.isVisible(), false);
      await p.close();
    },
  },
  {
    name: "a long run's graph that Gradlens cut says so above the graph; a whole one says nothing",
    async run(h) {
      const p = await ready(h);
      const notice = p.page.locator(".gl-notice");
      await p.render({ type: "graph", graph: { ...seedGraph(), droppedOps: 15000 } });
      assert.equal(await notice.isVisible(), true);
      assert.equal(
        await notice.textContent(),
        "This run made more operations than Gradlens keeps: the graph shows its latest ones; 15,000 earlier operations are not drawn.",
      );
      await p.render({ type: "graph", graph: seedGraph() });
      assert.equal(await notice.isVisible(), false);
      await p.close();
    },
  },
  {
    name: "a stale graph (the file failed mid-edit) is dimmed and says so; the next good one is not",
    async run(h) {
      const p = await ready(h);
      const notice = p.page.locator(".gl-notice");
      const box = p.page.locator(".gl-graph");
      const stale = await p.render({ type: "graph", graph: seedGraph(), stale: true });
      await p.post({ type: "error", message: "';' expected.", line: 4 });
      assert.equal(stale.stale, true);
      assert.equal(stale.nodes, 11, "the stale graph is drawn whole");
      assert.match((await box.getAttribute("class")) ?? "", /\bstale\b/);
      assert.match((await notice.textContent()) ?? "", /^Stale: the file has an error/);
      const opacity = await p.page.locator(".gl-canvas").evaluate((el) => getComputedStyle(el).opacity);
      assert.equal(opacity, "0.45");
      await p.screenshot("stale-graph");
      const fresh = await p.render({ type: "graph", graph: seedGraph() });
      assert.equal(fresh.stale, false);
      assert.doesNotMatch((await box.getAttribute("class")) ?? "", /\bstale\b/);
      assert.equal(await notice.isVisible(), false);
      await p.close();
    },
  },
  {
    name: "the details of a view say which tensor it views",
    async run(h) {
      const p = await ready(h);
      const graph = seedGraph();
      graph.nodes.find((n) => n.id === "y")!.viewOf = "x";
      await p.render({ type: "graph", graph });
      await p.post({ type: "select", nodeId: "y" });
      const chips = p.page.locator(".gl-details .gl-chip");
      await chips.first().waitFor();
      assert.ok((await chips.allTextContents()).includes("view of x"), (await chips.allTextContents()).join(", "));
      await p.post({ type: "select", nodeId: "x" });
      await p.page.waitForTimeout(100);
      assert.ok(!(await chips.allTextContents()).some((t) => t.startsWith("view of")));
      await p.close();
    },
  },
];
