/**
 * Inlay hints of real runs, placed as the editor shows them (extension/inlayHints/places.ts):
 * where each hint sits (the source line up to it) and what it says. Convolutions, pools and
 * resizing here; Linear, reshape, matmul, joins and attention in callHints.test.ts.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { placeHints } from "../../../extension/inlayHints/places";
import { TextMap } from "../../../extension/inlayHints/textMap";
import { runSource } from "./fixtures";
import { HEADER, placed, shown, tooltipAfter } from "./hintPlaces";

test("hints: nn.Sequential members show their size after their own construction, the call its output", async () => {
  const body = `
const features = new nn.Sequential(
  new nn.Conv1d(2, 8, 3),
  new nn.ReLU(),
  new nn.Conv1d(8, 4, 5, { stride: 2 }),
);
const y = features.forward(torch.randn(1, 2, 32));
`;
  const { r, places } = await placed(body);
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(shown(body, places), [
    "new nn.Conv1d(2, 8, 3) ⇒ → [1, 8, 30]",
    "new nn.Conv1d(8, 4, 5, { stride: 2 }) ⇒ → [1, 4, 13]",
    "const y = features.forward(torch.randn(1, 2, 32)) ⇒ → [1, 4, 13]",
  ]);
  // one hint per construction: its size formula moves into the tooltip, beside the call's numbers
  const member = tooltipAfter(body, places, "new nn.Conv1d(2, 8, 3)");
  assert.match(member, /\*\*Conv1d\(2→8, k=3\)\*\*/);
  assert.match(member, /L → L − 2/);
  assert.match(member, /\*\*conv1d\*\* `\[1, 2, 32\]` → `\[1, 8, 30\]`/);
  assert.match(member, /⌊\(32 \+ 2·0 − 1·\(3 − 1\) − 1\)\/1⌋ \+ 1 = 30/);
  const call = tooltipAfter(body, places, "features.forward(torch.randn(1, 2, 32))");
  assert.match(call, /\*\*Sequential\*\* `\[1, 2, 32\]` → `\[1, 4, 13\]`/);
  assert.match(
    call,
    /\[0\] conv1d: \[1, 2, 32\] → \[1, 8, 30\]\n\[2\] conv1d: \[1, 8, 30\] → \[1, 4, 13\]/,
  );
});

test("hints: a Sequential's hint is its real output, also when non-conv layers follow", async () => {
  const body = `
const net = new nn.Sequential(
  new nn.Conv2d(3, 4, 3),
  new nn.Sequential(new nn.MaxPool2d(2), new nn.Flatten()),
  new nn.Linear(36, 2),
);
const y = net.forward(torch.randn(2, 3, 8, 8));
`;
  const { places } = await placed(body);
  assert.deepEqual(shown(body, places), [
    "new nn.Conv2d(3, 4, 3) ⇒ → [2, 4, 6, 6]",
    "new nn.Sequential(new nn.MaxPool2d(2) ⇒ → [2, 4, 3, 3]",
    "new nn.Sequential(new nn.MaxPool2d(2), new nn.Flatten() ⇒ → [2, 36]",
    "new nn.Linear(36, 2) ⇒ → [2, 2]",
    "const y = net.forward(torch.randn(2, 3, 8, 8)) ⇒ → [2, 2]",
  ]);
  const call = tooltipAfter(body, places, "net.forward(torch.randn(2, 3, 8, 8))");
  assert.match(call, /\[1\]\[0\] maxPool2d: \[2, 4, 6, 6\] → \[2, 4, 3, 3\]/);
  assert.match(call, /\[1\]\[1\] flatten: \[2, 4, 3, 3\] → \[2, 36\]/);
  assert.match(call, /\[2\] linear: \[2, 36\] → \[2, 2\]/);
});

test("hints: a layer in a Sequential twice, or in two calls, has one hint listing each size once", async () => {
  const body = `
const same = new nn.Conv1d(4, 4, 3, { padding: 1 });
const down = new nn.MaxPool2d(2);
const seq = new nn.Sequential(same, same);
const a = seq.forward(torch.randn(1, 4, 10));
const b = seq.forward(torch.randn(1, 4, 6));
const c = down.forward(torch.randn(1, 1, 8, 8));
`;
  const { places } = await placed(body);
  assert.deepEqual(shown(body, places), [
    "const same = new nn.Conv1d(4, 4, 3, { padding: 1 }) ⇒ → [1, 4, 10], [1, 4, 6]",
    "const down = new nn.MaxPool2d(2) ⇒ H×W → ⌊H/2⌋×⌊W/2⌋",
    "const a = seq.forward(torch.randn(1, 4, 10)) ⇒ → [1, 4, 10]",
    "const b = seq.forward(torch.randn(1, 4, 6)) ⇒ → [1, 4, 6]",
    "const c = down.forward(torch.randn(1, 1, 8, 8)) ⇒ → [1, 1, 4, 4]",
  ]);
});

