/**
 * The graph page's time to lay out and draw a 2,000-node graph in headless Chromium, with the
 * webview tier's harness and fixtures: the flat graph (the worst case for layout) and the model
 * graph of 200 residual blocks with every module expanded. Medians of three fresh pages each,
 * written to artifacts/page-draw.json for the report (`npm run bench` runs this first).
 */
import * as fs from "fs";
import * as path from "path";
import { Harness } from "../test/webview/harness";
import { bigGraph } from "../test/webview/fixtures";
import { ready } from "../test/webview/pageCases";

interface Drawn {
  nodes: number;
  layoutMs: number;
  firstDrawMs: number;
  drawMs: number;
}
export interface PageDraw {
  flat: Drawn;
  expanded: Drawn;
  samples: number;
}

const SAMPLES = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function medianOf(runs: Drawn[]): Drawn {
  const pick = (k: keyof Drawn) => median(runs.map((r) => r[k]));
  return { nodes: runs[0].nodes, layoutMs: pick("layoutMs"), firstDrawMs: pick("firstDrawMs"), drawMs: pick("drawMs") };
}

function drawn(r: { nodes: number; layoutMs?: number; firstDrawMs?: number; drawMs?: number }): Drawn {
  return { nodes: r.nodes, layoutMs: r.layoutMs ?? NaN, firstDrawMs: r.firstDrawMs ?? NaN, drawMs: r.drawMs ?? NaN };
}

async function main(): Promise<void> {
  const h = await Harness.start();
  const flat: Drawn[] = [];
  const expanded: Drawn[] = [];
  try {
    for (let i = 0; i < SAMPLES; i++) {
      const p = await ready(h);
      flat.push(drawn(await p.render({ type: "graph", graph: bigGraph(250, true) })));
      await p.close();
      const q = await ready(h);
      await q.render({ type: "graph", graph: bigGraph(200) });
      const since = await q.mark();
      await q.page.click(".gl-expand-all");
      expanded.push(drawn(await q.next("rendered", since, 60_000)));
      await q.close();
    }
  } finally {
    await h.close();
  }
  const result: PageDraw = { flat: medianOf(flat), expanded: medianOf(expanded), samples: SAMPLES };
  const out = path.resolve(__dirname, "../../artifacts/page-draw.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
  for (const [what, d] of Object.entries({ flat: result.flat, expanded: result.expanded })) {
    console.log(`page, ${d.nodes} nodes ${what}: layout ${d.layoutMs} ms, first frame ${d.firstDrawMs} ms, all drawn ${d.drawMs} ms`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
