/** softmax and logSoftmax along a dimension, computed stably (the row max is subtracted). */
import { defineOp, traced } from "../autograd/apply";
import { Tensor } from "../tensor";
import { normalizeDim } from "../shape";

/** Calls `row(base, stride, size)` for each 1-D slice along `dim`. */
function forEachSlice(shape: readonly number[], dim: number, row: (base: number, stride: number, size: number) => void): void {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i];
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const size = shape.length === 0 ? 1 : shape[dim];
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) row(o * size * inner + i, inner, size);
}

function softmaxForward(x: Tensor, dim: number, log: boolean): Tensor {
  const v = x._values;
  const out = new Float32Array(v.length);
  forEachSlice(x.shape, dim, (base, stride, size) => {
    let max = -Infinity;
    for (let k = 0; k < size; k++) max = Math.max(max, v[base + k * stride]);
    let sum = 0;
    for (let k = 0; k < size; k++) sum += Math.exp(v[base + k * stride] - max);
    const logSum = Math.log(sum);
    for (let k = 0; k < size; k++) {
      const z = v[base + k * stride] - max;
      out[base + k * stride] = log ? z - logSum : Math.exp(z) / sum;
    }
  });
  return Tensor._make(out, x.shape.slice());
}

export const Softmax = defineOp<{ dim: number }>({
  name: "SoftmaxBackward0",
  forward(ctx, [x], { dim }) {
    const y = softmaxForward(x, dim, false);
    ctx.save(y);
    return y;
  },
  // dx = y ⊙ (g − Σ g⊙y)
  backward(ctx, [g], { dim }) {
    const [y] = ctx.saved;
    const Y = y!._values;
    const G = g._values;
    const out = new Float32Array(Y.length);
    forEachSlice(y!.shape, dim, (base, stride, size) => {
      let dotGY = 0;
      for (let k = 0; k < size; k++) dotGY += G[base + k * stride] * Y[base + k * stride];
      for (let k = 0; k < size; k++) out[base + k * stride] = Y[base + k * stride] * (G[base + k * stride] - dotGY);
    });
    return [Tensor._make(out, y!.shape.slice())];
  },
  graphBackward(ctx, [g], { dim }) {
    const y = ctx.saved[0]!;
    return [y.mul(g.sub(g.mul(y).sum(dim, true)))];
  },
});

export const LogSoftmax = defineOp<{ dim: number }>({
  name: "LogSoftmaxBackward0",
  forward(ctx, [x], { dim }) {
    const y = softmaxForward(x, dim, true);
    ctx.save(y);
    return y;
  },
  // dx = g − softmax(x) · Σ g
  backward(ctx, [g], { dim }) {
    const [y] = ctx.saved;
    const Y = y!._values;
    const G = g._values;
    const out = new Float32Array(Y.length);
    forEachSlice(y!.shape, dim, (base, stride, size) => {
      let sumG = 0;
      for (let k = 0; k < size; k++) sumG += G[base + k * stride];
      for (let k = 0; k < size; k++) out[base + k * stride] = G[base + k * stride] - Math.exp(Y[base + k * stride]) * sumG;
    });
    return [Tensor._make(out, y!.shape.slice())];
  },
  graphBackward(ctx, [g], { dim }) {
    const y = ctx.saved[0]!;
    return [g.sub(y.exp().mul(g.sum(dim, true)))];
  },
});

export function softmax(x: Tensor, dim: number): Tensor {
  return traced("softmax", [x], () => {
    return Softmax.apply([x.float()], { dim: normalizeDim(dim, x.shape.length) });
  });
}
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return traced("logSoftmax", [x], () => {
    return LogSoftmax.apply([x.float()], { dim: normalizeDim(dim, x.shape.length) });
  });
}