test("hints: layers constructed once and called in a forward keep their hints at the calls", async () => {
  const body = `
class Net extends nn.Module {
  conv = new nn.Conv2d(1, 2, 3);
  pool = new nn.MaxPool2d(2);
  forward(x: torch.Tensor): torch.Tensor {
    const h = this.pool.forward(this.conv.forward(x));
    return F.conv2d(h, torch.randn(3, 2, 2, 2));
  }
}
const net = new Net();
const seq = new nn.Sequential(net);
const y = seq.forward(torch.randn(1, 1, 10, 10));
`;
  const { r, places } = await placed(body);
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(shown(body, places), [
    "conv = new nn.Conv2d(1, 2, 3) ⇒ H×W → (H − 2)×(W − 2)",
    "pool = new nn.MaxPool2d(2) ⇒ H×W → ⌊H/2⌋×⌊W/2⌋",
    "const h = this.pool.forward(this.conv.forward(x) ⇒ → [1, 2, 8, 8]",
    "const h = this.pool.forward(this.conv.forward(x)) ⇒ → [1, 2, 4, 4]",
    "return F.conv2d(h, torch.randn(3, 2, 2, 2)) ⇒ → [1, 3, 3, 3]",
  ]);
  // in the Sequential, but called by the user's own code: nothing moves, no Sequential hint
  assert.equal(
    r.shapeHints.some((h) => h.viaContainer || h.op === "Sequential"),
    false,
  );
});

test("hints: functional calls show their sizes at the call", async () => {
  const body = `
const w = torch.randn(16, 2, 3);
const a = F.conv1d(torch.randn(1, 2, 64), w, null, { padding: 1 });
const b = F.maxPool2d(torch.randn(1, 3, 32, 64), 2);
const c = F.avgPool2d(torch.randn(1, 3, 9, 9), 3, { stride: 2 });
`;
  const { r, places } = await placed(body);
  assert.deepEqual(shown(body, places), [
    "const a = F.conv1d(torch.randn(1, 2, 64), w, null, { padding: 1 }) ⇒ → [1, 16, 64]",
    "const b = F.maxPool2d(torch.randn(1, 3, 32, 64), 2) ⇒ → [1, 3, 16, 32]",
    "const c = F.avgPool2d(torch.randn(1, 3, 9, 9), 3, { stride: 2 }) ⇒ → [1, 3, 4, 4]",
  ]);
  assert.equal(r.shapeHints[0].formula, "⌊(64 + 2·1 − 1·(3 − 1) − 1)/1⌋ + 1 = 64");
  assert.ok(r.shapeHints.every((h) => !h.layerLocation && !h.viaContainer));
});

test("hints: unbatched conv and pool inputs show the unbatched shapes the user's tensors have", async () => {
  const body = `
const a = F.conv1d(torch.randn(2, 11), torch.randn(4, 2, 3));
const b = new nn.Conv2d(3, 5, 3).forward(torch.randn(3, 8, 8));
const c = F.maxPool2d(torch.randn(3, 8, 8), 2);
const seq = new nn.Sequential(
  new nn.Conv2d(3, 4, 3),
  new nn.ReLU(),
);
const d = seq.forward(torch.randn(3, 8, 8));
const e = F.conv1d(torch.randn(2, 11).unsqueeze(0), torch.randn(4, 2, 3));
`;
  const { r, places } = await placed(body);
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(shown(body, places), [
    "const a = F.conv1d(torch.randn(2, 11), torch.randn(4, 2, 3)) ⇒ → [4, 9]",
    "const b = new nn.Conv2d(3, 5, 3) ⇒ H×W → (H − 2)×(W − 2)",
    "const b = new nn.Conv2d(3, 5, 3).forward(torch.randn(3, 8, 8)) ⇒ → [5, 6, 6]",
    "const c = F.maxPool2d(torch.randn(3, 8, 8), 2) ⇒ → [3, 4, 4]",
    "new nn.Conv2d(3, 4, 3) ⇒ → [4, 6, 6]",
    "const d = seq.forward(torch.randn(3, 8, 8)) ⇒ → [4, 6, 6]",
    // the user's own batch dim stays
    "const e = F.conv1d(torch.randn(2, 11).unsqueeze(0), torch.randn(4, 2, 3)) ⇒ → [1, 4, 9]",
  ]);
  assert.deepEqual(
    r.shapeHints.map((h) => `${h.op} [${h.inputShape}] → [${h.outputShape}]`),
    [
      "conv1d [2,11] → [4,9]",
      "conv2d [3,8,8] → [5,6,6]",
      "maxPool2d [3,8,8] → [3,4,4]",
      "conv2d [3,8,8] → [4,6,6]",
      "Sequential [3,8,8] → [4,6,6]",
      "conv1d [1,2,11] → [1,4,9]",
    ],
  );
  assert.equal(r.shapeHints[0].formula, "⌊(11 + 2·0 − 1·(3 − 1) − 1)/1⌋ + 1 = 9");
});

