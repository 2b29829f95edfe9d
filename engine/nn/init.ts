/**
 * Parameter initialisation (`torch.nn.init`), drawing from the engine's PyTorch-exact
 * generator, so that after `torch.manualSeed(s)` a layer gets PyTorch's very numbers. Every
 * function fills the tensor in place without recording a graph and returns it.
 */
import { Tensor } from "../tensor";
import { fillNormal, fillUniform } from "../random";
import { ValueError } from "../errors";

/** [fan_in, fan_out] of a weight: size(1)·receptive field and size(0)·receptive field. */
export function calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.dim() < 2)
    throw new ValueError(
      "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
    );
  const receptive = t.shape.slice(2).reduce((p, q) => p * q, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

/** Nonlinearities `calculateGain` knows, by PyTorch's names. */
export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" | "conv_transpose3d"
  | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu"; // prettier-ignore

/** The recommended gain for a nonlinearity (PyTorch's `calculate_gain`). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leaky_relu": {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope ** 2));
    }
    case "selu":
      return 3 / 4;
    default:
      return 1;
  }
}

/** Marks an in-place change (saved-tensor checks see it, as PyTorch's version counter). */
function touched(t: Tensor): Tensor {
  t._versionCounter.n++;
  return t;
}

/** Fills with U(a, b) (PyTorch's `uniform_`). */
export function uniform_(t: Tensor, a = 0, b = 1): Tensor {
  fillUniform(t._values, a, b);
  return touched(t);
}

/** Fills with N(mean, std²) (PyTorch's `normal_`). */
export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  fillNormal(t._values, mean, std);
  return touched(t);
}

/** Fills with `value`. */
export function constant_(t: Tensor, value: number): Tensor {
  t._values.fill(value);
  return touched(t);
}

/** Fills with zeros. */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills with ones. */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

function correctFan(t: Tensor, mode: "fan_in" | "fan_out"): number {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return mode === "fan_in" ? fanIn : fanOut;
}

/** Options of the Kaiming initialisers. */
export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (√5 in PyTorch's layer defaults). */
  a?: number;
  mode?: "fan_in" | "fan_out";
  nonlinearity?: Nonlinearity;
}

/**
 * He initialisation: U(−bound, bound) with bound = gain·√(3/fan) (PyTorch's `kaiming_uniform_`).
 * Layers use it with a = √5, which makes bound = 1/√fan_in.
 */
export function kaimingUniform_(
  t: Tensor,
  { a = 0, mode = "fan_in", nonlinearity = "leaky_relu" }: KaimingOptions = {},
): Tensor {
  if (t.numel() === 0) return t; // PyTorch warns and leaves an empty tensor alone
  const std = calculateGain(nonlinearity, a) / Math.sqrt(correctFan(t, mode));
  const bound = Math.sqrt(3) * std;
  return uniform_(t, -bound, bound);
}

/** He initialisation with N(0, (gain/√fan)²) (PyTorch's `kaiming_normal_`). */
export function kaimingNormal_(
  t: Tensor,
  { a = 0, mode = "fan_in", nonlinearity = "leaky_relu" }: KaimingOptions = {},
): Tensor {
  if (t.numel() === 0) return t;
  return normal_(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(correctFan(t, mode)));
}

/** Glorot initialisation: U(−a, a), a = gain·√(6/(fan_in + fan_out)) (PyTorch's `xavier_uniform_`). */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  const a = Math.sqrt(3) * gain * Math.sqrt(2 / (fanIn + fanOut));
  return uniform_(t, -a, a);
}

/** Glorot initialisation with N(0, gain²·2/(fan_in + fan_out)) (PyTorch's `xavier_normal_`). */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  const [fanIn, fanOut] = calculateFanInAndFanOut(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)));
}
