/**
 * The parameter table beside the graph, on examples/lenet.ts run in the sandbox: one row per
 * parameter, sorted by a click on a column, and a click on a row selecting the parameter's layer
 * and asking the host to go to its line.
 */
import assert from "node:assert/strict";
import type { TestPage } from "./harness";
import { lenetGraph } from "./lenet";
import { ready } from "./pageCases";
import type { PageTest } from "./run";

/** The table's rows as [name, ‖grad‖] in the order shown. */
async function rows(p: TestPage): Promise<[string, number][]> {
  return p.page.$$eval(".gl-ptable tbody tr", (trs) =>
    trs.map((tr) => {
      const cells = Array.from(tr.querySelectorAll("td")).map((td) => td.textContent ?? "");
      return [cells[0], Number(cells[3])] as [string, number];
    }),
  );
}

export const parameterTests: PageTest[] = [
  {
    name: "parameter table: a row per parameter, sorted by ‖grad‖ and by name with a click",
    async run(h) {
      const g = await lenetGraph();
      const params = g.nodes.filter((n) => n.kind === "param");
      const p = await ready(h, { size: { width: 1400, height: 800 } });
      await p.render({ type: "graph", graph: g });
      await p.page.click(".gl-params-button");
      assert.equal(await p.page.locator(".gl-params-button").innerText(), "Parameters (10)");
      let shown = await rows(p);
      assert.deepEqual(
        shown.map(([n]) => n),
        params.map((n) => n.label).sort((a, b) => a.localeCompare(b)),
        "by name, A to Z, at first",
      );
      await p.page.click(".gl-sort-gradNorm");
      shown = await rows(p);
      const norms = shown.map(([, n]) => n);
      assert.deepEqual(
        norms,
        [...norms].sort((a, b) => b - a),
        "largest gradient first",
      );
      // the numbers are the graph's (4 significant digits)
      const top = params.reduce((a, b) => (a.grad!.norm > b.grad!.norm ? a : b));
      assert.equal(shown[0][0], top.label);
      assert.ok(Math.abs(shown[0][1] - top.grad!.norm) <= 1e-3 * top.grad!.norm);
      await p.page.click(".gl-sort-gradNorm");
      assert.deepEqual(
        (await rows(p)).map(([n]) => n),
        shown.map(([n]) => n).reverse(),
      );
      assert.equal(await p.page.locator(".gl-ptable canvas.gl-hist").count(), 10);
      await p.screenshot("parameter-table");
      await p.close();
    },
  },
  {
    name: "parameter table: a click on a row selects its layer and asks the host for its line",
    async run(h) {
      const g = await lenetGraph();
      const p = await ready(h, { size: { width: 1400, height: 800 } });
      await p.render({ type: "graph", graph: g });
      await p.page.click(".gl-params-button");
      const weight = g.nodes.find((n) => n.kind === "param" && n.label === "net.3.weight")!;
      const since = await p.mark();
      await p.page.click(`.gl-ptable tr[data-id="${weight.id}"]`);
      const reveal = await p.next("reveal", since);
      assert.equal(reveal.nodeId, weight.id);
      assert.ok(weight.location, "the parameter's node has its layer's line");
      // At layer level the weight is drawn as its closed layer: that is what gets selected.
      const selected = await p.next("selected", since);
      assert.equal(selected.nodeId, weight.parent);
      assert.equal((await p.viewState()).selected, weight.parent);
      assert.ok((await p.inspect(weight.parent!))!.selected);
      assert.match(
        (await p.page.locator(`.gl-ptable tr[data-id="${weight.id}"]`).getAttribute("class")) ?? "",
        /selected/,
      );
      await p.close();
    },
  },
];
