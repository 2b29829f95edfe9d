/**
 * The page treats the user's program as untrusted text: labels and paths never become markup,
 * and the CSP stops any script or style that does not carry the page's nonce.
 */
import assert from "node:assert/strict";
import type { PageTest } from "./run";
import { hostileGraph, seedGraph } from "./fixtures";
import { ready } from "./pageCases";

const EVIL = "<img src=x onerror=alert(1)>";

const violations = (p: { page: import("playwright-core").Page }) =>
  p.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);

export const securityTests: PageTest[] = [
  {
    name: "a label holding <img src=x onerror=alert(1)> is shown as text",
    async run(h) {
      const p = await ready(h);
      const r = await p.render({ type: "graph", graph: hostileGraph() });
      assert.ok(r.labels.includes(EVIL));
      await p.clickNode("evil");
      const panel = p.page.locator(".gl-details");
      assert.equal(await panel.locator("h2").textContent(), EVIL);
      assert.match((await panel.textContent()) ?? "", /<img src=x onerror=alert\(1\)>:1:1/);
      assert.match((await p.page.locator(".gl-title").textContent()) ?? "", /<img/);
      await p.page.waitForTimeout(300); // an onerror would have fired by now
      assert.equal(await p.page.locator("img").count(), 0, "no img element");
      assert.deepEqual(p.dialogs, [], "no alert");
      // The same graph embedded in the standalone HTML.
      const q = await h.open({ graph: hostileGraph(), host: false });
      await q.page.waitForFunction(() =>
        document.querySelector(".gl-summary")?.textContent?.startsWith("2 nodes"),
      );
      assert.equal(await q.page.locator("img").count(), 0);
      assert.deepEqual(q.dialogs, []);
      await q.close();
      await p.close();
    },
  },
  {
    name: "CSP: the page loads with no violation, and an injected inline script does not run",
    async run(h) {
      const p = await ready(h);
      await p.render({ type: "graph", graph: seedGraph() });
      // Cytoscape adds a <style> of its own; the page pre-empts it, so nothing was blocked.
      assert.deepEqual(await violations(p), []);
      await p.page.evaluate(() => {
        const s = document.createElement("script");
        s.textContent = "window.__pwned = true;";
        document.body.appendChild(s);
        const d = document.createElement("div");
        d.id = "styled";
        d.setAttribute("style", "color: rgb(1, 2, 3)");
        document.body.appendChild(d);
      });
      await p.page.waitForTimeout(100);
      assert.equal(
        await p.page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned),
        undefined,
      );
      const colour = await p.page.evaluate(
        () => getComputedStyle(document.getElementById("styled")!).color,
      );
      assert.notEqual(colour, "rgb(1, 2, 3)", "inline style attributes are blocked too");
      const v = await violations(p);
      assert.ok(
        v.some((x) => x.startsWith("script-src")),
        v.join("; "),
      );
      assert.ok(
        v.some((x) => x.startsWith("style-src")),
        v.join("; "),
      );
      assert.deepEqual(p.dialogs, []);
      await p.close();
    },
  },
];
