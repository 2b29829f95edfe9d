/** `nn.Linear` (and `nn.Identity`), with PyTorch's weight shape and default initialisation. */
import { Tensor } from "../tensor";
import { Module, Parameter } from "./module";
import { kaimingUniform_, uniform_, calculateFanInAndFanOut } from "./init";
import { linear } from "./functional";
import { PositionalOr, optionsFrom } from "./positional";

/** An uninitialised parameter of `shape` (filled by `resetParameters`). */
export function emptyParameter(shape: number[]): Parameter {
  return new Parameter(Tensor._make(new Float32Array(shape.reduce((p, q) => p * q, 1)), shape));
}

/**
 * Kaiming-uniform weight with a = √5 (bound 1/√fan_in), then the bias uniform in ±1/√fan_in:
 * PyTorch's `reset_parameters` of Linear and the conv layers, in its draw order.
 */
export function resetWeightAndBias(weight: Parameter, bias: Parameter | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (!bias) return;
  const [fanIn] = calculateFanInAndFanOut(weight);
  if (fanIn > 0) uniform_(bias, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn));
}

/**
 * y = x·Wᵀ + b, with weight [outFeatures, inFeatures] and bias [outFeatures] (PyTorch's
 * `nn.Linear`). On a 2-D input the output's gradFn is `AddmmBackward0`.
 * `bias` is PyTorch's positional parameter or an option: `new nn.Linear(3, 2, false)`.
 * @example torch.manualSeed(0); const fc = new nn.Linear(3, 2);   // PyTorch's numbers
 */
export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(
    inFeatures: number,
    outFeatures: number,
    ...args: PositionalOr<[bias: boolean], { bias?: boolean }>
  ) {
    super();
    const { bias = true } = optionsFrom<{ bias?: boolean }>("Linear.__init__", ["bias"], args);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = emptyParameter([outFeatures, inFeatures]);
    this.bias = bias ? emptyParameter([outFeatures]) : null;
    this.resetParameters();
  }

  /** Draws fresh initial values (PyTorch's `reset_parameters`). */
  resetParameters(): void {
    resetWeightAndBias(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? "True" : "False"}`;
  }
}

/** Returns its input unchanged (PyTorch's `nn.Identity`), e.g. as a placeholder layer. */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}
