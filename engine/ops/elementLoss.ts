/**
 * Losses computed element by element from input x and target t, then reduced: the binary cross
 * entropies, smooth L1 and Huber. `defineElementLoss` writes the reduction and the two input
 * gradients once; each loss gives its value and its derivatives per element (`i` indexes the
 * per-element weights, already broadcast to the input's shape). A rule that also gives its
 * second derivatives has a recorded backward (higher-order gradients).
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

/** A function of one element of x and t (`i` indexes per-element weights). */
type PerElement<A> = (x: number, t: number, a: A, i: number) => number;

/** The per-element rule of a loss: its value and its derivatives in x and t. */
export interface ElementRule<A> {
  value: PerElement<A>;
  dInput: PerElement<A>;
  dTarget: PerElement<A>;
  /** ∂dInput/∂x, ∂dInput/∂t, ∂dTarget/∂x, ∂dTarget/∂t (for a recorded backward). */
  second?: {
    inputX: PerElement<A>;
    inputT: PerElement<A>;
    targetX: PerElement<A>;
    targetT: PerElement<A>;
  };
}

/** `fn` at every element of x and t, as a tensor of x's shape. */
function perElement<A>(x: Tensor, t: Tensor, fn: PerElement<A>, a: A): Tensor {
  const X = x._values;
  const T = t._values;
  const out = new Float32Array(X.length);
  for (let i = 0; i < X.length; i++) out[i] = fn(X[i], T[i], a, i);
  return Tensor._make(out, x.shape.slice());
}

/**
 * A derivative of the rule (dInput or dTarget) as an op of [x, t], whose gradients are its own
 * partial derivatives: what a recorded backward multiplies the incoming gradient by.
 */
function derivativeOp<A>(
  name: string,
  d: PerElement<A>,
  dx: PerElement<A>,
  dt: PerElement<A>,
): Op<A> {
  return defineOp<A>({
    name: name.replace(/Backward0$/, "BackwardBackward0"),
    forward(ctx, [x, t], a) {
      ctx.save(x, t);
      return perElement(x, t, d, a);
    },
    backward(ctx, [g], a) {
      const [x, t] = ctx.saved as Tensor[];
      return [
        ctx.needsInputGrad[0] ? g.mul(perElement(x, t, dx, a)) : null,
        ctx.needsInputGrad[1] ? g.mul(perElement(x, t, dt, a)) : null,
      ];
    },
  });
}

/** A loss op on [x, t] (same shapes) from its rule; `attrs.reduction` picks the reduction. */
export function defineElementLoss<A extends { reduction: Reduction }>(
  name: string,
  rule: ElementRule<A>,
): Op<A> {
  const second = rule.second;
  const dInput = second && derivativeOp(name, rule.dInput, second.inputX, second.inputT);
  const dTarget = second && derivativeOp(name, rule.dTarget, second.targetX, second.targetT);
  return defineOp<A>({
    name,
    forward(ctx, [x, t], a) {
      ctx.save(x, t);
      const each = perElement(x, t, rule.value, a)._values;
      if (a.reduction === "none") return Tensor._make(each, x.shape.slice());
      let s = 0;
      for (let i = 0; i < each.length; i++) s += each[i];
      return Tensor._make(Float32Array.of(a.reduction === "mean" ? s / each.length : s), []);
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
    graphBackward:
      dInput && dTarget
        ? (ctx, [g], a) => {
            const [x, t] = ctx.saved as Tensor[];
            const scaled = a.reduction === "mean" ? g.div(x.numel()) : g;
            return [
              ctx.needsInputGrad[0] ? scaled.mul(dInput.apply([x, t], a)) : null,
              ctx.needsInputGrad[1] ? scaled.mul(dTarget.apply([x, t], a)) : null,
            ];
          }
        : undefined,
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
