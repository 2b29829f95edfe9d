/** Comparing what an example printed with what the same script printed in PyTorch. */
import * as assert from "node:assert/strict";

/** A printed line `name value value…`: the name is everything before the first number. */
function parse(line: string): [name: string, values: number[]] {
  const tokens = line.split(" ");
  const first = tokens.findIndex((t) => t !== "" && !Number.isNaN(Number(t)));
  if (first < 0) return [line, []];
  return [tokens.slice(0, first).join(" "), tokens.slice(first).map(Number)];
}

/** `name value…` lines: the names equal, each value within float32 rounding of PyTorch's. */
export function assertSameLogs(actual: string[], expected: string[]): void {
  assert.equal(actual.length, expected.length, `logs: ${actual.join(" | ")}`);
  actual.forEach((line, i) => {
    const [name, values] = parse(line);
    const [wantName, wants] = parse(expected[i]);
    assert.equal(name, wantName);
    assert.equal(values.length, wants.length, `${name}: how many values`);
    values.forEach((v, k) => {
      const w = wants[k];
      assert.ok(Math.abs(v - w) <= 2e-6 + 1e-5 * Math.abs(w), `${name}[${k}]: ${v}, PyTorch ${w}`);
    });
  });
}
