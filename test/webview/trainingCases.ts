/**
 * Gradients over a training loop on the page: the training fixtures (a stalled sigmoid net, an
 * exploding regression) run in the sandbox as the panel runs them; each parameter row gets a
 * sparkline, and the chart under the table draws the selected parameter's recorded ‖grad‖ per
 * step in step order on a log scale (the loss before a selection).
 */
import assert from "node:assert/strict";
import { graphForPage } from "../../extension/runner/pageGraph";
import type { GraphDto, StepSeries } from "../../webview/protocol";
import { runHere } from "../unit/runner/fixtures";
import type { Harness, TestPage } from "./harness";
import { ready } from "./pageCases";
import type { PageTest } from "./run";
import { THEMES, type ThemeName } from "./themes";

async function trainingGraph(name: string): Promise<GraphDto> {
  const r = await runHere(name);
  if (!r.ok) throw new Error(`${name}.ts failed: ${r.error?.message}`);
  assert.ok(r.graph.trainingSteps, `${name}.ts records its steps`);
  return graphForPage(r.graph);
}

interface Dot {
  step: number;
  value: number;
  x: number;
  y: number;
}

/** The big chart's title and its dots, as drawn. */
async function chart(p: TestPage): Promise<{ title: string; dots: Dot[] }> {
  const title = await p.page.locator(".gl-step-detail h4").innerText();
  const dots = await p.page.$$eval(".gl-step-chart circle.gl-chart-dot", (cs) =>
    cs.map((c) => ({
      step: Number(c.getAttribute("data-step")),
      value: Number(c.getAttribute("data-value")),
      x: Number(c.getAttribute("cx")),
      y: Number(c.getAttribute("cy")),
    })),
  );
  return { title, dots };
}

/**
 * The dots are the recorded series (its drawable values), in step order from left to right, and
 * their heights are an affine function of log10 of the value, larger values higher.
 */
function assertFollows(dots: Dot[], series: StepSeries): void {
  const drawable = series.steps.flatMap((step, i) => {
    const v = series.values[i];
    return v !== null && v > 0 && Number.isFinite(v) ? [{ step, value: v }] : [];
  });
  assert.deepEqual(
    dots.map((d) => [d.step, d.value]),
    drawable.map((d) => [d.step, d.value]),
  );
  for (let i = 1; i < dots.length; i++) assert.ok(dots[i].x > dots[i - 1].x, `x rises at ${i}`);
  const lo = dots.reduce((a, b) => (b.value < a.value ? b : a));
  const hi = dots.reduce((a, b) => (b.value > a.value ? b : a));
  const scale = (lo.y - hi.y) / (Math.log10(hi.value) - Math.log10(lo.value));
  assert.ok(scale > 0, "larger values are drawn higher");
  for (const d of dots) {
    const expected = lo.y - (Math.log10(d.value) - Math.log10(lo.value)) * scale;
    assert.ok(Math.abs(d.y - expected) < 0.05, `step ${d.step}: y ${d.y} vs ${expected}`);
  }
}

async function openTable(h: Harness, g: GraphDto, theme: ThemeName = "dark"): Promise<TestPage> {
  const p = await ready(h, { size: { width: 1400, height: 900 }, theme });
  await p.render({ type: "graph", graph: g });
  await p.page.click(".gl-params-button");
  return p;
}

async function choose(p: TestPage, g: GraphDto, label: string): Promise<void> {
  const node = g.nodes.find((n) => n.kind === "param" && n.label === label)!;
  await p.page.click(`.gl-ptable tr[data-id="${node.id}"]`);
}

