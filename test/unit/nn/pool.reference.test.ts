/**
 * Max and average pooling against PyTorch (nn_pool.json): random kernels, strides (given or
 * defaulting to the kernel), paddings, dilations, ceil mode, count_include_pad and divisor
 * override, batched and unbatched, some inputs with ties inside a window; and from
 * nn_pool_large.json, cases past the sizes where the kernels run in WebAssembly. Each case
 * checks values, the backward graph and the input gradient.
 */
import { test } from "node:test";
import { nn } from "../../../engine";
import {
  RecordedCase,
  TensorJson,
  camelKeys,
  checkGradients,
  checkOutputAndGraph,
  leaf,
  loadFixture,
} from "./nnFixtures";

interface PoolCase extends RecordedCase {
  kind: "max" | "avg";
  options: { kernel_size: nn.functional.IntOrPair } & Record<string, unknown>;
  input: TensorJson;
}

const cases = [
  ...loadFixture<{ cases: PoolCase[] }>("nn_pool.json").cases,
  ...loadFixture<{ cases: PoolCase[] }>("nn_pool_large.json").cases,
];
const F = nn.functional;

for (const c of cases) {
  test(`PyTorch reference: ${c.name}`, () => {
    const x = leaf(c.input)!;
    const { kernelSize, ...options } = camelKeys(c.options);
    const k = kernelSize as nn.functional.IntOrPair;
    const out = c.kind === "max" ? F.maxPool2d(x, k, options) : F.avgPool2d(x, k, options);
    checkOutputAndGraph(out, c);
    checkGradients(out, c, { input: x });
  });
}

test("PyTorch reference: the same cases through nn.MaxPool2d / nn.AvgPool2d", () => {
  for (const c of cases) {
    const x = leaf(c.input)!;
    const { kernelSize, ...options } = camelKeys(c.options);
    const k = kernelSize as nn.functional.IntOrPair;
    const m = c.kind === "max" ? new nn.MaxPool2d(k, options) : new nn.AvgPool2d(k, options);
    const out = m.forward(x);
    checkOutputAndGraph(out, c);
    checkGradients(out, c, { input: x });
  }
});
