/**
 * What a new user sees first (issue 18): examples/lenet.ts in the panel at its default size.
 * Readable labels without a click, the layer level, the loss's graph, unfolding, search, hover,
 * zoom, and the details docked where they hide nothing.
 */
import assert from "node:assert/strict";
import type { GraphDto } from "../../webview/protocol";
import { NODE_FONT_PX } from "../../webview/boxMetrics";
import type { Harness, TestPage } from "./harness";
import { ready } from "./pageCases";
import type { PageTest } from "./run";
import { lenetGraph, PANEL_SIZE } from "./lenet";

/** The id of the graph node labelled `label` (the `nth` when several are). */
function idOf(g: GraphDto, label: string, nth = 0): string {
  const found = g.nodes.filter((n) => n.label === label);
  assert.ok(found.length > nth, `no node labelled ${label}`);
  return found[nth].id;
}

/** The last pass's call of a layer (the first pass made the first one). */
const last = (g: GraphDto, label: string) =>
  idOf(g, label, g.nodes.filter((n) => n.label === label).length - 1);

async function clickAndRender(p: TestPage, click: () => Promise<void>) {
  const since = await p.mark();
  await click();
  return p.next("rendered", since, 60000);
}

/** A page at the panel's default size showing lenet's graph. */
async function openLenet(h: Harness): Promise<{ g: GraphDto; p: TestPage }> {
  const g = await lenetGraph();
  const p = await ready(h, { size: PANEL_SIZE });
  await p.render({ type: "graph", graph: g });
  return { g, p };
}

async function zoom(p: TestPage): Promise<number> {
  return (await p.viewState()).zoom!;
}

/** Whether a drawn node's rendered box lies inside the graph canvas. */
async function onCanvas(p: TestPage, id: string): Promise<boolean> {
  const b = (await p.inspect(id))!.renderedBox;
  const c = (await p.page.locator(".gl-canvas").boundingBox())!;
  return b.x1 >= 0 && b.y1 >= 0 && b.x2 <= c.width && b.y2 <= c.height;
}

