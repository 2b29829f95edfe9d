/**
 * engine/kernels/elementwiseWasm.ts: the WebAssembly add that gradient accumulation runs on
 * agrees bit for bit with float32 arithmetic (each sum rounded once), over lengths that fill
 * whole vectors, leave a scalar tail, and span several chunks, NaN and infinities included.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { addInPlace } from "../../../engine/kernels/elementwiseWasm";

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
}

for (const n of [0, 3, 255, 256, 1027, 65536 + 4096 + 3, 3 * 65536]) {
  test(`addInPlace: ${n} floats agree bit for bit with one float32 rounding per sum`, () => {
    const r = rng(n + 1);
    const a = Float32Array.from({ length: n }, () => r() * 1e3);
    const b = Float32Array.from({ length: n + 5 }, () => r() * 1e-2);
    if (n > 10) [a[1], b[2], a[3], b[3], a[n - 1]] = [NaN, Infinity, -Infinity, Infinity, 3.5];
    const want = Float32Array.from(a, (v, i) => Math.fround(v + b[i]));
    addInPlace(a, b);
    assert.deepEqual(a, want);
  });
}

test("addInPlace: the WebAssembly path and the JS loop give the same bits", () => {
  const r = rng(7);
  const a = Float32Array.from({ length: 5000 }, () => r());
  const b = Float32Array.from({ length: 5000 }, () => r());
  const viaJs = a.slice();
  addInPlace(viaJs, b, false);
  addInPlace(a, b);
  assert.deepEqual(a, viaJs);
});
