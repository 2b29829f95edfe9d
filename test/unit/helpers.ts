/** Assertions shared by the engine's unit tests. */
import * as assert from "node:assert/strict";
import { Tensor } from "../../engine";

/** Values equal to `expected` within `atol + rtol·|expected|`, shapes equal. */
export function assertClose(actual: Tensor | null, expected: unknown, { atol = 1e-5, rtol = 1e-4 } = {}): void {
  assert.ok(actual, "expected a tensor, got null");
  const want = flatten(expected);
  const got = Array.from(actual._values);
  assert.deepEqual(actual.shape, shapeOf(expected), `shape [${actual.shape}] != [${shapeOf(expected)}]`);
  got.forEach((g, i) => {
    const w = want[i];
    const ok = (Number.isNaN(w) && Number.isNaN(g)) || Math.abs(g - w) <= atol + rtol * Math.abs(w) || g === w;
    assert.ok(ok, `element ${i}: got ${g}, expected ${w} (all: [${got.slice(0, 12)}] vs [${want.slice(0, 12)}])`);
  });
}

export function flatten(x: unknown): number[] {
  if (Array.isArray(x)) return x.flatMap(flatten);
  if (x === "nan") return [NaN];
  if (x === "inf") return [Infinity];
  if (x === "-inf") return [-Infinity];
  return [Number(x)];
}

export function shapeOf(x: unknown): number[] {
  const shape: number[] = [];
  for (let v = x; Array.isArray(v); v = v[0]) {
    shape.push(v.length);
    if (v.length === 0) break;
  }
  return shape;
}
