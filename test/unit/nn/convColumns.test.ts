/**
 * A small conv keeps its forward column matrices for the weight gradient: it must still behave
 * as if backward read x (in-place changes caught, retainGraph repeatable, freed otherwise) and
 * give the gradients a recomputation gives.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { nn } from "../../../engine";

const F = nn.functional;

/** A batch of 2, 3 channels, groups 3, padding 1: every image and group reads its own columns. */
function setup() {
  torch.manualSeed(7);
  const x = torch.randn([2, 3, 5, 6]).requiresGrad_();
  const w = torch.randn([6, 1, 3, 2]).requiresGrad_();
  const y = F.conv2d(x, w, null, { padding: 1, groups: 3 });
  return { x, w, y, g: torch.randn(y.shape) };
}

test("conv: changing the input in place after forward is caught in backward", () => {
  const { x, w, g } = setup();
  const h = x.mul(1);
  const y = F.conv2d(h, w, null, { padding: 1, groups: 3 });
  h.add_(1);
  assert.throws(() => y.backward(g), /modified by an inplace operation/);
});

test("conv: the weight gradient from kept columns is the definition's, with or without dx", () => {
  const { x, w, y, g } = setup();
  y.backward(g);
  // x without requiresGrad: backward needs no scratch for the input gradient
  const w2 = w.detach().requiresGrad_();
  F.conv2d(x.detach(), w2, null, { padding: 1, groups: 3 }).backward(g);
  assert.deepEqual(w2.grad!.tolist(), w.grad!.tolist());
  // dW[o, 0, i, j] = Σ_n,oh,ow x[n, group of o, oh − 1 + i, ow − 1 + j] · g[n, o, oh, ow]
  const W = w.detach().tolist() as number[][][][];
  const X = x.detach().tolist() as number[][][][];
  const G = g.tolist() as number[][][][];
  const gw = W.map((o) => o.map((c) => c.map((r) => r.map(() => 0))));
  for (let n = 0; n < 2; n++)
    for (let o = 0; o < 6; o++)
      for (let oh = 0; oh < G[0][0].length; oh++)
        for (let ow = 0; ow < G[0][0][0].length; ow++)
          for (let i = 0; i < 3; i++)
            for (let j = 0; j < 2; j++) {
              const h = oh - 1 + i;
              const v = ow - 1 + j;
              if (h >= 0 && h < 5 && v >= 0 && v < 6)
                gw[o][0][i][j] += X[n][o >> 1][h][v] * G[n][o][oh][ow];
            }
  const got = (w.grad!.tolist() as number[][][][]).flat(3);
  gw.flat(3).forEach((v, k) =>
    assert.ok(Math.abs(got[k] - v) < 1e-4, `weight grad ${k}: ${got[k]} vs ${v}`),
  );
});

test("conv: backward twice with retainGraph gives the same gradients; without it, an error", () => {
  const { x, w, y, g } = setup();
  y.backward(g, { retainGraph: true });
  const [gx, gw] = [x.grad!.tolist(), w.grad!.tolist()];
  x.grad = null;
  w.grad = null;
  y.backward(g);
  assert.deepEqual(x.grad!.tolist(), gx);
  assert.deepEqual(w.grad!.tolist(), gw);
  assert.throws(() => y.backward(g), /backward through the graph a second time/);
});
