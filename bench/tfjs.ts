/**
 * Runs a workload on tfjs (tfjs-backend-cpu or tfjs-backend-wasm, one thread) in tfjs' own
 * NHWC layout, with the same parameters as Gradlens converted once before timing. Results are
 * converted back to PyTorch's layouts for the check. A gradient the backend has no kernel
 * for makes the workload "cannot" on that backend.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfwasm from "@tensorflow/tfjs-backend-wasm";
import * as path from "path";
import { register } from "module";
import { pathToFileURL } from "url";
import { Workload, Layer } from "./workloads";
import { Param, shapesThrough } from "./data";
import type { Prepared } from "./gradlens";

export type TfjsBackend = "cpu" | "wasm";

/**
 * tfjs-core's CommonJS build has no gradients (the `@tensorflow/tfjs` bundle adds them).
 * Its ESM files do, but import without file extensions; a resolve hook adds them, and the
 * gradients register into the registry that both builds share (a global).
 */
const RESOLVE_HOOK = `export async function resolve(s, c, next) {
  if (!s.startsWith(".") || s.endsWith(".js")) return next(s, c);
  try { return await next(s + ".js", c); } catch { return next(s + "/index.js", c); }
}`;
let gradientsLoaded = false;

async function loadGradients(): Promise<void> {
  if (gradientsLoaded) return;
  gradientsLoaded = true;
  register(`data:text/javascript,${encodeURIComponent(RESOLVE_HOOK)}`);
  const file = path.join(path.dirname(require.resolve("@tensorflow/tfjs-core")), "register_all_gradients.js");
  // a real import(), which tsc would otherwise turn into require()
  const esmImport = new Function("url", "return import(url)") as (url: string) => Promise<unknown>;
  await esmImport(pathToFileURL(file).href);
}

let wasmConfigured = false;
// PROD: no debug checks and no "install tfjs-node" banner; the bench compares kernels
tf.env().set("PROD", true);

