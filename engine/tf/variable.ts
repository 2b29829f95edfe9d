/**
 * `tf.Variable`: a tensor whose value changes only through `assign*`, watched by every
 * GradientTape while it records (when trainable), and by nothing outside one.
 */
import { Tensor, type DType } from "../tensor";
import { type NestedData } from "../factories";
import { constant } from "./ops";
import { noGrad } from "../autograd/gradMode";
import { isTapeRecording } from "./recording";

export interface VariableOptions {
  trainable?: boolean;
  dtype?: DType;
}

export class Variable extends Tensor {
  readonly trainable: boolean;

  constructor(initialValue: Tensor | NestedData, options: VariableOptions = {}) {
    const init = initialValue instanceof Tensor && !options.dtype ? initialValue : constant(initialValue, options.dtype);
    super(init._values.slice(), init.shape.slice(), init.dtype);
    this.trainable = options.trainable ?? true;
  }

  /** Recorded only inside a tape: TensorFlow's tapes, not the tensor, decide what is recorded. */
  override get requiresGrad(): boolean {
    return this.trainable && this.dtype === "float32" && isTapeRecording();
  }
  override set requiresGrad(_value: boolean) {
    throw new TypeError("a tf.Variable is watched by a GradientTape when trainable: set trainable when creating it");
  }

  /** Sets the value in place (the shape stays); returns this Variable. */
  assign(value: Tensor | NestedData): this {
    noGrad(() => this.copy_(asValue(value)));
    return this;
  }
  assignAdd(delta: Tensor | NestedData): this {
    noGrad(() => this.add_(asValue(delta)));
    return this;
  }
  assignSub(delta: Tensor | NestedData): this {
    noGrad(() => this.sub_(asValue(delta)));
    return this;
  }
}

function asValue(v: Tensor | NestedData): Tensor {
  return v instanceof Tensor ? v : constant(v);
}
