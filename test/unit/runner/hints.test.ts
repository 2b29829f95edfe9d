/**
 * Inlay hints of real runs, placed as the editor shows them (extension/inlayHints/places.ts):
 * where each hint sits (the source line up to it) and what it says.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { placeHints, type HintPlace } from "../../../extension/inlayHints/places";
import { TextMap } from "../../../extension/inlayHints/textMap";
import type { RunResult } from "../../../extension/runProtocol/types";
import * as path from "node:path";
import { MODELS, runInSandbox, runSource } from "./fixtures";

const HEADER = `import * as torch from "gradlens";
import { nn } from "gradlens";
const F = nn.functional;
`;

/** Runs `body` (after the imports) and places its hints in the text the run saw. */
async function placed(body: string): Promise<{ r: RunResult; places: HintPlace[] }> {
  const source = HEADER + body;
  const r = await runSource(source);
  return { r, places: placeHints(r, () => true, new TextMap(source, source)) };
}

/** Each hint as `<the line up to the hint> ⇒ <label>`, in the order of the text. */
function shownIn(source: string, places: HintPlace[]): string[] {
  return places
    .slice()
    .sort((a, b) => a.offset - b.offset)
    .map((p) => {
      const lineStart = source.lastIndexOf("\n", p.offset - 1) + 1;
      return `${source.slice(lineStart, p.offset).trim()} ⇒ ${p.label}`;
    });
}

const shown = (body: string, places: HintPlace[]): string[] => shownIn(HEADER + body, places);

/** The tooltip of the hint whose line ends with `end` (before the hint). */
function tooltipAfter(body: string, places: HintPlace[], end: string): string {
  const source = HEADER + body;
  const found = places.filter((p) => source.slice(0, p.offset).endsWith(end));
  assert.equal(found.length, 1, `one hint after ${end}`);
  return found[0].tooltip;
}

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

test("hints: a Linear shows its output at the call, in and out features in the hover, once", async () => {
  const body = `
const fc1 = new nn.Linear(400, 120);
const fc2 = new nn.Linear(120, 84);
const h = fc1.forward(torch.randn(1, 400));
const seq = torch.randn(2, 7, 120);
const z = fc2.forward(seq);
const again = fc1.forward(torch.randn(1, 400));
const w = F.linear(torch.randn(3, 5), torch.randn(4, 5));
`;
  const { r, places } = await placed(body);
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(shown(body, places), [
    "const h = fc1.forward(torch.randn(1, 400)) ⇒ → [1, 120]",
    // a 3-D input is view → addmm → view inside F.linear: one hint, from [2, 7, 120]
    "const z = fc2.forward(seq) ⇒ → [2, 7, 84]",
    "const again = fc1.forward(torch.randn(1, 400)) ⇒ → [1, 120]",
    "const w = F.linear(torch.randn(3, 5), torch.randn(4, 5)) ⇒ → [3, 4]",
  ]);
  const tip = tooltipAfter(body, places, "const h = fc1.forward(torch.randn(1, 400))");
  assert.match(tip, /\*\*linear\*\* `\[1, 400\]` → `\[1, 120\]`/);
  assert.match(tip, /in_features 400 → out_features 120/);
  assert.match(
    tooltipAfter(body, places, "fc2.forward(seq)"),
    /\*\*linear\*\* `\[2, 7, 120\]` → `\[2, 7, 84\]`[^]*in_features 120 → out_features 84/,
  );
  // F.linear is the user's own call: a product, no layer
  assert.match(tooltipAfter(body, places, "torch.randn(4, 5))"), /\[3, 5\] @ \[5, 4\] → \[3, 4\]/);
});

