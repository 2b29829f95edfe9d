/**
 * Binary element-wise ops with NumPy broadcasting. Each backward sums its gradient back to
 * the input's shape with `sumTo`, the one place broadcasting is undone.
 */
import { defineOp } from "../autograd/apply";
import { Tensor, TensorLike, DType, asTensor } from "../tensor";
import { binary, map, zip, scale, expandTo, zerosOf, sumTo } from "../tensorKernels";
import type { BinaryKind } from "../kernels/elementwise";
import { broadcastShapes, bracketed, sameShape } from "../shape";
import { sumToRecorded } from "./gradGraph";
import { RuntimeError } from "../errors";

/** PyTorch's type promotion, reduced to our three dtypes: float beats int beats bool. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === "float32" || b === "float32") return "float32";
  if (a === "int64" || b === "int64") return "int64";
  return "bool";
}

/** The dtype of an op on `a` and `b`. */
export function promote(a: Tensor, b: Tensor): DType {
  return promoteTypes(a.dtype, b.dtype);
}

const mulB = (a: Tensor, b: Tensor) => binary("mul", a, b, "float32");

interface Alpha {
  alpha: number;
}

export const Add = defineOp<Alpha>({
  name: "AddBackward0",
  forward(_ctx, [a, b], { alpha }) {
    const out = binary("add", a, alpha === 1 ? b : scale(b, alpha), promote(a, b));
    return out.dtype === "bool" ? map(out, (v) => (v !== 0 ? 1 : 0), "bool") : out; // bools: logical or
  },
  // d(a + αb) = da + α db
  backward: (ctx, [g], { alpha }) => [
    ctx.needsInputGrad[0] ? sumTo(g, ctx.inputShape(0)) : null,
    ctx.needsInputGrad[1] ? sumTo(alpha === 1 ? g : scale(g, alpha), ctx.inputShape(1)) : null,
  ],
  graphBackward: (ctx, [g], { alpha }) => [
    ctx.needsInputGrad[0] ? sumToRecorded(g, ctx.inputShape(0)) : null,
    ctx.needsInputGrad[1] ? sumToRecorded(alpha === 1 ? g : g.mul(alpha), ctx.inputShape(1)) : null,
  ],
});

export const Sub = defineOp<Alpha>({
  name: "SubBackward0",
  forward: (_ctx, [a, b], { alpha }) => binary("sub", a, alpha === 1 ? b : scale(b, alpha), promote(a, b)),
  // d(a - αb) = da - α db
  backward: (ctx, [g], { alpha }) => [
    ctx.needsInputGrad[0] ? sumTo(g, ctx.inputShape(0)) : null,
    ctx.needsInputGrad[1] ? sumTo(scale(g, -alpha), ctx.inputShape(1)) : null,
  ],
  graphBackward: (ctx, [g], { alpha }) => [
    ctx.needsInputGrad[0] ? sumToRecorded(g, ctx.inputShape(0)) : null,
    ctx.needsInputGrad[1] ? sumToRecorded(g.mul(-alpha), ctx.inputShape(1)) : null,
  ],
});

/**
 * `other - α·x` for a number `other`: Python's `2 - x` (`Tensor.__rsub__`) and
 * `torch.rsub(x, 2)`. One edge, as PyTorch's rsub.Scalar. The number is cast to the
 * tensor's type first, as PyTorch does (0.1 is float32's 0.1).
 */
export const RsubScalar = defineOp<{ other: number; alpha: number }>({
  name: "RsubBackward1",
  forward(_ctx, [a], { other, alpha }) {
    const ints = a.dtype !== "float32" && Number.isInteger(other) && Number.isInteger(alpha);
    const c = ints ? other : Math.fround(other);
    return map(a, (x) => c - alpha * x, ints ? "int64" : "float32");
  },
  // d(c - αx) = -α dx
  backward: (_ctx, [g], { alpha }) => [scale(g, -alpha)],
});

