/**
 * Inlay hints on the calls that are not convolutions: Linear, flatten/view/reshape, matmul,
 * cat/stack and attention, placed as the editor shows them (Python files: pythonHints.test.ts).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { placed, shown, tooltipAfter } from "./hintPlaces";

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