test("hints: flatten, view and reshape show the merged dims and an inferred -1", async () => {
  const body = `
const x = torch.randn(1, 16, 5, 5);
const a = x.flatten(1);
const b = x.view(-1, 400);
const c = x.reshape(4, 100);
const d = new nn.Flatten().forward(x);
const e = x.permute(0, 2, 3, 1).reshape(1, -1);
`;
  const { r, places } = await placed(body);
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(shown(body, places), [
    "const a = x.flatten(1) ⇒ → [1, 400]",
    "const b = x.view(-1, 400) ⇒ → [1, 400]",
    "const c = x.reshape(4, 100) ⇒ → [4, 100]",
    "const d = new nn.Flatten().forward(x) ⇒ → [1, 400]",
    // a copy (clone, then _unsafe_view): one hint all the same
    "const e = x.permute(0, 2, 3, 1).reshape(1, -1) ⇒ → [1, 400]",
  ]);
  const tip = (end: string) => tooltipAfter(body, places, end);
  assert.match(tip("x.flatten(1)"), /16·5·5 = 400/);
  assert.match(tip("x.view(-1, 400)"), /\*\*view\*\*[^]*16·5·5 = 400; -1 = 400\/400 = 1/);
  assert.match(tip("x.reshape(4, 100)"), /1·16·5·5 = 4·100/);
  assert.match(
    tip("new nn.Flatten().forward(x)"),
    /\*\*flatten\*\* `\[1, 16, 5, 5\]` → `\[1, 400\]`/,
  );
  assert.match(tip(".reshape(1, -1)"), /`\[1, 5, 5, 16\]` → `\[1, 400\]`[^]*-1 = 400\/1 = 400/);
});

test("hints: matmul, mm and bmm show both sides; a batched matmul is one hint", async () => {
  const body = `
const a = torch.randn(3, 4);
const m = a.matmul(torch.randn(4, 5));
const mm = torch.mm(a, torch.randn(4, 2));
const bmm = torch.bmm(torch.randn(8, 3, 4), torch.randn(8, 4, 6));
const folded = torch.randn(2, 3, 4).matmul(torch.randn(4, 5));
const batched = torch.randn(2, 1, 3, 4).matmul(torch.randn(5, 4, 2));
const mv = a.matmul(torch.randn(4));
`;
  const { r, places } = await placed(body);
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(shown(body, places), [
    "const m = a.matmul(torch.randn(4, 5)) ⇒ → [3, 5]",
    "const mm = torch.mm(a, torch.randn(4, 2)) ⇒ → [3, 2]",
    "const bmm = torch.bmm(torch.randn(8, 3, 4), torch.randn(8, 4, 6)) ⇒ → [8, 3, 6]",
    "const folded = torch.randn(2, 3, 4).matmul(torch.randn(4, 5)) ⇒ → [2, 3, 5]",
    "const batched = torch.randn(2, 1, 3, 4).matmul(torch.randn(5, 4, 2)) ⇒ → [2, 5, 3, 2]",
    "const mv = a.matmul(torch.randn(4)) ⇒ → [3]",
  ]);
  const tip = (end: string) => tooltipAfter(body, places, end);
  assert.match(tip("a.matmul(torch.randn(4, 5))"), /\[3, 4\] @ \[4, 5\] → \[3, 5\]/);
  assert.match(tip("torch.randn(8, 4, 6))"), /\[8, 3, 4\] @ \[8, 4, 6\] → \[8, 3, 6\]/);
  assert.match(
    tip("torch.randn(2, 3, 4).matmul(torch.randn(4, 5))"),
    /\[2, 3, 4\] @ \[4, 5\] → \[2, 3, 5\]/,
  );
  assert.match(tip("torch.randn(5, 4, 2))"), /\[2, 1, 3, 4\] @ \[5, 4, 2\] → \[2, 5, 3, 2\]/);
  assert.match(tip("a.matmul(torch.randn(4))"), /\[3, 4\] @ \[4\] → \[3\]/);
});

