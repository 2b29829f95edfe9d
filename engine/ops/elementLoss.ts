/**
 * Losses computed element by element from input x and target t, then reduced: the binary cross
 * entropies, smooth L1 and Huber. `defineElementLoss` writes the reduction and the two input
 * gradients once; each loss gives its value and its derivatives per element (`i` indexes the
 * per-element weights, already broadcast to the input's shape).
 */
import { defineOp, Op } from "../autograd/apply";
import { Tensor } from "../tensor";
import { ValueError } from "../errors";
import { sameShape, torchSize } from "../shape";

/** How a loss reduces over elements (PyTorch's `reduction`). */
export type Reduction = "mean" | "sum" | "none";

export function checkReduction(r: string): void {
  if (r !== "mean" && r !== "sum" && r !== "none")
    throw new ValueError(`${r} is not a valid value for reduction`);
}

/** The per-element rule of a loss: its value and its derivatives in x and t. */
export interface ElementRule<A> {
  value(x: number, t: number, a: A, i: number): number;
  dInput(x: number, t: number, a: A, i: number): number;
  dTarget(x: number, t: number, a: A, i: number): number;
}

/** A loss op on [x, t] (same shapes) from its rule; `attrs.reduction` picks the reduction. */
export function defineElementLoss<A extends { reduction: Reduction }>(
  name: string,
  rule: ElementRule<A>,
): Op<A> {
  return defineOp<A>({
    name,
    forward(ctx, [x, t], a) {
      ctx.save(x, t);
      const X = x._values;
      const T = t._values;
      const each = new Float32Array(X.length);
      for (let i = 0; i < X.length; i++) each[i] = rule.value(X[i], T[i], a, i);
      if (a.reduction === "none") return Tensor._make(each, x.shape.slice());
      let s = 0;
      for (let i = 0; i < each.length; i++) s += each[i];
      return Tensor._make(Float32Array.of(a.reduction === "mean" ? s / X.length : s), []);
    },
    backward(ctx, [g], a) {
      const [x, t] = ctx.saved as Tensor[];
      const X = x._values;
      const T = t._values;
      const G = g._values;
      const scale = a.reduction === "mean" ? 1 / X.length : 1;
      const gradOf = (d: (x: number, t: number, a: A, i: number) => number): Tensor => {
        const out = new Float32Array(X.length);
        for (let i = 0; i < X.length; i++)
          out[i] = d(X[i], T[i], a, i) * (a.reduction === "none" ? G[i] : G[0] * scale);
        return Tensor._make(out, x.shape.slice());
      };
      return [
        ctx.needsInputGrad[0] ? gradOf(rule.dInput) : null,
        ctx.needsInputGrad[1] ? gradOf(rule.dTarget) : null,
      ];
    },
  });
}

/** PyTorch's warning when a regression loss's target and input sizes differ (they broadcast). */
export function warnIfSizesDiffer(input: Tensor, target: Tensor): void {
  if (sameShape(input.shape, target.shape)) return;
  // the engine has no console type (it also runs in workers); PyTorch warns here
  (globalThis as { console?: { warn(message: string): void } }).console?.warn(
    `UserWarning: Using a target size (${torchSize(target.shape)}) that is different to the input size (${torchSize(input.shape)}). ` +
      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
  );
}
