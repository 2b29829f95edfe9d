/**
 * Dropout as PyTorch 1.13 runs it on a CPU inside its composite ops (`at::dropout` between
 * recurrent layers, `F.dropout` on attention weights): `input * mask / (1 − p)` with a
 * Bernoulli(1 − p) mask drawn from the generator, so the graph shows `MulBackward0` and the
 * kept elements are PyTorch's after the same `manualSeed`.
 */
import { Tensor } from "../tensor";
import { mul } from "../ops/binary";
import { zeros } from "../factories";
import { fillBernoulli } from "../random";

/** Zeroes each element with probability `p` and scales the rest by 1/(1 − p). */
export function cpuDropout(x: Tensor, p: number): Tensor {
  if (p === 0 || x.numel() === 0) return x;
  if (p === 1) return mul(x, zeros([]));
  const noise = new Float32Array(x.numel());
  fillBernoulli(noise, 1 - p);
  const keep = Math.fround(1 - p);
  for (let i = 0; i < noise.length; i++) noise[i] = Math.fround(noise[i] / keep);
  return mul(x, Tensor._make(noise, x.shape.slice()));
}
