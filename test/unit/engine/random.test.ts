/**
 * Random numbers: after `manualSeed(s)`, `rand` and `randn` give PyTorch 1.13's numbers bit for
 * bit (fixtures in core_random.json, from PyTorch's AVX2 CPU kernels), for sizes below 16,
 * exactly 16, and above 16 but not a multiple of 16 (PyTorch's normal-sampling paths), and
 * across sequences of calls.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as torch from "../../../engine";
import { assertClose } from "../helpers";
import { loadFixture } from "./torchFixtures";
import { fillNormal, fillUniform } from "../../../engine/random";

interface RandomCase {
  name: string;
  seed: number;
  calls: {
    fn: "rand" | "randn" | "uniform_" | "normal_";
    shape: number[];
    args: number[];
    values: number[];
  }[];
}

const { cases } = loadFixture<{ cases: RandomCase[] }>("core_random.json");

/** `torch.rand`/`randn`, or PyTorch's `uniform_(a, b)`/`normal_(mean, std)` (what layer init uses). */
function draw(
  fn: RandomCase["calls"][number]["fn"],
  shape: number[],
  args: number[],
): torch.Tensor {
  if (fn === "rand") return torch.rand(shape);
  if (fn === "randn") return torch.randn(shape);
  const t = torch.zeros(shape);
  (fn === "uniform_" ? fillUniform : fillNormal)(t._values, args[0], args[1]);
  return t;
}

for (const c of cases) {
  test(`random: ${c.name} match PyTorch`, () => {
    torch.manualSeed(c.seed);
    c.calls.forEach(({ fn, shape, args, values }, i) => {
      const t = draw(fn, shape, args);
      assert.deepEqual(t.shape, shape, `call ${i} (${fn}): shape`);
      assertClose(t.flatten(), values, { atol: 0, rtol: 0 }); // bit for bit
    });
  });
}

test("random: the same seed gives the same numbers, another seed others", () => {
  torch.manualSeed(3);
  const a = torch.randn(20);
  torch.manualSeed(3);
  const b = torch.randn(20);
  torch.manualSeed(4);
  const c = torch.randn(20);
  assert.deepEqual(a.tolist(), b.tolist());
  assert.notDeepEqual(a.tolist(), c.tolist());
});

test("random: randLike and randnLike take the shape of their argument", () => {
  const x = torch.zeros(2, 5);
  assert.deepEqual(torch.randLike(x).shape, [2, 5]);
  assert.deepEqual(torch.randnLike(x).shape, [2, 5]);
});

test("random: trace.resetGlobalState gives a fresh process's numbers and grad mode back", () => {
  const engineFile = require.resolve("../../../engine/index");
  const fresh = execFileSync(process.execPath, [
    "-e",
    `const t = require(${JSON.stringify(engineFile)}); console.log(JSON.stringify([t.randn(5).tolist(), t.rand(3).tolist()]))`,
  ]).toString();
  torch.manualSeed(9);
  torch.randn(7); // a cached normal and a used-up state, both to be forgotten
  torch.setGradEnabled(false);
  torch.trace.resetGlobalState();
  assert.equal(torch.isGradEnabled(), true);
  assert.deepEqual([torch.randn(5).tolist(), torch.rand(3).tolist()], JSON.parse(fresh));
});
