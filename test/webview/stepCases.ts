/**
 * "Step through backward" in Chromium, on model files run in the sandbox as the panel runs them:
 * the nodes light up in the order the engine ran them (compared with the order the engine's
 * trace hook reports for the same code run here), the details read like the lecture's
 * walk-through, and the keyboard drives it.
 */
import assert from "node:assert/strict";
import * as path from "path";
import * as torch from "../../engine";
import { graphForPage } from "../../extension/runner/pageGraph";
import type { GraphDto } from "../../webview/protocol";
import { MODELS, runInSandbox } from "../unit/runner/fixtures";
import { MyAdd } from "../unit/engine/myAdd";
import * as fs from "fs";
import type { TestPage } from "./harness";
import { ready } from "./pageCases";
import type { PageTest } from "./run";

/** A model file of test/fixtures/models run in the sandbox with backward, as the page gets it. */
async function modelGraph(name: string): Promise<GraphDto> {
  const file = path.join(MODELS, `${name}.ts`);
  const r = await runInSandbox({ file, source: fs.readFileSync(file, "utf8"), backward: {} });
  if (!r.ok) throw new Error(`${name}.ts failed: ${r.error?.message}`);
  return graphForPage(r.graph);
}

/** The grad_fn names the engine's trace hook hears, in order, for `body`'s backward. */
function engineOrder(body: () => void): string[] {
  const names: string[] = [];
  const previous = torch.trace.setTraceListener({
    onBackwardNode: (e) => void names.push(e.node.name),
  });
  try {
    body();
  } finally {
    torch.trace.setTraceListener(previous);
  }
  return names;
}

/** seed.ts's code, run here. */
function seedHere(): void {
  const x = torch.tensor(
    [
      [1, 2],
      [3, 4],
    ],
    { requiresGrad: true },
  );
  const y = x.sub(2);
  y.mul(y).mul(3).mean().backward();
}

/** customFunction.ts's code, run here. */
function customHere(): void {
  const a = torch.tensor([1, 2, 3], { requiresGrad: true });
  const b = torch.tensor([4, 5, 6], { requiresGrad: true });
  MyAdd.apply(a, b).backward(torch.tensor([0.5, 1, 2]));
}

/** The label of the node the page lights as the current step, and the details' heading. */
async function current(p: TestPage, g: GraphDto): Promise<{ lit: string; heading: string }> {
  const ids = g.nodes.map((n) => n.id);
  const now = await p.page.evaluate((all) => {
    const debug = (
      window as unknown as { gradlensDebug: { inspect(id: string): { classes: string } | null } }
    ).gradlensDebug;
    return all.filter((id) => /\bstepnow\b/.test(debug.inspect(id)?.classes ?? ""));
  }, ids);
  assert.equal(now.length, 1, `one current node: ${now.join(", ")}`);
  const heading = await p.page.locator(".gl-step h2").innerText();
  return { lit: g.nodes.find((n) => n.id === now[0])!.label, heading };
}

async function stepAll(p: TestPage, g: GraphDto): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < g.backwardOrder!.length; i++) {
    await p.page.keyboard.press("ArrowRight");
    const { lit, heading } = await current(p, g);
    // An AccumulateGrad is drawn as its leaf (torchviz's one box): the leaf lights up.
    const opLabel = g.nodes.find((n) => n.id === g.backwardOrder![i])!.label;
    assert.equal(heading, opLabel, `step ${i + 1}: the details show the op that ran`);
    if (opLabel !== "AccumulateGrad") assert.equal(lit, opLabel, `step ${i + 1}: the op lights up`);
    seen.push(heading);
  }
  return seen;
}

