/**
 * engine/kernels/elementwiseWasm.ts: the WebAssembly add that gradient accumulation runs on
 * agrees bit for bit with float32 arithmetic (each sum rounded once), over lengths that fill
 * whole vectors, leave a scalar tail, and span several chunks, NaN and infinities included.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { addInPlace, reluBackwardInto, reluInto } from "../../../engine/kernels/elementwiseWasm";

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

/** Values that test every branch: signed zeros, NaN, infinities, tiny and large magnitudes. */
function awkward(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const special = [0, -0, NaN, Infinity, -Infinity, 1e-40, -1e-40, 3e38, -3e38];
  return Float32Array.from({ length: n }, (_, i) =>
    i % 7 === 0 ? special[(i / 7) % special.length] : r() * 10,
  );
}

const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);

for (const n of [5, 256, 1030, 32768 * 2 + 7]) {
  test(`relu in WebAssembly: ${n} values, the JS loop's bits (NaN kept, -0 → +0, 0·NaN = NaN)`, () => {
    const x = awkward(n, n);
    const g = awkward(n, n + 1).reverse();
    const [yJs, yWasm] = [new Float32Array(n), new Float32Array(n)];
    reluInto(x, yJs, false);
    reluInto(x, yWasm);
    assert.deepEqual(bits(yWasm), bits(yJs));
    if (n > 14)
      assert.ok(
        Object.is(yWasm[7], 0) && Number.isNaN(yWasm[14]),
        "relu(-0) = +0, relu(NaN) = NaN",
      );
    const [gJs, gWasm] = [new Float32Array(n), new Float32Array(n)];
    reluBackwardInto(g, yJs, gJs, false);
    reluBackwardInto(g, yJs, gWasm);
    assert.deepEqual(bits(gWasm), bits(gJs));
  });
}