/** Selects a backend (wasm: single-threaded, SIMD when the runtime has it); describes it. */
export async function useTfjs(backend: TfjsBackend): Promise<string> {
  await loadGradients();
  if (backend === "wasm" && !wasmConfigured) {
    wasmConfigured = true;
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    tfwasm.setThreadsCount(1);
    tfwasm.setWasmPaths(path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm")), path.sep));
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not initialise`);
  await tf.ready();
  if (backend === "cpu") return `tfjs-cpu ${tf.version_core}`;
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  return `tfjs-wasm ${tf.version_core} (${tfwasm.getThreadsCount()} thread, SIMD ${simd ? "on" : "off"})`;
}

const NCHW_TO_NHWC = [0, 2, 3, 1];
const NHWC_TO_NCHW = [0, 3, 1, 2];
/** PyTorch conv weight [out,in,kh,kw] → tfjs [kh,kw,in,out]; transposed conv [in,out,k,k] → [k,k,out,in]. */
const TORCH_TO_TF_FILTER = [2, 3, 1, 0];
const TF_TO_TORCH_FILTER = [3, 2, 0, 1];

/** A tensor in tfjs' layout from values in PyTorch's. */
function toTf(values: Float32Array, shape: number[], perm?: number[]): tf.Tensor {
  const t = tf.tensor(values, shape, "float32");
  if (!perm) return t;
  const out = tf.transpose(t, perm);
  t.dispose();
  return out;
}

/** NHWC explicit padding of p on both spatial axes. */
const pads = (p: number): [[number, number], [number, number], [number, number], [number, number]] => [[0, 0], [p, p], [p, p], [0, 0]];

/** How many parameters a layer takes (its weights and biases, PyTorch's order). */
const paramCount = (l: Layer): number =>
  l.kind === "transformerEncoderLayer" ? 12 : l.kind === "lstm" ? 4 : l.kind === "conv2d" || l.kind === "convTranspose2d" || l.kind === "linear" ? 2 : 0;

/**
 * One LSTM layer over [seq, batch, in] from zero state, written as PyTorch's CPU path runs it:
 * the input projection of all steps in one matMul, then per step the hidden projection, the
 * i, f, g, o gates, c' = f⊙c + i⊙g and h' = o⊙tanh(c'); the outputs stacked.
 */
function lstmLayer(x: tf.Tensor, wIh: tf.Tensor, wHh: tf.Tensor, bIh: tf.Tensor, bHh: tf.Tensor): tf.Tensor {
  const [T, N, inF] = x.shape;
  const H = wHh.shape[1]!;
  const projected = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [T * N, inF]), wIh, false, true), bIh), [T, N, 4 * H]);
  let h: tf.Tensor = tf.zeros([N, H]);
  let c: tf.Tensor = tf.zeros([N, H]);
  const outputs: tf.Tensor[] = [];
  for (const xt of tf.unstack(projected)) {
    const [i, f, g, o] = tf.split(tf.add(tf.add(tf.matMul(h, wHh, false, true), bHh), xt), 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    h = tf.mul(tf.sigmoid(o), tf.tanh(c));
    outputs.push(h);
  }
  return tf.stack(outputs);
}

/** x·Wᵀ + b on the last axis of any rank (PyTorch's `F.linear`). */
function linearTf(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const rows = tf.reshape(x, [-1, x.shape[x.rank - 1]]);
  return tf.reshape(tf.add(tf.matMul(rows, w, false, true), b), [...x.shape.slice(0, -1), w.shape[0]]);
}

/** Layer norm over the last axis, eps 1e-5, with weight and bias. */
function layerNormTf(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const centered = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centered), -1, true);
  return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, 1e-5))), weight), bias);
}

/**
 * PyTorch's TransformerEncoderLayer (post-norm, relu, no dropout) on [seq, batch, E], written
 * as its composed path runs it: one packed q, k, v projection, heads folded into the batch,
 * softmax(q·kᵀ/√d)·v, the output projection, then the feed-forward block, each with a residual
 * connection and a layer norm.
 */
function transformerLayer(x: tf.Tensor, heads: number, ps: tf.Tensor[]): tf.Tensor {
  const [wIn, bIn, wOut, bOut, w1, b1, w2, b2, g1, beta1, g2, beta2] = ps;
  const [T, N, E] = x.shape;
  const d = E / heads;
  const perHead = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [T, N * heads, d]), [1, 0, 2]);
  const [q, k, v] = tf.split(linearTf(x, wIn, bIn), 3, -1).map(perHead);
  const weights = tf.softmax(tf.matMul(tf.div(q, Math.sqrt(d)), k, false, true));
  const attended = tf.reshape(tf.transpose(tf.matMul(weights, v), [1, 0, 2]), [T, N, E]);
  const h = layerNormTf(tf.add(x, linearTf(attended, wOut, bOut)), g1, beta1);
  return layerNormTf(tf.add(h, linearTf(tf.relu(linearTf(h, w1, b1)), w2, b2)), g2, beta2);
}

function layerFn(l: Layer, inShape: number[], outShape: number[]): (x: tf.Tensor, ...ps: tf.Tensor[]) => tf.Tensor {
  switch (l.kind) {
    case "conv2d":
      // explicit padding: a numeric pad makes tfjs size the output with kh for both axes
      return (x, w, b) => tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, l.stride, pads(l.padding)), b!);
    case "convTranspose2d": {
      const [n, c, h, wd] = outShape;
      return (x, w, b) => tf.add(tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [n, h, wd, c], l.stride, l.padding), b!);
    }
    case "linear":
      return (x, w, b) => tf.add(tf.matMul(x, w!, false, true), b!);
    case "relu":
      return (x) => tf.relu(x);
    case "maxPool2d":
      return (x) => tf.maxPool(x as tf.Tensor4D, l.kernel, l.kernel, "valid");
    case "flatten":
      // PyTorch flattens in C,H,W order; a vector becomes [1, n] (tfjs' matMul wants 2-D)
      return (x) => tf.reshape(inShape.length === 4 ? tf.transpose(x, NHWC_TO_NCHW) : x, [l.startDim === 0 ? 1 : inShape[0], -1]);
    case "lstm":
      return (x, wIh, wHh, bIh, bHh) => lstmLayer(x, wIh, wHh, bIh, bHh);
    case "transformerEncoderLayer":
      return (x, ...ps) => transformerLayer(x, l.heads, ps);
  }
}

/** Builds the workload on the current tfjs backend, or says why it cannot run. */
export function prepareTfjs(
  w: Workload, params: Param[], data: { x: Float32Array; b?: Float32Array; gy: Float32Array },
): Prepared {
  const shapes = shapesThrough(w);
  const is4d = (s: number[]) => s.length === 4;
  const x = toTf(data.x, w.input, is4d(w.input) ? NCHW_TO_NHWC : undefined);
  if (w.matmulB) {
    const b = toTf(data.b!, w.matmulB);
    let y: tf.Tensor | null = null;
    return {
      run() {
        y?.dispose();
        y = tf.matMul(x, b);
        y.dataSync();
      },
      result: () => ({ output: y!.dataSync() as Float32Array, grads: [] }),
      dispose: () => tf.dispose([x, b, y!]),
    };
  }
  const weights = params.map((p) => toTf(p.values, p.shape, is4d(p.shape) ? TORCH_TO_TF_FILTER : undefined));
  const outShape = shapes.at(-1)!;
  const gyShape = outShape.length >= 2 ? outShape : [1, ...outShape];
  const gy = toTf(data.gy, gyShape, is4d(outShape) ? NCHW_TO_NHWC : undefined);
  const fns = w.layers.map((l, i) => layerFn(l, shapes[i], shapes[i + 1]));
  const forward = (...ps: tf.Tensor[]): tf.Tensor => {
    let h = x;
    let k = 0;
    fns.forEach((f, i) => {
      const n = paramCount(w.layers[i]);
      h = f(h, ...ps.slice(k, k + n));
      k += n;
    });
    return h;
  };
  const valueAndGrads = tf.valueAndGrads(forward);
  let kept: tf.Tensor[] = [];
  const run = () => {
    tf.dispose(kept);
    kept = tf.tidy(() => {
      if (!w.backward) return [forward(...weights)];
      const { value, grads } = valueAndGrads(weights, gy);
      return [value, ...grads];
    });
    for (const t of kept) t.dataSync();
  };
  const toTorch = (t: tf.Tensor) =>
    tf.tidy(() => (t.rank === 4 ? tf.transpose(t, t === kept[0] ? NHWC_TO_NCHW : TF_TO_TORCH_FILTER) : t).dataSync() as Float32Array);
  return {
    run,
    result: () => ({ output: toTorch(kept[0]), grads: kept.slice(1).map(toTorch) }),
    dispose: () => tf.dispose([x, gy, ...weights, ...kept]),
  };
}