export const stepTests: PageTest[] = [
  {
    name: "step through backward: seed example, in the engine's order, reading like the lecture",
    async run(h) {
      const g = await modelGraph("seed");
      const p = await ready(h, { size: { width: 1280, height: 800 } });
      await p.render({ type: "graph", graph: g });
      await p.page.click(".gl-steps");
      assert.match(await p.page.locator(".gl-step-counter").innerText(), /Start/);
      const seen = await stepAll(p, g);
      assert.deepEqual(seen, engineOrder(seedHere));
      assert.deepEqual(seen, [
        "MeanBackward0",
        "MulBackward0",
        "MulBackward0",
        "SubBackward0",
        "AccumulateGrad",
      ]);
      assert.ok(await p.page.locator(".gl-step-forward").isDisabled(), "the last step");
      // Back two steps: the y·y product, whose formula names y, and the gradient that arrives.
      await p.page.keyboard.press("ArrowLeft");
      await p.page.keyboard.press("ArrowLeft");
      const details = await p.page.locator(".gl-step").innerText();
      assert.match(details, /step 3 of 5/);
      assert.match(details, /∂L\/∂y = ∂L\/∂\(MulBackward0 output\) · y/);
      assert.match(details, /Gradient arriving/);
      assert.match(details, /\[\[0\.75, 0\.75\], \[0\.75, 0\.75\]\]/, "∂L/∂(y·y) = 3/4 everywhere");
      assert.match(
        details,
        /→ y[\s\S]*\[\[-0\.75, 0\], \[0\.75, 1\.5\]\]/,
        "each factor gets 0.75·y",
      );
      await p.screenshot("step-seed");
      // The step before: the product with 3, told with the 3.
      await p.page.keyboard.press("ArrowLeft");
      assert.match(await p.page.locator(".gl-step").innerText(), /= ∂L\/∂z · 3/);
      await p.page.keyboard.press("ArrowRight");
      await p.page.keyboard.press("ArrowRight");
      assert.match(await p.page.locator(".gl-step").innerText(), /∂L\/∂x = ∂L\/∂y/);
      await p.close();
    },
  },
  {
    name: "step through backward: a custom Function's backward, in the engine's order; space plays",
    async run(h) {
      const g = await modelGraph("customFunction");
      const p = await ready(h);
      await p.render({ type: "graph", graph: g });
      await p.page.click(".gl-steps");
      const seen = await stepAll(p, g);
      assert.deepEqual(seen, engineOrder(customHere));
      assert.equal(seen[0], "MyAddBackward");
      await p.page.keyboard.press("Home"); // not a step key: nothing changes
      await p.page.click(".gl-step-start");
      await p.page.keyboard.press("ArrowRight");
      const details = await p.page.locator(".gl-step").innerText();
      assert.match(details, /MyAdd\.backward ran with ∂L\/∂y/);
      assert.match(
        details,
        /∂L\/∂a = what MyAdd\.backward returned for a[\s\S]*∂L\/∂b = what MyAdd\.backward returned for b/,
      );
      // the output y had its gradient before MyAddBackward ran: it is lit, not faded
      assert.doesNotMatch(
        (await p.inspect(g.nodes.find((n) => n.label === "y")!.id))!.classes,
        /unreached/,
      );
      assert.match(details, /→ a[\s\S]*\[0\.5, 1, 2\][\s\S]*→ b[\s\S]*\[0\.5, 1, 2\]/);
      await p.screenshot("step-custom-function");
      // space plays to the end
      await p.page.keyboard.press(" ");
      await p.page.waitForFunction(
        (n) => document.querySelector(".gl-step-counter")?.textContent === `Step ${n} of ${n}`,
        g.backwardOrder!.length,
        { timeout: 10000 },
      );
      await p.close();
    },
  },
  {
    name: "step through backward: gradients passed back with many values are fetched from the host when their step is shown",
    async run(h) {
      const file = path.join(MODELS, "lenet.ts");
      const r = await runInSandbox({ file, source: fs.readFileSync(file, "utf8"), backward: {} });
      assert.equal(r.ok, true, r.error?.message);
      const g = graphForPage(r.graph);
      const order = g.backwardOrder!;
      const leanInto = (id: string) =>
        g.edges.filter((e) => e.target === id && e.grad && !e.grad.values).map((e) => e.id);
      const at = order.findIndex((id) => leanInto(id).length > 0);
      assert.ok(at >= 0, "some step passes back a gradient left out of the graph");
      const p = await ready(h, { size: { width: 1280, height: 800 } });
      await p.render({ type: "graph", graph: g, seq: 3 });
      await p.page.click(".gl-steps");
      const since = await p.mark();
      for (let i = 0; i <= at; i++) await p.page.keyboard.press("ArrowRight");
      const ask = await p.next("needEdgeGrads", since);
      assert.deepEqual(ask, {
        type: "needEdgeGrads",
        id: ask.id,
        seq: 3,
        edgeIds: leanInto(order[at]),
      });
      const step = p.page.locator(".gl-step");
      assert.ok((await step.locator(".gl-loading").count()) > 0, "says the values are coming");
      const heatmaps = step.locator(".gl-leaving canvas.gl-heatmap");
      const before = await heatmaps.count();
      const grads = Object.fromEntries(
        r.graph.edges.filter((e) => ask.edgeIds.includes(e.id)).map((e) => [e.id, e.grad!.values!]),
      );
      await p.post({ type: "edgeGrads", replyTo: ask.id + 1, grads }); // not an answer to it
      assert.ok((await step.locator(".gl-loading").count()) > 0);
      await p.post({ type: "edgeGrads", replyTo: ask.id, grads });
      await step.locator(".gl-loading").waitFor({ state: "detached" });
      assert.equal(await step.locator(".gl-loading").count(), 0);
      assert.equal(await heatmaps.count(), before + ask.edgeIds.length, "one heatmap per fetched");
      // back and forth again: asked once
      const again = await p.mark();
      await p.page.keyboard.press("ArrowLeft");
      await p.page.keyboard.press("ArrowRight");
      const posted = await p.page.evaluate(
        (n) => (window as unknown as { __posted: { type: string }[] }).__posted.slice(n),
        again,
      );
      assert.equal(posted.filter((m) => m.type === "needEdgeGrads").length, 0);
      await p.close();
    },
  },
];
