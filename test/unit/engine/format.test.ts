/**
 * Printing: toString() gives exactly PyTorch 1.13's str() of the same tensor (fixtures in
 * core_format.json), spelled with this API's `gradFn=`/`requiresGrad=` suffixes.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { TensorJson, loadFixture, ourSpelling, tensorFrom } from "./torchFixtures";

interface FormatCase extends TensorJson {
  name: string;
  requires_grad: boolean;
  str: string;
}

const { cases } = loadFixture<{ cases: FormatCase[] }>("core_format.json");

for (const c of cases) {
  test(`print: ${c.name}, as PyTorch prints it`, () => {
    assert.equal(tensorFrom(c).toString(), ourSpelling(c.str));
  });
}

test("print: a result of an op shows gradFn= in place of PyTorch's grad_fn=", () => {
  const x = torch.tensor([1.5, 2], { requiresGrad: true });
  assert.equal(x.mul(2).toString(), "tensor([3., 4.], gradFn=<MulBackward0>)");
  assert.equal(x.toString(), "tensor([1.5000, 2.0000], requiresGrad=True)");
});