test("hints: cat and stack show the joined dim", async () => {
  const body = `
const a = torch.randn(2, 6, 4);
const b = torch.randn(2, 10, 4);
const joined = torch.cat([a, b], 1);
const stacked = torch.stack([a, a, a]);
`;
  const { r, places } = await placed(body);
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(shown(body, places), [
    "const joined = torch.cat([a, b], 1) ⇒ → [2, 16, 4]",
    "const stacked = torch.stack([a, a, a]) ⇒ → [3, 2, 6, 4]",
  ]);
  assert.match(tooltipAfter(body, places, "torch.cat([a, b], 1)"), /dim 1: 6 \+ 10 = 16/);
  assert.match(
    tooltipAfter(body, places, "torch.stack([a, a, a])"),
    /dim 0: 3 × \[2, 6, 4\] → \[3, 2, 6, 4\]/,
  );
});

test("hints: attention and transformer layers show their output at the call, none of their inner ops", async () => {
  const body = `
const attn = new nn.MultiheadAttention(8, 2);
const layer = new nn.TransformerEncoderLayer(8, 2, 16, 0);
const q = torch.randn(5, 3, 8);
const [out, weights] = attn.forward(q, q, q);
const enc = layer.forward(q);
`;
  const { r, places } = await placed(body);
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(shown(body, places), [
    "const [out, weights] = attn.forward(q, q, q) ⇒ → [5, 3, 8]",
    "const enc = layer.forward(q) ⇒ → [5, 3, 8]",
  ]);
  assert.deepEqual(
    r.shapeHints.map((h) => h.op),
    ["MultiheadAttention", "TransformerEncoderLayer"],
  );
  assert.match(
    tooltipAfter(body, places, "attn.forward(q, q, q)"),
    /attention weights \[3, 5, 5\]/,
  );
});

test("hints: a .py file gets the Linear, view, matmul and cat hints at its Python calls", async () => {
  const source = `import torch
from torch import nn

fc = nn.Linear(400, 120)
x = torch.randn(1, 16, 5, 5)
flat = x.view(-1, 16 * 5 * 5)
h = fc(flat)
p = h @ torch.randn(120, 10)
both = torch.cat([p, p], 1)
`;
  const r = await runInSandbox({ file: path.join(MODELS, "inline.py"), source });
  assert.equal(r.ok, true, r.error?.message);
  const places = placeHints(r, () => true, new TextMap(source, source));
  assert.deepEqual(shownIn(source, places), [
    "flat = x.view(-1, 16 * 5 * 5) ⇒ → [1, 400]",
    "h = fc(flat) ⇒ → [1, 120]",
    "p = h @ torch.randn(120, 10) ⇒ → [1, 10]",
    "both = torch.cat([p, p], 1) ⇒ → [1, 20]",
  ]);
  assert.deepEqual(
    r.shapeHints.map((h) => `${h.op}: ${h.formula}`),
    [
      "view: 16·5·5 = 400; -1 = 400/400 = 1",
      "linear: in_features 400 → out_features 120",
      "matmul: [1, 120] @ [120, 10] → [1, 10]",
      "cat: dim 1: 10 + 10 = 20",
    ],
  );
});

test("hints: calls chained on one Python line each get their hint (conv2(h).flatten(1))", async () => {
  // A method called on a call's result is placed at its name, as V8 places a TypeScript one;
  // placed at the line's first call, the two hints ran together after `conv2(h)`.
  const source = `import torch
from torch import nn

conv2 = nn.Conv2d(8, 16, 5)
h = torch.randn(1, 8, 16, 16)
features = conv2(h).flatten(1)
`;
  const r = await runInSandbox({ file: path.join(MODELS, "chained.py"), source });
  assert.equal(r.ok, true, r.error?.message);
  const places = placeHints(r, () => true, new TextMap(source, source));
  assert.deepEqual(shownIn(source, places).slice(-2), [
    "features = conv2(h) ⇒ → [1, 16, 12, 12]",
    "features = conv2(h).flatten(1) ⇒ → [1, 2304]",
  ]);
});
