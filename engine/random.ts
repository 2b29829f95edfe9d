/**
 * Random numbers as PyTorch's CPU generator makes them: MT19937 seeded like
 * `torch.manual_seed(n)`, 24-bit floats for `rand`/`uniform_`, and PyTorch's two normal
 * samplers (Box–Muller over blocks of 16 for tensors of 16+ elements, as its AVX2 kernel
 * computes it, and a cached double sampler below that), so `torch.manualSeed(0);
 * torch.randn(3)` gives PyTorch's numbers bit for bit.
 */

import { fmaf } from "./kernels/elementwise";

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

/**
 * The seed used until `manualSeed` is called. NOTE: PyTorch seeds its CPU generator from the
 * OS at start-up (different numbers every run); we start from PyTorch's `default_rng_seed_val`
 * so that a model file gives the same numbers every time it runs.
 */
const DEFAULT_SEED = 67280421310721;

const engine = new MT19937();
let cachedNormal: number | null = null;
engine.seed(DEFAULT_SEED % 2 ** 32);

/** Puts the generator back to its state at start-up (the default seed). */
export function resetGenerator(): void {
  manualSeed(DEFAULT_SEED);
}

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

/**
 * Fills `out` with 1 (probability p) or 0, as `tensor.bernoulli_(p)` on a CPU without MKL:
 * one 53-bit uniform per element, in order, compared with p.
 */
export function fillBernoulli(out: Float32Array, p: number): void {
  for (let i = 0; i < out.length; i++) out[i] = uniform53() < p ? 1 : 0;
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

// ---- PyTorch's normal_fill_16_AVX2, bit for bit ---------------------------------------------
// On x86-64 with AVX2 (PyTorch's usual CPU path) tensors of 16+ floats get Box–Muller in float32
// through avx_mathfun.h's log256_ps and sincos256_ps (Cephes polynomials), compiled with FMA
// contraction. Each step below is one float32 operation (`f`) or one fused multiply-add (`fmaf`).

const f = Math.fround;
const bits = new Int32Array(1);
const asFloat = new Float32Array(bits.buffer);

const LOG_P = [7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1].map(f);
const [SQRTHF, LOG_Q1, LOG_Q2] = [0.7071067811865476, -2.1219444e-4, 0.693359375].map(f);
const [DP1, DP2, DP3, FOPI] = [-0.78515625, -2.4187564849853515625e-4, -3.774894977445941e-8, 1.27323954473516].map(f);
const SIN_P = [-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1].map(f);
const COS_P = [2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2].map(f);

/** avx_mathfun's log256_ps for one positive float. */
function logPs(x: number): number {
  asFloat[0] = x;
  let e = f((bits[0] >> 23) - 0x7f + 1);
  bits[0] = (bits[0] & ~0x7f800000) | 0x3f000000; // the mantissa, in [0.5, 1)
  let m = asFloat[0];
  if (m < SQRTHF) {
    e = f(e - 1);
    m = f(f(m - 1) + m);
  } else {
    m = f(m - 1);
  }
  const z = f(m * m);
  let y = LOG_P[0];
  for (let i = 1; i < LOG_P.length; i++) y = fmaf(y, m, LOG_P[i]);
  y = f(y * m);
  y = fmaf(y, z, f(e * LOG_Q1));
  y = fmaf(-z, 0.5, y);
  return fmaf(e, LOG_Q2, f(m + y));
}

/** avx_mathfun's sincos256_ps for one float in [0, 2π): [sin, cos]. */
function sinCosPs(x: number): [number, number] {
  let j = Math.trunc(f(x * FOPI));
  j = (j + 1) & ~1;
  const y = j;
  let r = fmaf(y, DP1, x); // extended-precision reduction by multiples of π/4
  r = fmaf(y, DP2, r);
  r = fmaf(y, DP3, r);
  const z = f(r * r);
  let c = fmaf(fmaf(COS_P[0], z, COS_P[1]), z, COS_P[2]);
  c = f(fmaf(f(c * z), z, -f(z * 0.5)) + 1);
  let s = fmaf(fmaf(SIN_P[0], z, SIN_P[1]), z, SIN_P[2]);
  s = fmaf(f(s * z), r, r);
  const swap = (j & 2) !== 0;
  const sin = swap ? c : s;
  const cos = swap ? s : c;
  return [j & 4 ? -sin : sin, (j - 2) & 4 ? cos : -cos];
}

const TWO_PI = f(2 * Math.PI);

/** Box–Muller on 16 uniforms in place, as PyTorch's normal_fill_16_AVX2. */
function normalFill16(data: Float32Array, at: number, mean: number, std: number): void {
  const m = f(mean);
  const sd = f(std);
  for (let j = 0; j < 8; j++) {
    const radius = f(Math.sqrt(f(-2 * logPs(f(1 - data[at + j])))));
    const [sin, cos] = sinCosPs(f(TWO_PI * data[at + j + 8]));
    data[at + j] = fmaf(f(radius * cos), sd, m);
    data[at + j + 8] = fmaf(f(radius * sin), sd, m);
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

