/**
 * Kernel threads in the model sandbox (sandboxHost.ts and this thread's helper pool): a model's
 * large conv runs on the worker's helper as well, with the same bits as on one thread.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { runSource } from "./fixtures";
import { threadHelpers } from "../../../extension/kernelThreads/sandboxKernels";

/** A model: conv [1,20,64,128] ⋆ 16×20×3×5 forward and backward on `threads`, printing a checksum of the bits. */
const CONV = (threads: string) => `import * as torch from "gradlens";
${threads}
torch.manualSeed(1);
const conv = new torch.nn.Conv2d(20, 16, [3, 5]);
const x = torch.randn(1, 20, 64, 128);
let bits = 0;
for (let i = 0; i < 5; i++) {
  conv.zeroGrad();
  const y = conv.forward(x);
  y.mul(y).sum().backward();
  for (const t of [y, conv.weight.grad!, conv.bias!.grad!])
    for (const v of new Int32Array(new Float32Array(t.flatten().tolist() as number[]).buffer)) bits = (bits * 31 + v) | 0;
}
console.log("threads " + torch.getNumThreads() + ", bits " + bits);
`;

test("sandbox: a model's large conv runs on the worker's helper thread too, with the bits of one thread", async () => {
  const one = await runSource(CONV("torch.setNumThreads(1);"));
  assert.equal(one.ok, true, one.error?.message);
  let two = await runSource(CONV(""));
  // the helper starts with the first sandbox: give it a few runs to be there
  for (let i = 0; i < 20 && threadHelpers().slicesServed() === 0; i++)
    two = await runSource(CONV(""));
  assert.equal(two.ok, true, two.error?.message);
  assert.ok(threadHelpers().slicesServed() > 0, "the helper ran no slice of the model's conv");
  const bits = (logs: string[]) => logs[0].replace(/^threads \d+, /, "");
  assert.equal(one.logs[0].slice(0, 9), "threads 1");
  assert.equal(two.logs[0].slice(0, 9), "threads 2");
  assert.equal(bits(two.logs), bits(one.logs));
});