export const Mul = defineOp({
  name: "MulBackward0",
  forward(ctx, [a, b]) {
    // Save only what a gradient needs, so an in-place change to the other is no error.
    ctx.save(ctx.needsInputGrad[1] ? a : null, ctx.needsInputGrad[0] ? b : null);
    return binary("mul", a, b, promote(a, b));
  },
  // d(ab) = b da + a db
  backward(ctx, [g]) {
    const [a, b] = ctx.saved;
    return [
      ctx.needsInputGrad[0] ? sumTo(mulB(g, b!), ctx.inputShape(0)) : null,
      ctx.needsInputGrad[1] ? sumTo(mulB(g, a!), ctx.inputShape(1)) : null,
    ];
  },
  graphBackward(ctx, [g]) {
    const [a, b] = ctx.saved;
    return [
      ctx.needsInputGrad[0] ? sumToRecorded(g.mul(b!), ctx.inputShape(0)) : null,
      ctx.needsInputGrad[1] ? sumToRecorded(g.mul(a!), ctx.inputShape(1)) : null,
    ];
  },
});

export const Div = defineOp({
  name: "DivBackward0",
  forward(ctx, [a, b]) {
    ctx.save(ctx.needsInputGrad[1] ? a : null, b);
    return binary("div", a, b, "float32");
  },
  // d(a/b) = da / b - a db / b²
  backward(ctx, [g]) {
    const [a, b] = ctx.saved;
    const gOverB = binary("div", g, b!, "float32");
    return [
      ctx.needsInputGrad[0] ? sumTo(gOverB, ctx.inputShape(0)) : null,
      ctx.needsInputGrad[1]
        ? sumTo(scale(binary("div", mulB(gOverB, a!), b!, "float32"), -1), ctx.inputShape(1))
        : null,
    ];
  },
  graphBackward(ctx, [g]) {
    const [a, b] = ctx.saved;
    const gOverB = g.div(b!);
    return [
      ctx.needsInputGrad[0] ? sumToRecorded(gOverB, ctx.inputShape(0)) : null,
      ctx.needsInputGrad[1] ? sumToRecorded(gOverB.mul(a!).div(b!).neg(), ctx.inputShape(1)) : null,
    ];
  },
});

/** x ** p for a number p: the exponent is an attribute, so the node has one edge. */
export const PowScalar = defineOp<{ exponent: number }>({
  name: "PowBackward0",
  forward(ctx, [a], { exponent }) {
    if (a.dtype !== "float32" && Number.isInteger(exponent) && exponent < 0) {
      throw new RuntimeError("Integers to negative integer powers are not allowed.");
    }
    ctx.save(a);
    const out = map(a, (x) => Math.pow(x, exponent));
    return a.dtype === "int64" && Number.isInteger(exponent) && exponent >= 0 ? Tensor._make(out._values, out.shape, "int64") : out;
  },
  // d(xᵖ) = p xᵖ⁻¹ dx   NOTE: p = 0 gives a zero gradient, also at x = 0 (PyTorch's rule).
  backward(ctx, [g], { exponent: p }) {
    const [a] = ctx.saved;
    if (p === 0) return [scale(g, 0)];
    return [zip(g, a!, (gi, x) => gi * p * Math.pow(x, p - 1))];
  },
  graphBackward(ctx, [g], { exponent: p }) {
    const [a] = ctx.saved;
    return [p === 0 ? g.mul(0) : g.mul(a!.pow(p - 1).mul(p))];
  },
});

