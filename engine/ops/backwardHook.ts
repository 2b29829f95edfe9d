/**
 * The identity op PyTorch puts around a module that has full backward hooks
 * (`BackwardHookFunctionBackward`): its outputs are its inputs, and its backward hands the
 * gradients to `onBackward`, which may replace them.
 */
import { defineOp } from "../autograd/apply";
import type { Tensor } from "../tensor";

export interface BackwardHookAttrs {
  /** Sees the gradients of the outputs; returns the gradients to pass on to the inputs. */
  onBackward(grads: Tensor[]): (Tensor | null)[];
}

export const BackwardHookFunction = defineOp<BackwardHookAttrs>({
  name: "BackwardHookFunctionBackward",
  forward: (_ctx, inputs) => inputs.slice(), // apply gives each output its own tensor object
  backward: (_ctx, grads, { onBackward }) => onBackward(grads),
});
