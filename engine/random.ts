/**
 * Random numbers as PyTorch's CPU generator makes them: MT19937 seeded like
 * `torch.manual_seed(n)`, 24-bit floats for `rand`/`uniform_`, and PyTorch's two normal
 * samplers (Box–Muller over blocks of 16 for tensors of 16+ elements, a cached double
 * sampler below that), so `torch.manualSeed(0); torch.randn(3)` gives PyTorch's numbers.
 */

const N = 624;
const M = 397;

class MT19937 {
  private state = new Uint32Array(N);
  private index = N;

  seed(seed: number): void {
    this.state[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.state[i - 1] ^ (this.state[i - 1] >>> 30);
      // 1812433253 * prev + i, in 32-bit arithmetic
      this.state[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  private twist(): void {
    const s = this.state;
    for (let i = 0; i < N; i++) {
      const y = (s[i] & 0x80000000) | (s[(i + 1) % N] & 0x7fffffff);
      let v = s[(i + M) % N] ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      s[i] = v >>> 0;
    }
    this.index = 0;
  }

  nextU32(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

/** PyTorch's default seed for the CPU generator when none is set. */
const DEFAULT_SEED = 67280421310721;

const engine = new MT19937();
let cachedNormal: number | null = null;
engine.seed(DEFAULT_SEED % 2 ** 32);

/** Seeds the generator, like `torch.manual_seed(seed)`. */
export function manualSeed(seed: number): void {
  engine.seed(Number(BigInt.asUintN(32, BigInt(Math.trunc(seed)))));
  cachedNormal = null;
}

/** A float in [0, 1) from 24 random bits (PyTorch's float path). */
export function uniform24(): number {
  return (engine.nextU32() & 0xffffff) * 2 ** -24;
}

/** A double in [0, 1) from 53 random bits (PyTorch's double path). */
function uniform53(): number {
  const hi = engine.nextU32();
  const lo = engine.nextU32();
  return ((hi & 0x1fffff) * 2 ** 32 + lo) * 2 ** -53;
}

/** One normal sample from PyTorch's scalar sampler (caches the second Box–Muller value). */
function normalDouble(): number {
  if (cachedNormal !== null) {
    const v = cachedNormal;
    cachedNormal = null;
    return v;
  }
  const u1 = uniform53();
  const u2 = uniform53();
  const r = Math.sqrt(-2 * Math.log(1 - u2));
  const theta = 2 * Math.PI * u1;
  cachedNormal = r * Math.sin(theta);
  return r * Math.cos(theta);
}

/** Fills `out` uniformly in [from, to), as `tensor.uniform_(from, to)`. */
export function fillUniform(out: Float32Array, from = 0, to = 1): void {
  const f = Math.fround(from);
  const span = Math.fround(to) - f;
  for (let i = 0; i < out.length; i++) out[i] = uniform24() * span + f;
}

/** Box–Muller on 16 uniforms in place, in float32 arithmetic like PyTorch's normal_fill_16. */
function normalFill16(data: Float32Array, at: number, mean: number, std: number): void {
  const f = Math.fround;
  for (let j = 0; j < 8; j++) {
    const u1 = f(1 - data[at + j]);
    const u2 = data[at + j + 8];
    const radius = f(Math.sqrt(f(-2 * f(Math.log(u1)))));
    const theta = f(f(2 * Math.PI) * u2);
    data[at + j] = f(f(radius * f(Math.cos(theta))) * std) + mean;
    data[at + j + 8] = f(f(radius * f(Math.sin(theta))) * std) + mean;
  }
}

/** Fills `out` with normal samples, as `tensor.normal_(mean, std)`. */
export function fillNormal(out: Float32Array, mean = 0, std = 1): void {
  const size = out.length;
  if (size < 16) {
    for (let i = 0; i < size; i++) out[i] = normalDouble() * std + mean;
    return;
  }
  for (let i = 0; i < size; i++) out[i] = uniform24();
  for (let i = 0; i + 16 <= size; i += 16) normalFill16(out, i, mean, std);
  if (size % 16 !== 0) {
    // PyTorch recomputes the last 16 values from fresh uniforms
    const at = size - 16;
    for (let i = 0; i < 16; i++) out[at + i] = uniform24();
    normalFill16(out, at, mean, std);
  }
}