/** c ** x for a number base c (`torch.pow(2, x)`): one edge, to the exponent. */
export const PowScalarBase = defineOp<{ base: number }>({
  name: "PowBackward2",
  forward(ctx, [x], { base }) {
    const out = map(x, (v) => Math.pow(base, v), x.dtype === "int64" && Number.isInteger(base) ? "int64" : "float32");
    ctx.save(base === 0 ? x : null, out);
    return out;
  },
  // d(cˣ) = cˣ ln(c) dx   NOTE: 0 where c = 0 and x ≥ 0, as PyTorch masks it.
  backward(ctx, [g], { base }) {
    const [x, out] = ctx.saved as Tensor[];
    const d = zip(g, out, (gi, y) => gi * y * Math.log(base));
    return [base === 0 ? zip(d, x, (di, xi) => (xi >= 0 ? 0 : di)) : d];
  },
  graphBackward(ctx, [g], { base }) {
    const [x, out] = ctx.saved as Tensor[];
    const d = g.mul(out).mul(Math.log(base));
    return [base === 0 ? d.mul(map(x, (xi) => (xi >= 0 ? 0 : 1))) : d];
  },
});

/** x ** y with a tensor exponent. */
export const PowTensor = defineOp({
  name: "PowBackward1",
  forward(ctx, [a, b]) {
    const out = binary("pow", a, b, promote(a, b));
    ctx.save(a, b, out);
    return out;
  },
  // d(aᵇ) = b aᵇ⁻¹ da + aᵇ ln(a) db   NOTE: the db term is 0 where a = 0 and b ≥ 0.
  backward(ctx, [g]) {
    const [a, b, out] = ctx.saved as Tensor[];
    const ga = ctx.needsInputGrad[0]
      ? sumTo(mulB(g, binary("mul", b, binary("pow", a, binary("sub", b, asTensor(1), "float32"), "float32"), "float32")), ctx.inputShape(0))
      : null;
    let gb: Tensor | null = null;
    if (ctx.needsInputGrad[1]) {
      const bb = binary("add", b, scale(out, 0), "float32"); // b broadcast to the output's shape
      const aa = binary("add", a, scale(out, 0), "float32");
      const d = Tensor._make(new Float32Array(out.numel()), out.shape.slice());
      for (let i = 0; i < d._values.length; i++) {
        const x = aa._values[i];
        d._values[i] = x === 0 && bb._values[i] >= 0 ? 0 : out._values[i] * Math.log(x);
      }
      gb = sumTo(mulB(g, d), ctx.inputShape(1));
    }
    return [ga, gb];
  },
  // NOTE: the db term's mask (a = 0 and b ≥ 0) is a constant
  graphBackward(ctx, [g]) {
    const [a, b, out] = ctx.saved as Tensor[];
    const ga = ctx.needsInputGrad[0] ? sumToRecorded(g.mul(b.mul(a.pow(b.sub(1)))), ctx.inputShape(0)) : null;
    if (!ctx.needsInputGrad[1]) return [ga, null];
    const either = binary("add", binary("ne", a, asTensor(0), "float32"), binary("lt", b, asTensor(0), "float32"), "float32");
    const keep = binary("gt", either, asTensor(0), "bool");
    const logA = a.mul(keep).add(binary("eq", keep, asTensor(0), "float32")).log(); // log 1 = 0 where masked
    return [ga, sumToRecorded(g.mul(out.mul(logA)), ctx.inputShape(1))];
  },
});