test("hints: a transposed conv undoes a strided conv's size, batched and unbatched", async () => {
  const body = `
const w = torch.randn(4, 2, 3);
const down = F.conv1d(torch.randn(1, 2, 11), w, null, { stride: 2 });
const up = F.convTranspose1d(down, w, null, { stride: 2 });
const pair = new nn.Sequential(
  new nn.Conv2d(2, 4, 3, { stride: 2 }),
  new nn.ConvTranspose2d(4, 2, 3, { stride: 2, outputPadding: 1 }),
);
const back = pair.forward(torch.randn(2, 12, 12));
`;
  const { r, places } = await placed(body);
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(shown(body, places), [
    "const down = F.conv1d(torch.randn(1, 2, 11), w, null, { stride: 2 }) ⇒ → [1, 4, 5]",
    "const up = F.convTranspose1d(down, w, null, { stride: 2 }) ⇒ → [1, 2, 11]",
    "new nn.Conv2d(2, 4, 3, { stride: 2 }) ⇒ → [4, 5, 5]",
    "new nn.ConvTranspose2d(4, 2, 3, { stride: 2, outputPadding: 1 }) ⇒ → [2, 12, 12]",
    "const back = pair.forward(torch.randn(2, 12, 12)) ⇒ → [2, 12, 12]",
  ]);
  assert.equal(r.shapeHints[1].op, "convTranspose1d");
  assert.equal(r.shapeHints[1].formula, "(5 − 1)·2 − 2·0 + 1·(3 − 1) + 0 + 1 = 11");
  assert.deepEqual(r.shapeHints[3].inputShape, [4, 5, 5]);
  assert.equal(r.shapeHints[3].formula, "(5 − 1)·2 − 2·0 + 1·(3 − 1) + 1 + 1 = 12");
});

test("hints: a Sequential that fails keeps its members' sizes up to the failure, and no output", async () => {
  const body = `
const seq = new nn.Sequential(
  new nn.Conv1d(2, 8, 3),
  new nn.Conv1d(4, 4, 3),
);
const y = seq.forward(torch.randn(1, 2, 16));
`;
  const { r, places } = await placed(body);
  assert.equal(r.ok, false);
  assert.deepEqual(shown(body, places), [
    "new nn.Conv1d(2, 8, 3) ⇒ → [1, 8, 14]",
    "new nn.Conv1d(4, 4, 3) ⇒ L → L − 2",
  ]);
});

test("hints: edits since the run carry the hints along; a member built in another file stays at the call", async () => {
  const body = `
const seq = new nn.Sequential(
  new nn.Conv1d(2, 8, 3),
);
const y = seq.forward(torch.randn(1, 2, 16));
`;
  const source = HEADER + body;
  const r = await runSource(source);
  const now = "// a line typed since the run\n" + source;
  const moved = placeHints(r, () => true, new TextMap(source, now));
  const before = placeHints(r, () => true, new TextMap(source, source));
  assert.deepEqual(
    moved.map((p) => p.offset),
    before.map((p) => p.offset + 30),
  );
  // the construction is not in this file: the member's size joins the call's
  const call = r.shapeHints.find((h) => h.op === "Sequential")!.location;
  const elsewhere = placeHints(
    {
      layerHints: [],
      shapeHints: r.shapeHints.map((h) =>
        h.layerLocation ? { ...h, layerLocation: { ...h.layerLocation, file: "/lib.ts" } } : h,
      ),
    },
    (file) => file === call.file,
    new TextMap(source, source),
  );
  assert.deepEqual(
    elsewhere.map((p) => p.label),
    ["→ [1, 8, 14]"],
  );
});