export const readableTests: PageTest[] = [
  {
    name: "lenet at the panel's default size: layer level, labels ≥ 11 px and edge shapes ≥ 10 px at once",
    async run(h) {
      const g = await lenetGraph();
      for (const theme of ["dark", "light"] as const) {
        const p = await ready(h, { size: PANEL_SIZE, theme });
        const r = await p.render({ type: "graph", graph: g });
        // images → 12 layers in net (Sequential) → CrossEntropyLoss → loss: one node per layer.
        assert.equal(r.nodes, 16, r.labels.join(", "));
        for (const l of ["images", "net (Sequential)", "net.0 (Conv2d)", "net.11 (Linear)", "loss"])
          assert.ok(r.labels.includes(l), l);
        assert.ok(!r.labels.includes("ConvolutionBackward0"), "ops are inside their layers");
        const conv = (await p.inspect(last(g, "net.0 (Conv2d)")))!;
        assert.equal(conv.label, "▸ Conv2d 1→6 k5 p2\nnet.0 → [4, 6, 28, 28]");
        assert.match((await p.inspect(last(g, "net.7 (Linear)")))!.label, /^▸ Linear 400→120\n/);
        assert.match((await p.inspect(last(g, "net.2 (AvgPool2d)")))!.label, /^▸ AvgPool2d 2\n/);
        // On-screen sizes: the font in model units times the zoom, with no click.
        const z = await zoom(p);
        assert.ok(
          parseFloat(conv["font-size"]) * z >= 11,
          `node labels ${conv["font-size"]} × ${z}`,
        );
        // The edge into the first layer (re-pointed at it: `merged:` its ends).
        const edge = (await p.inspect(
          `merged:${idOf(g, "images")}->${last(g, "net.0 (Conv2d)")}`,
        ))!;
        assert.ok(
          parseFloat(edge["font-size"]) * z >= 10,
          `edge labels ${edge["font-size"]} × ${z}`,
        );
        assert.ok(await onCanvas(p, idOf(g, "images")), "the input is in the first view");
        assert.ok(await onCanvas(p, last(g, "net.0 (Conv2d)")), "so is the first layer");
        await p.page.waitForTimeout(200);
        await p.screenshot(`lenet-${theme}`);
        // Fit does not shrink a graph that would be unreadable whole: it stays readable.
        await p.page.click(".gl-fit");
        assert.ok((await zoom(p)) * NODE_FONT_PX >= 11);
        assert.deepEqual(p.console, []);
        await p.close();
      }
    },
  },
  {
    name: "lenet: the loss's graph by default, the first forward pass one click away",
    async run(h) {
      const { p } = await openLenet(h);
      const button = p.page.locator(".gl-all-graphs");
      assert.equal(await button.textContent(), "All graphs (+18)");
      assert.match(
        (await p.page.locator(".gl-summary").textContent()) ?? "",
        /^15 nodes \(of 29\)/, // 16 drawn: one is the open Sequential's frame
      );
      const all = await clickAndRender(p, () => button.click());
      assert.ok(all.labels.includes("first"), "the first pass's output is drawn");
      assert.equal(all.labels.filter((l) => l === "net (Sequential)").length, 2);
      assert.equal(await button.textContent(), "Loss's graph only");
      const back = await clickAndRender(p, () => button.click());
      assert.equal(back.nodes, 16);
      assert.ok(!back.labels.includes("first"));
      await p.close();
    },
  },
  {
    name: "lenet: a click opens a layer in place, parameters merged with AccumulateGrad (or apart)",
    async run(h) {
      const { g, p } = await openLenet(h);
      const conv = last(g, "net.0 (Conv2d)");
      const opened = await clickAndRender(p, () => p.clickNode(conv));
      // The layer's box now holds its op and its two parameters (each one node with its
      // AccumulateGrad), and the node count says so: 16 drawn + 3.
      assert.equal(opened.nodes, 19);
      for (const l of ["ConvolutionBackward0", "net.0.weight", "net.0.bias"])
        assert.ok(opened.labels.includes(l), l);
      assert.ok(!opened.labels.includes("AccumulateGrad"));
      assert.match(
        (await p.inspect(idOf(g, "net.0.weight")))!.label,
        /^net\.0\.weight\n\[6, 1, 5, 5\]\n∇/,
      );
      // The summary counts nodes, not the frames around them: the Sequential's and net.0's.
      assert.match(
        (await p.page.locator(".gl-summary").textContent()) ?? "",
        /^17 nodes \(of 29\)/,
      );
      await p.page.waitForTimeout(200);
      await p.screenshot("lenet-layer-open");
      const apart = await clickAndRender(p, () => p.page.click(".gl-accumulate"));
      assert.equal(apart.labels.filter((l) => l === "AccumulateGrad").length, 2);
      assert.equal(apart.nodes, 21);
      await p.close();
    },
  },
  {
    name: "lenet: folded repeats (×2) unfold to their real contents, with counts that agree",
    async run(h) {
      const { g, p } = await openLenet(h);
      await clickAndRender(p, () => p.page.click(".gl-all-graphs"));
      const folded = await clickAndRender(p, () => p.page.click(".gl-collapse-all"));
      assert.ok(folded.labels.includes("net (Sequential) ×2"), folded.labels.join(", "));
      const fold = (
        await p.page.evaluate(() =>
          (window as unknown as { gradlensDebug: { foldIds(): string[] } }).gradlensDebug.foldIds(),
        )
      ).find((id) => id.includes("Sequential"))!;
      assert.match((await p.inspect(fold))!.label, /^net \(Sequential\) ×2\n/);
      const open = await clickAndRender(p, () => p.clickNode(fold));
      // Both passes' nets, each showing its 12 layers: no empty boxes.
      assert.equal(open.labels.filter((l) => l === "net (Sequential)").length, 2);
      assert.equal(open.labels.filter((l) => l === "net.0 (Conv2d)").length, 2);
      await p.page.waitForTimeout(200);
      await p.screenshot("lenet-unfolded");
      const inside = async (label: string, nth: number) =>
        (await p.inspect(idOf(g, label, nth)))!.label.split("\n")[1];
      // The same layer in either pass reads alike (its parameters sit in the pass of the loss).
      assert.equal(await inside("net.1 (Sigmoid)", 0), await inside("net.1 (Sigmoid)", 1));
      await p.close();
    },
  },
  {
    name: "search: by layer, op or variable, centred and highlighted; Enter goes to the next",
    async run(h) {
      const { g, p } = await openLenet(h);
      await p.page.keyboard.press("/");
      await p.page.keyboard.type("Linear");
      const found = p.page.locator(".gl-found");
      assert.equal(await found.textContent(), "3 matches");
      const fcs = ["net.7 (Linear)", "net.9 (Linear)", "net.11 (Linear)"].map((l) => last(g, l));
      for (const id of fcs) assert.match((await p.inspect(id))!.classes, /\bmatch\b/);
      await p.page.waitForTimeout(350); // the centring animation
      const centre = async (id: string) => {
        const c = (await p.page.locator(".gl-canvas").boundingBox())!;
        const at = (await p.inspect(id))!.renderedPosition;
        return Math.hypot(at.x - c.width / 2, at.y - c.height / 2);
      };
      assert.ok((await centre(fcs[0])) < 5, "the first match is centred");
      await p.page.keyboard.press("Enter");
      await p.page.waitForTimeout(350);
      assert.ok((await centre(fcs[1])) < 5, "Enter centres the next");
      // An op hidden inside closed layers is found through them; so is a variable.
      await p.page.fill(".gl-search", "addmm");
      assert.equal(await found.textContent(), "3 matches");
      await p.page.fill(".gl-search", "images");
      assert.equal(await found.textContent(), "1 match");
      assert.match((await p.inspect(idOf(g, "images")))!.classes, /\bmatch\b/);
      await p.page.keyboard.press("Escape");
      assert.equal(await p.page.inputValue(".gl-search"), "");
      assert.doesNotMatch((await p.inspect(idOf(g, "images")))!.classes, /\bmatch\b/);
      await p.close();
    },
  },
  {
    name: "hover lights a node's inputs and outputs; details dock below and hide nothing; Escape",
    async run(h) {
      const { g, p } = await openLenet(h);
      const images = idOf(g, "images");
      const info = (await p.inspect(images))!;
      const c = (await p.page.locator(".gl-canvas").boundingBox())!;
      await p.page.mouse.move(c.x + info.renderedPosition.x, c.y + info.renderedPosition.y);
      await p.page.waitForTimeout(50);
      assert.match((await p.inspect(images))!.classes, /\bhovered\b/);
      const conv = last(g, "net.0 (Conv2d)");
      assert.match((await p.inspect(conv))!.classes, /\blinked\b/, "its consumer lights up");
      assert.doesNotMatch((await p.inspect(last(g, "net.1 (Sigmoid)")))!.classes, /\blinked\b/);
      await p.page.mouse.move(c.x + 5, c.y + 5);
      await p.page.waitForTimeout(50);
      assert.doesNotMatch((await p.inspect(conv))!.classes, /\blinked\b/);
      // Select the loss, far down the chain: the details take the lower part of the panel.
      await p.post({ type: "select", nodeId: idOf(g, "loss") });
      const panel = p.page.locator(".gl-details");
      await panel.waitFor();
      await p.page.waitForTimeout(400);
      const [canvas, details] = [
        (await p.page.locator(".gl-canvas").boundingBox())!,
        (await panel.boundingBox())!,
      ];
      assert.ok(details.y >= canvas.y + canvas.height - 1, "docked below the graph");
      assert.ok(details.width > PANEL_SIZE.width * 0.9, "across the panel's width");
      assert.ok(await onCanvas(p, idOf(g, "loss")), "the selected node stays in view");
      await p.page.keyboard.press("Escape");
      assert.equal(await panel.isVisible(), false);
      await p.close();
    },
  },
  {
    name: "zoom: a wheel notch is a 15-20 % step; buttons and keys zoom in, out and to 100 %",
    async run(h) {
      const { p } = await openLenet(h);
      const c = (await p.page.locator(".gl-canvas").boundingBox())!;
      await p.page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
      const z0 = await zoom(p);
      await p.page.mouse.wheel(0, -100); // one notch, towards the user
      await p.page.waitForTimeout(100);
      const step = (await zoom(p)) / z0;
      assert.ok(step >= 1.15 && step <= 1.2, `one notch zooms ×${step}`);
      await p.page.click(".gl-zoom-reset");
      assert.equal(await zoom(p), 1);
      await p.page.click(".gl-zoom-in");
      const zin = await zoom(p);
      assert.ok(zin > 1.15 && zin < 1.2, String(zin));
      await p.page.click(".gl-zoom-out");
      assert.ok(Math.abs((await zoom(p)) - 1) < 1e-9);
      await p.page.locator(".gl-canvas").click({ position: { x: 3, y: 3 } });
      await p.page.keyboard.press("-");
      assert.ok((await zoom(p)) < 0.87);
      await p.page.keyboard.press("0");
      assert.equal(await zoom(p), 1);
      await p.page.keyboard.press("+");
      assert.ok((await zoom(p)) > 1.15);
      await p.close();
    },
  },
];