/** Element-wise max/min; a tie splits the gradient in half, as PyTorch does. */
function extremeOp(kind: "maximum" | "minimum", name: string) {
  /** Which share of the gradient goes to a and to b (constants: 1, ½ on ties, 0). */
  const shares = (a: Tensor, b: Tensor): [Tensor, Tensor] => {
    const wins = binary(kind === "maximum" ? "gt" : "lt", a, b, "float32");
    const shareA = binary("add", wins, scale(binary("eq", a, b, "float32"), 0.5), "float32");
    return [shareA, map(shareA, (w) => 1 - w)];
  };
  return defineOp({
    name,
    forward(ctx, [a, b]) {
      ctx.save(a, b);
      return binary(kind, a, b, promote(a, b));
    },
    backward(ctx, [g]) {
      const [shareA, shareB] = shares(...(ctx.saved as [Tensor, Tensor]));
      return [
        ctx.needsInputGrad[0] ? sumTo(mulB(g, shareA), ctx.inputShape(0)) : null,
        ctx.needsInputGrad[1] ? sumTo(mulB(g, shareB), ctx.inputShape(1)) : null,
      ];
    },
    graphBackward(ctx, [g]) {
      const [shareA, shareB] = shares(...(ctx.saved as [Tensor, Tensor]));
      return [
        ctx.needsInputGrad[0] ? sumToRecorded(g.mul(shareA), ctx.inputShape(0)) : null,
        ctx.needsInputGrad[1] ? sumToRecorded(g.mul(shareB), ctx.inputShape(1)) : null,
      ];
    },
  });
}
export const Maximum = extremeOp("maximum", "MaximumBackward0");
export const Minimum = extremeOp("minimum", "MinimumBackward0");

/** `self.copy_(src)`: src broadcast to self's shape and dtype; self's old values get no gradient. */
export const Copy = defineOp({
  name: "CopyBackwards",
  forward(_ctx, [self, src]) {
    const shape = broadcastShapes(self.shape, src.shape);
    if (!sameShape(shape, self.shape)) {
      throw new RuntimeError(`output with shape ${bracketed(self.shape)} doesn't match the broadcast shape ${bracketed(shape)}`);
    }
    const out = expandTo(src, self.shape);
    // NOTE: to an int tensor, values are truncated toward zero; to bool, nonzero is true
    if (self.dtype === "float32" || src.dtype === self.dtype) return Tensor._make(out._values, out.shape, self.dtype);
    return map(out, self.dtype === "int64" ? Math.trunc : (v) => Number(v !== 0), self.dtype);
  },
  backward: (ctx, [g]) => [
    ctx.needsInputGrad[0] ? zerosOf(g.shape) : null,
    ctx.needsInputGrad[1] ? sumTo(g, ctx.inputShape(1)) : null,
  ],
});

export const add = (a: TensorLike, b: TensorLike, alpha = 1) => Add.apply([asTensor(a), asTensor(b)], { alpha });
export function sub(a: TensorLike, b: TensorLike, alpha = 1): Tensor {
  const [x, y] = [asTensor(a), asTensor(b)];
  if (x.dtype === "bool" && y.dtype === "bool") {
    throw new RuntimeError(
      "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.",
    );
  }
  return Sub.apply([x, y], { alpha });
}
/** `other - α·x` (`torch.rsub`): a tensor `other` is `sub(other, x, α)`. */
export function rsub(x: Tensor, other: TensorLike, alpha = 1): Tensor {
  return typeof other === "number" ? RsubScalar.apply([x], { other, alpha }) : sub(other, x, alpha);
}
export const mul = (a: TensorLike, b: TensorLike) => Mul.apply([asTensor(a), asTensor(b)], undefined);
export const div = (a: TensorLike, b: TensorLike) => Div.apply([asTensor(a), asTensor(b)], undefined);
export const maximum = (a: TensorLike, b: TensorLike) => Maximum.apply([asTensor(a), asTensor(b)], undefined);
export const minimum = (a: TensorLike, b: TensorLike) => Minimum.apply([asTensor(a), asTensor(b)], undefined);
export function pow(a: TensorLike, exponent: TensorLike): Tensor {
  if (typeof exponent === "number") return PowScalar.apply([asTensor(a)], { exponent });
  if (typeof a === "number") return PowScalarBase.apply([exponent], { base: a });
  return PowTensor.apply([a, exponent], undefined);
}

/** Comparisons give bool tensors and record nothing (they have no gradient). */
export function compare(kind: Extract<BinaryKind, "gt" | "lt" | "ge" | "le" | "eq" | "ne">, a: TensorLike, b: TensorLike): Tensor {
  return binary(kind, asTensor(a), asTensor(b), "bool");
}
