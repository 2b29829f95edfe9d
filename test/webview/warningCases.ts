/**
 * Gradient warnings on the page, one small model for each kind (run in the sandbox with
 * backward, as the panel gets them): the warning reads in words above the graph, the layer or
 * parameter it names is marked, and "Show" selects it.
 */
import assert from "node:assert/strict";
import { graphForPage } from "../../extension/runner/pageGraph";
import type { GradientWarning, GraphDto } from "../../webview/protocol";
import { runHere, warningModel } from "../unit/runner/fixtures";
import { keepWarnings, withStaleWarnings } from "../../extension/session/staleWarnings";
import { ready } from "./pageCases";
import type { PageTest } from "./run";

async function modelGraph(name: string): Promise<GraphDto> {
  const r = await warningModel(name);
  if (!r.ok) throw new Error(`${name}.ts failed: ${r.error?.message}`);
  return graphForPage(r.graph);
}

/** One page test per warning kind, on its model; `message` is what the page must say. */
function warningTest(kind: GradientWarning["kind"], model: string, message: RegExp): PageTest {
  return {
    name: `gradient warnings: ${kind} (${model}.ts) is said in words and its node marked`,
    async run(h) {
      const g = await modelGraph(model);
      const w = g.warnings?.find((x) => x.kind === kind);
      assert.ok(w, `the graph has a ${kind} warning: ${JSON.stringify(g.warnings)}`);
      const p = await ready(h, { size: { width: 1280, height: 800 } });
      await p.render({ type: "graph", graph: g });
      const texts = await p.page.locator(".gl-warning-text").allInnerTexts();
      assert.ok(
        texts.some((t) => message.test(t)),
        texts.join("\n"),
      );
      // The node it names is marked where it is drawn (itself, or the layer holding it).
      const drawnId = await p.page.evaluate(
        (id) =>
          (
            window as unknown as { gradlensDebug: { ownerOf(id: string): string } }
          ).gradlensDebug.ownerOf(id),
        w.nodeId,
      );
      const drawn = await p.inspect(drawnId);
      if (drawn) assert.match(drawn.classes, /\bwarned\b/, `${drawnId} is marked`);
      else assert.ok(kind === "none", "only a detached branch may lie outside the loss's graph");
      // "Show" selects it (and draws the other graphs first when it is not in the loss's).
      const index = g.warnings!.indexOf(w);
      const since = await p.mark();
      await p.page.locator(".gl-warning-show").nth(index).click();
      const selected = await p.next("selected", since);
      assert.equal(
        selected.nodeId,
        await p.page.evaluate(
          (id) =>
            (
              window as unknown as { gradlensDebug: { ownerOf(id: string): string } }
            ).gradlensDebug.ownerOf(id),
          w.nodeId,
        ),
      );
      await p.page.waitForTimeout(300);
      await p.screenshot(`warning-${kind}`);
      await p.close();
    },
  };
}

export const warningTests: PageTest[] = [
  warningTest(
    "vanishing",
    "vanishing",
    /^net\.0's gradient is 10[⁰-⁹]+× smaller than net\.10's: sigmoid saturates/,
  ),
  warningTest("exploding", "gradExploding", /^fc1's gradient is 10[⁰-⁹]+× larger than fc6's$/),
  warningTest(
    "zero",
    "gradDeadRelu",
    /^fc1\.weight's gradient is exactly zero: the ReLU after fc1 is dead/,
  ),
  warningTest("none", "gradDetached", /^fc1\.weight got no gradient: backward never reached it/),
  warningTest(
    "nonFinite",
    "gradNonFinite",
    /^The gradient becomes Inf in SqrtBackward0's backward/,
  ),
  {
    name: "gradient warnings: a run without backward shows the last backward's warnings, dimmed and said stale",
    async run(h) {
      const backward = await modelGraph("gradExploding");
      const forward = graphForPage((await runHere("gradExploding")).graph);
      const g = withStaleWarnings(forward, keepWarnings(backward));
      const p = await ready(h, { size: { width: 1280, height: 800 } });
      await p.render({ type: "graph", graph: g });
      const lines = p.page.locator(".gl-warning");
      assert.equal(await lines.count(), backward.warnings!.length);
      assert.equal(await p.page.locator(".gl-warning-stale").count(), backward.warnings!.length);
      assert.deepEqual(
        await p.page.locator(".gl-warning-when").allInnerTexts(),
        backward.warnings!.map(() => "last backward"),
      );
      const texts = await p.page.locator(".gl-warning-text").allInnerTexts();
      assert.deepEqual(
        texts,
        backward.warnings!.map((w) => w.message),
      );
      // a fresh backward's warnings are not marked stale
      await p.render({ type: "graph", graph: backward });
      assert.equal(await p.page.locator(".gl-warning-stale").count(), 0);
      assert.equal(await p.page.locator(".gl-warning-when").count(), 0);
      await p.render({ type: "graph", graph: g });
      await p.screenshot("warning-stale");
      await p.close();
    },
  },
];
