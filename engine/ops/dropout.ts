/**
 * Dropout as PyTorch 1.13 does it on the CPU: a noise tensor of Bernoulli(1 − p) draws from the
 * global generator (one per element, or one per channel for the feature dropouts), divided by
 * 1 − p, multiplied into the input (`MulBackward0`, the noise needing no gradient). After
 * `torch.manualSeed` the masks are PyTorch's. In eval mode, or with p = 0, the input itself
 * comes back.
 */
import { traced } from "../autograd/apply";
import { Tensor } from "../tensor";
import { ValueError } from "../errors";
import { fillBernoulli } from "../random";
import { mul } from "./binary";

function checkP(p: number): void {
  if (!(p >= 0 && p <= 1))
    throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`, {
      kind: "invalidArgument",
      argument: "p",
    });
}

/** input ⊙ Bernoulli(1 − p)/(1 − p), the noise of `noiseShape` broadcast over the input. */
function dropWith(input: Tensor, p: number, training: boolean, noiseShape: number[]): Tensor {
  checkP(p);
  if (p === 0 || !training || input.numel() === 0) return input;
  if (p === 1) return mul(input, Tensor._make(new Float32Array(1), []));
  const noise = new Float32Array(noiseShape.reduce((a, b) => a * b, 1));
  fillBernoulli(noise, 1 - p);
  const keep = Math.fround(1 - p);
  for (let i = 0; i < noise.length; i++) noise[i] = noise[i] / keep;
  return mul(input, Tensor._make(noise, noiseShape));
}

/**
 * Zeroes each element with probability p and scales the rest by 1/(1 − p) (PyTorch's
 * `F.dropout`; `training` defaults to true, as there).
 */
export function dropout(input: Tensor, p = 0.5, training = true): Tensor {
  return traced("dropout", [input], () => {
    return dropWith(input, p, training, input.shape.slice());
  });
}

/**
 * Zeroes whole channels (dim 1 of [N, C, *]) with probability p (PyTorch's feature dropout,
 * behind `F.dropout1d` and `F.dropout2d`).
 */
export function featureDropout(input: Tensor, p = 0.5, training = true): Tensor {
  return dropWith(input, p, training, [
    input.shape[0],
    input.shape[1],
    ...input.shape.slice(2).map(() => 1),
  ]);
}

/** Channel dropout of [N, C, H, W] (PyTorch's `F.dropout2d`); a 3-D input is read as [N, C, L], as PyTorch 1.13 does. */
export function dropout2d(input: Tensor, p = 0.5, training = true): Tensor {
  return featureDropout(input, p, training);
}

/** Channel dropout of [N, C, L], or of an unbatched [C, L] (PyTorch's `F.dropout1d`). */
export function dropout1d(input: Tensor, p = 0.5, training = true): Tensor {
  if (input.dim() === 2) return featureDropout(input.unsqueeze(0), p, training).squeeze(0);
  return featureDropout(input, p, training);
}
