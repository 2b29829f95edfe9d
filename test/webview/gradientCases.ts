/**
 * Seeing gradients on the page: the magnitude colour scale (its rules in Node; in Chromium, that
 * the colours drawn follow the norms' order, in every theme), and the toggle between gradient,
 * gradient ÷ value and value.
 */
import assert from "node:assert/strict";
import {
  contrast,
  luminance,
  MagnitudeScale,
  usableRange,
  viridis,
} from "../../webview/magnitudeScale";
import type { GraphDto } from "../../webview/protocol";
import type { TestPage } from "./harness";
import { ready } from "./pageCases";
import type { PureTest } from "./pureCases";
import type { PageTest } from "./run";
import { seedGraph } from "./fixtures";

/** `rgb(68, 1, 84)` or `#440154` as `#rrggbb`. */
export function hexOf(css: string): string {
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(css);
  if (!m) return css;
  return "#" + [m[1], m[2], m[3]].map((v) => Number(v).toString(16).padStart(2, "0")).join("");
}

/**
 * Drawn nodes of `g` with a gradient, as [norm, luminance of the fill drawn]. Viridis' lightness
 * rises along the scale, so colour order is luminance order.
 */
async function fills(p: TestPage, g: GraphDto, key: "grad" | "value" = "grad") {
  const out: [number, number, string][] = [];
  for (const n of g.nodes) {
    const t = n[key];
    if (!t) continue;
    const info = await p.inspect(n.id);
    if (!info) continue; // not drawn (a merged AccumulateGrad, a closed layer's insides)
    assert.match(info.classes, /\bmag\b/, `${n.id} is coloured`);
    const fill = hexOf(info["background-color"]);
    out.push([t.norm, luminance(fill), n.id]);
  }
  return out;
}

/** Larger norm, lighter colour; equal norms, equal colours. */
function assertOrderFollows(points: [number, number, string][]): void {
  assert.ok(points.length >= 3, `enough coloured nodes: ${points.length}`);
  for (const [na, la, a] of points) {
    for (const [nb, lb, b] of points) {
      if (na < nb)
        assert.ok(la < lb, `${a} (‖${na}‖, L ${la}) is darker than ${b} (‖${nb}‖, L ${lb})`);
      if (na === nb) assert.ok(Math.abs(la - lb) < 1e-9, `${a} and ${b}: same norm, same colour`);
    }
  }
}

export const gradientPureTests: PureTest[] = [
  {
    name: "magnitude scale: viridis' lightness rises from one end to the other",
    run() {
      let previous = -1;
      for (let i = 0; i <= 200; i++) {
        const l = luminance(viridis(i / 200));
        assert.ok(l > previous, `at ${i / 200}: ${l} after ${previous}`);
        previous = l;
      }
      assert.equal(viridis(0), "#440154");
      assert.equal(viridis(1), "#fde725");
    },
  },
  {
    name: "magnitude scale: the end that melts into the background is left out, per theme",
    run() {
      const dark = usableRange("#1f1f1f", false);
      const light = usableRange("#ffffff", false);
      const hc = usableRange("#000000", true);
      assert.ok(dark.lo > 0 && dark.hi === 1, JSON.stringify(dark));
      assert.ok(light.lo === 0 && light.hi < 1, JSON.stringify(light));
      assert.ok(hc.lo > dark.lo, "high contrast asks for more separation");
      for (const [bg, r, min] of [
        ["#1f1f1f", dark, 1.6],
        ["#ffffff", light, 1.6],
        ["#000000", hc, 2.5],
      ] as const)
        for (const t of [r.lo, r.hi]) assert.ok(contrast(viridis(t), bg) >= min, `${bg} at ${t}`);
    },
  },
  {
    name: "magnitude scale: log10 positions; zero and NaN placed apart",
    run() {
      const s = new MagnitudeScale([1e-5, 0.47, 0, NaN, Infinity, 1e-2]);
      assert.ok(Math.abs(s.low - -5) < 1e-12 && Math.abs(s.high - Math.log10(0.47)) < 1e-12);
      const at = (m: number) => {
        const p = s.place(m);
        assert.equal(p.kind, "colour");
        return p.kind === "colour" ? p.t : NaN;
      };
      assert.equal(at(1e-5), 0);
      assert.equal(at(0.47), 1);
      assert.ok(Math.abs(at(1e-2) - 3 / (5 + Math.log10(0.47))) < 1e-12, "even in log10");
      assert.equal(s.place(0).kind, "zero");
      assert.equal(s.place(NaN).kind, "nonFinite");
      assert.equal(s.place(-Infinity).kind, "nonFinite");
    },
  },
];

export const gradientPageTests: PageTest[] = [
  {
    name: "gradient colours: after backward, node and edge colours follow the gradients' norms",
    async run(h) {
      for (const theme of ["dark", "light", "high-contrast"] as const) {
        const p = await ready(h, { theme });
        const g = seedGraph();
        await p.render({ type: "graph", graph: g });
        assertOrderFollows(await fills(p, g));
        // An edge carries its source's gradient (no per-edge gradient in this graph).
        const into = hexOf((await p.inspect("y-mul1.0"))!["line-color"]!);
        const out = hexOf((await p.inspect("mul2-z"))!["line-color"]!);
        assert.ok(luminance(into) > luminance(out), "‖∇y‖ 3.67 > ‖∇(mul2)‖ 0.5");
        // The legend names what is measured and the range, in the graph's numbers.
        const legend = await p.page.locator(".gl-maglegend").innerText();
        assert.match(legend, /‖gradient‖, log scale/);
        assert.match(legend, /0\.5[\s\S]*3\.674/);
        await p.screenshot(`gradient-colours-${theme}`);
        await p.close();
      }
    },
  },
  {
    name: "gradient colours: the toggle switches to ‖value‖ and back to node kinds",
    async run(h) {
      const p = await ready(h);
      const g = seedGraph();
      await p.render({ type: "graph", graph: g });
      assert.equal(await p.page.locator(".gl-colour").inputValue(), "gradient");
      let since = await p.mark();
      await p.page.selectOption(".gl-colour", "value");
      await p.next("rendered", since);
      assertOrderFollows(await fills(p, g, "value"));
      since = await p.mark();
      await p.page.selectOption(".gl-colour", "kinds");
      await p.next("rendered", since);
      assert.doesNotMatch((await p.inspect("x"))!.classes, /\bmag\b/);
      assert.equal(await p.page.locator(".gl-maglegend").count(), 0, "the kinds legend is back");
      // Before backward the gradient modes cannot be chosen, and colours show kinds.
      const q = await ready(h);
      await q.render({ type: "graph", graph: seedGraph(false) });
      assert.equal(await q.page.locator(".gl-colour").inputValue(), "kinds");
      assert.ok(await q.page.locator('.gl-colour option[value="gradient"]').isDisabled());
      await q.close();
      await p.close();
    },
  },
];