test("hints: PyTorch's positional arguments get the same hints as the options form", async () => {
  const body = `
const x = torch.randn(1, 20, 50, 100);
const a = new nn.Conv2d(20, 16, [3, 5], 2, [1, 2]);
const b = new nn.Conv2d(20, 16, [3, 5], { stride: 2, padding: [1, 2] });
const ya = a.forward(x);
const yb = b.forward(x);
const pa = new nn.MaxPool2d(3, 2, 1);
const pb = new nn.MaxPool2d(3, { stride: 2, padding: 1 });
const za = pa.forward(ya);
const zb = pb.forward(yb);
const fa = F.conv2d(x, a.weight, a.bias, 2, [1, 2]);
const fb = F.conv2d(x, b.weight, b.bias, { stride: 2, padding: [1, 2] });
`;
  const { r, places } = await placed(body);
  assert.equal(r.ok, true, r.error?.message);
  const labels = shown(body, places).map((s) => s.split(" ⇒ ")[1]);
  // each positional line reads as the options line after it
  assert.deepEqual(labels, [
    "H×W → ⌊(H + 1)/2⌋×⌊(W + 1)/2⌋",
    "H×W → ⌊(H + 1)/2⌋×⌊(W + 1)/2⌋",
    "→ [1, 16, 25, 50]",
    "→ [1, 16, 25, 50]",
    "H×W → ⌊(H + 1)/2⌋×⌊(W + 1)/2⌋",
    "H×W → ⌊(H + 1)/2⌋×⌊(W + 1)/2⌋",
    "→ [1, 16, 13, 25]",
    "→ [1, 16, 13, 25]",
    "→ [1, 16, 25, 50]",
    "→ [1, 16, 25, 50]",
  ]);
  const tip = (end: string) => tooltipAfter(body, places, end);
  assert.equal(
    tip("new nn.Conv2d(20, 16, [3, 5], 2, [1, 2])"),
    tip("new nn.Conv2d(20, 16, [3, 5], { stride: 2, padding: [1, 2] })"),
  );
});

test("hints: adaptive pooling, 1-D pooling and interpolation show their sizes, calls and constructions", async () => {
  const body = `
const gap = new nn.AdaptiveAvgPool2d(1);
const up = new nn.Upsample({ scaleFactor: 2, mode: "bilinear" });
const pool1 = new nn.MaxPool1d(2);
const a = gap.forward(torch.randn(2, 8, 7, 7));
const b = up.forward(torch.randn(1, 3, 5, 6));
const c = pool1.forward(torch.randn(2, 4, 9));
const d = F.adaptiveMaxPool2d(torch.randn(1, 2, 9, 9), [3, 2]);
const e = F.interpolate(torch.randn(1, 1, 4, 4), { size: [6, 10] });
const f = F.avgPool1d(torch.randn(3, 10), 3, { stride: 2 });
const g = F.interpolate(torch.randn(1, 1, 4, 4), { scaleFactor: 1.5 });
`;
  const { r, places } = await placed(body);
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(shown(body, places), [
    "const gap = new nn.AdaptiveAvgPool2d(1) ⇒ H×W → 1×1",
    'const up = new nn.Upsample({ scaleFactor: 2, mode: "bilinear" }) ⇒ H×W → 2·H×2·W',
    "const pool1 = new nn.MaxPool1d(2) ⇒ L → ⌊L/2⌋",
    "const a = gap.forward(torch.randn(2, 8, 7, 7)) ⇒ → [2, 8, 1, 1]",
    "const b = up.forward(torch.randn(1, 3, 5, 6)) ⇒ → [1, 3, 10, 12]",
    "const c = pool1.forward(torch.randn(2, 4, 9)) ⇒ → [2, 4, 4]",
    "const d = F.adaptiveMaxPool2d(torch.randn(1, 2, 9, 9), [3, 2]) ⇒ → [1, 2, 3, 2]",
    "const e = F.interpolate(torch.randn(1, 1, 4, 4), { size: [6, 10] }) ⇒ → [1, 1, 6, 10]",
    "const f = F.avgPool1d(torch.randn(3, 10), 3, { stride: 2 }) ⇒ → [3, 4]",
    "const g = F.interpolate(torch.randn(1, 1, 4, 4), { scaleFactor: 1.5 }) ⇒ → [1, 1, 6, 6]",
  ]);
  assert.match(
    tooltipAfter(body, places, "pool1.forward(torch.randn(2, 4, 9))"),
    /⌊\(9 \+ 2·0 − 1·\(2 − 1\) − 1\)\/2⌋ \+ 1 = 4/,
  );
  assert.match(tooltipAfter(body, places, "{ scaleFactor: 1.5 })"), /⌊4·1\.5⌋ = 6/);
});