export const trainingTests: PageTest[] = [
  {
    name: "training steps: a stalled net's chart follows the recorded norms in step order; its loss reads flat",
    async run(h) {
      const g = await trainingGraph("trainStalled");
      const t = g.trainingSteps!;
      const p = await openTable(h, g);
      assert.equal(await p.page.locator(".gl-ptable svg.gl-spark").count(), 18);
      assert.ok(
        (await p.page.locator(".gl-ptable th").allInnerTexts()).includes("‖grad‖ per step"),
      );
      // before a selection the chart is the loss's: flat from step 3 on (the stall)
      let shown = await chart(p);
      assert.equal(shown.title, "loss per step");
      assertFollows(shown.dots, t.loss!);
      const flat = shown.dots.slice(2).map((d) => d.y);
      assert.ok(Math.max(...flat) - Math.min(...flat) < 1, `flat: ${flat.join(" ")}`);
      for (const name of ["net.0.weight", "net.16.weight"]) {
        await choose(p, g, name);
        shown = await chart(p);
        assert.equal(shown.title, `${name} ‖grad‖ per step`);
        assertFollows(shown.dots, t.gradNorms[name]);
      }
      assert.match(
        (await p.page.locator(".gl-step-chart").getAttribute("aria-label")) ?? "",
        /30 steps/,
      );
      await p.screenshot("training-chart-stalled");
      await p.close();
    },
  },
  {
    name: "training steps: an exploding regression's chart climbs at every step, its sparkline too",
    async run(h) {
      const g = await trainingGraph("trainExploding");
      const t = g.trainingSteps!;
      for (const theme of ["dark", "light"] as const) {
        const p = await openTable(h, g, theme);
        await choose(p, g, "model.weight");
        const shown = await chart(p);
        assertFollows(shown.dots, t.gradNorms["model.weight"]);
        assert.equal(shown.dots.length, 15);
        for (let i = 1; i < shown.dots.length; i++)
          assert.ok(shown.dots[i].y < shown.dots[i - 1].y, `climbs at step ${i + 1}`);
        const spark = await p.page
          .locator(".gl-ptable tr.selected svg.gl-spark path")
          .getAttribute("d");
        const ys = (spark ?? "").split(" ").map((pt) => Number(pt.slice(1).split(",")[1]));
        assert.equal(ys.length, 15);
        for (let i = 1; i < ys.length; i++)
          assert.ok(ys[i] < ys[i - 1], `sparkline climbs at ${i}`);
        // the line is drawn in the theme's parameter colour, not a fixed one
        const stroke = await p.page
          .locator(".gl-step-chart .gl-chart-line")
          .evaluate((el) => getComputedStyle(el).stroke);
        assert.equal(stroke, rgb(THEMES[theme]["--vscode-charts-orange"]));
        // every node is drawn (the open Linear's frame is no node of its own): no "(of …)"
        const summary = (await p.page.locator(".gl-summary").textContent()) ?? "";
        assert.doesNotMatch(summary, /\(of /, summary);
        await p.screenshot(`training-chart-${theme}`);
        await p.close();
      }
    },
  },
  {
    name: "training steps: a thinned loop's chart says which steps it shows",
    async run(h) {
      const g = await trainingGraph("trainExploding");
      const t = g.trainingSteps!;
      const keep = (s: StepSeries): StepSeries => ({
        steps: s.steps.filter((_, i) => i % 4 === 0),
        values: s.values.filter((_, i) => i % 4 === 0),
      });
      g.trainingSteps = {
        ...t,
        stride: 4,
        gradNorms: Object.fromEntries(Object.entries(t.gradNorms).map(([k, s]) => [k, keep(s)])),
        loss: keep(t.loss!),
      };
      const p = await openTable(h, g);
      await choose(p, g, "model.bias");
      const shown = await chart(p);
      assert.deepEqual(
        shown.dots.map((d) => d.step),
        [1, 5, 9, 13],
      );
      assert.match(
        (await p.page.locator(".gl-step-chart").textContent()) ?? "",
        /every 4th of 15 steps shown/,
      );
      await p.close();
    },
  },
];

/** `#rrggbb` as getComputedStyle writes it. */
function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}
