/** TF.js's function transforms: `tf.grad(f)` and `tf.valueAndGrad(f)`, each one tape. */
import type { Tensor } from "../tensor";
import { GradientTape } from "./tape";
import { RuntimeError } from "../errors";

type Fn = (x: Tensor) => Tensor;

const NOT_CONNECTED =
  "Cannot compute gradient of y=f(x) with respect to x. Make sure that the f you passed encloses " +
  "all operations that lead from x to y.";

/** `f`'s value at `x` and its gradient (times `dy`, when given), as TF.js's `valueAndGrad`. */
export function valueAndGrad(f: Fn): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const tape = new GradientTape();
    tape.watch(x);
    const value = tape.record(() => f(x));
    const grad = tape.gradient(value, x, dy);
    if (grad === null) throw new RuntimeError(NOT_CONNECTED);
    return { value, grad };
  };
}

/** The function that gives `f`'s gradient at `x` (TF.js's `grad`). */
export function grad(f: Fn): (x: Tensor, dy?: Tensor) => Tensor {
  const both = valueAndGrad(f);
  return (x, dy) => both(x, dy).grad;
}
