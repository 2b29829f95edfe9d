/**
 * What the runners share for one workload: shapes through the layers, the FLOP count, and
 * the seeded parameters, input and upstream gradient (PyTorch's generator and init ranges).
 */
import { Workload } from "./workloads";
import { manualSeed, fillUniform, fillNormal } from "../engine/random";

/** A parameter in PyTorch's layout. */
export interface Param {
  name: string;
  shape: number[];
  values: Float32Array;
}

const numel = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Shape after each layer, starting from the input. */
export function shapesThrough(w: Workload): number[][] {
  const shapes = [w.input];
  let s = w.input;
  const out = (n: number, k: number, st: number, p: number) => Math.floor((n + 2 * p - k) / st) + 1;
  for (const l of w.layers) {
    if (l.kind === "conv2d") s = [s[0], l.outC, out(s[2], l.kernel[0], l.stride, l.padding), out(s[3], l.kernel[1], l.stride, l.padding)];
    else if (l.kind === "convTranspose2d") s = [s[0], l.outC, ...[s[2], s[3]].map((n) => (n - 1) * l.stride - 2 * l.padding + l.kernel)];
    else if (l.kind === "linear") s = [...s.slice(0, -1), l.outF];
    else if (l.kind === "maxPool2d") s = [s[0], s[1], Math.floor(s[2] / l.kernel), Math.floor(s[3] / l.kernel)];
    else if (l.kind === "flatten") s = [...s.slice(0, l.startDim), numel(s.slice(l.startDim))];
    else if (l.kind === "lstm") s = [s[0], s[1], l.hidden];
    shapes.push(s); // a transformer layer keeps its input's shape
  }
  if (w.matmulB) shapes.push([w.input[0], w.matmulB[1]]);
  return shapes;
}

/**
 * Floating-point operations (2 per multiply-add) of the GEMM-like layers: forward, plus for
 * backward the weight gradient and, for every layer but the first, the input gradient.
 */
export function flopsOf(w: Workload): number {
  if (w.matmulB) return 2 * w.input[0] * w.input[1] * w.matmulB[1];
  const shapes = shapesThrough(w);
  let total = 0;
  let first = true;
  w.layers.forEach((l, i) => {
    const [inS, outS] = [shapes[i], shapes[i + 1]];
    let f = 0;
    if (l.kind === "conv2d") f = 2 * numel(outS) * l.inC * l.kernel[0] * l.kernel[1];
    else if (l.kind === "convTranspose2d") f = 2 * numel(inS) * l.outC * l.kernel * l.kernel;
    else if (l.kind === "linear") f = 2 * (numel(outS) / l.outF) * l.inF * l.outF;
    else if (l.kind === "lstm") f = 2 * (numel(outS) / l.hidden) * (l.inF + l.hidden) * 4 * l.hidden;
    else if (l.kind === "transformerEncoderLayer") {
      const [T, N, E] = inS;
      // projections (in 3E, out E) and feed-forward (2 × ff) per token, then Q·Kᵀ and weights·V
      f = 2 * T * N * E * (4 * E + 2 * l.ff) + 2 * 2 * N * T * T * E;
      first = false; // its inner matmuls need input gradients even when x needs none
    }
    if (f === 0) return;
    total += w.backward ? (first ? 2 * f : 3 * f) : f;
    first = false;
  });
  return total;
}

/** The parameters of every layer (PyTorch's default init range), seeded. */
export function makeParams(w: Workload, seed = 1): Param[] {
  manualSeed(seed);
  const params: Param[] = [];
  const uniform = (name: string, shape: number[], bound: number) => {
    const values = new Float32Array(numel(shape));
    fillUniform(values, -bound, bound);
    params.push({ name, shape, values });
  };
  w.layers.forEach((l, i) => {
    if (l.kind === "conv2d") {
      const bound = 1 / Math.sqrt(l.inC * l.kernel[0] * l.kernel[1]);
      uniform(`${i}.weight`, [l.outC, l.inC, ...l.kernel], bound);
      uniform(`${i}.bias`, [l.outC], bound);
    } else if (l.kind === "convTranspose2d") {
      const bound = 1 / Math.sqrt(l.outC * l.kernel * l.kernel); // PyTorch: fan_in of weight [in,out,k,k] is out·k·k
      uniform(`${i}.weight`, [l.inC, l.outC, l.kernel, l.kernel], bound);
      uniform(`${i}.bias`, [l.outC], bound);
    } else if (l.kind === "linear") {
      const bound = 1 / Math.sqrt(l.inF);
      uniform(`${i}.weight`, [l.outF, l.inF], bound);
      uniform(`${i}.bias`, [l.outF], bound);
    } else if (l.kind === "lstm") {
      const bound = 1 / Math.sqrt(l.hidden);
      uniform(`${i}.weight_ih_l0`, [4 * l.hidden, l.inF], bound);
      uniform(`${i}.weight_hh_l0`, [4 * l.hidden, l.hidden], bound);
      uniform(`${i}.bias_ih_l0`, [4 * l.hidden], bound);
      uniform(`${i}.bias_hh_l0`, [4 * l.hidden], bound);
    } else if (l.kind === "transformerEncoderLayer") {
      // PyTorch's named_parameters order; norm weights random too (both engines load the same)
      const { dModel: E, ff } = l;
      uniform(`${i}.self_attn.in_proj_weight`, [3 * E, E], Math.sqrt(6 / (4 * E)));
      uniform(`${i}.self_attn.in_proj_bias`, [3 * E], 0.1);
      uniform(`${i}.self_attn.out_proj.weight`, [E, E], 1 / Math.sqrt(E));
      uniform(`${i}.self_attn.out_proj.bias`, [E], 0.1);
      uniform(`${i}.linear1.weight`, [ff, E], 1 / Math.sqrt(E));
      uniform(`${i}.linear1.bias`, [ff], 1 / Math.sqrt(E));
      uniform(`${i}.linear2.weight`, [E, ff], 1 / Math.sqrt(ff));
      uniform(`${i}.linear2.bias`, [E], 1 / Math.sqrt(ff));
      for (const norm of ["norm1", "norm2"]) {
        uniform(`${i}.${norm}.weight`, [E], 1);
        uniform(`${i}.${norm}.bias`, [E], 0.1);
      }
    }
  });
  return params;
}

/** Input (and for matmul, B) and the upstream gradient, seeded. */
export function makeData(w: Workload, seed = 2): { x: Float32Array; b?: Float32Array; gy: Float32Array } {
  manualSeed(seed);
  const randn = (shape: number[]) => {
    const out = new Float32Array(numel(shape));
    fillNormal(out);
    return out;
  };
  const shapes = shapesThrough(w);
  return {
    x: randn(w.input),
    b: w.matmulB ? randn(w.matmulB) : undefined,
    gy: randn(shapes[shapes.length - 1]),
  };
}
