/**
 * Index-driven copies along one dim: `gather`, `scatter` (a source tensor or a value),
 * `scatterAdd`, `indexSelect` and `indexAdd`. Each returns a new tensor; the index tensors are
 * attributes, not inputs, so the graph has an edge only to what can carry a gradient, as in
 * PyTorch (`GatherBackward0` has one). Each backward is the adjoint copy: a gather's gradient
 * is scattered back with adds, a scatter's is gathered.
 */
import { defineOp, traced } from "../autograd/apply";
import { Tensor, TensorLike } from "../tensor";
import { IndexError, RuntimeError } from "../errors";
import { Shape, bracketed, normalizeDim, numelOf } from "../shape";
import { gatherAlong, scatterAlong } from "../kernels/alongDim";
import { gather as gatherMapped, scatter as scatterMapped, IndexMaps } from "../kernels/indexmap";
import { scale, zerosOf } from "../kernels/elementwise";

interface AlongDim {
  dim: number;
  index: Tensor;
}

/** `index 5 is out of bounds for dimension 0 with size 3` for the first bad value. */
function checkInBounds(index: Tensor, size: number, dim: number): void {
  for (const v of index._values) {
    if (v < 0 || v >= size)
      throw new RuntimeError(`index ${v} is out of bounds for dimension ${dim} with size ${size}`, {
        kind: "indexOutOfRange",
        index: v,
        size,
        dim,
      });
  }
}

/** ATen's gather/scatter shape check: index no larger than self (but along dim) and src. */
function checkShapes(
  fn: "gather" | "scatter",
  self: Shape,
  index: Tensor,
  dim: number,
  src: Shape | null,
): void {
  if (index.dtype !== "int64") throw new RuntimeError(`${fn}(): Expected dtype int64 for index`);
  const nd = Math.max(self.length, 1);
  if (Math.max(index.shape.length, 1) !== nd) {
    const what = fn === "gather" ? "input tensor" : "self tensor";
    throw new RuntimeError(`Index tensor must have the same number of dimensions as ${what}`);
  }
  const i = index.shape;
  for (let d = 0; d < index.shape.length; d++) {
    const tooBig = (d !== dim && i[d] > self[d]) || (src !== null && i[d] > src[d]);
    if (!tooBig) continue;
    if (fn === "gather") {
      throw new RuntimeError(
        `Size does not match at dimension ${d} expected index ${bracketed(i)} to be smaller than self ${bracketed(self)} apart from dimension ${dim}`,
      );
    }
    throw new RuntimeError(
      `Expected index ${bracketed(i)} to be smaller than self ${bracketed(self)} apart from dimension ${dim} and to be smaller size than src ${bracketed(src ?? self)}`,
    );
  }
  checkInBounds(index, self.length === 0 ? 1 : self[dim], dim);
}

/** out[i][j] = x[index[i][j]][j] (dim 0): the values at `index` along `dim`. */
const Gather = defineOp<AlongDim>({
  name: "GatherBackward0",
  check: ([x], { dim, index }) => checkShapes("gather", x.shape, index, dim, null),
  forward: (_ctx, [x], { dim, index }) =>
    Tensor._make(
      gatherAlong(x._values, x.shape, index._values, index.shape, dim),
      index.shape.slice(),
      x.dtype,
    ),
  // each gathered value's gradient goes back to where it came from, added where it repeats
  backward(ctx, [g], { dim, index }) {
    const out = zerosOf(ctx.inputShape(0));
    scatterAlong(
      out._values,
      out.shape,
      index._values,
      index.shape,
      g._values,
      g.shape,
      dim,
      "add",
    );
    return [out];
  },
});

const scatterOp = (name: string, mode: "set" | "add") =>
  defineOp<AlongDim>({
    name,
    check: ([x, src], { dim, index }) => checkShapes("scatter", x.shape, index, dim, src.shape),
    forward(_ctx, [x, src], { dim, index }) {
      const out = x._values.slice();
      scatterAlong(out, x.shape, index._values, index.shape, src._values, src.shape, dim, mode);
      return Tensor._make(out, x.shape.slice(), x.dtype);
    },
    // set: overwritten places of self get no gradient; add: self's gradient passes whole
    backward(ctx, [g], attrs) {
      let self: Tensor | null = null;
      if (ctx.needsInputGrad[0]) {
        self = g;
        if (mode === "set") {
          const values = g._values.slice();
          scatterAlong(
            values,
            g.shape,
            attrs.index._values,
            attrs.index.shape,
            0,
            attrs.index.shape,
            attrs.dim,
            "set",
          );
          self = Tensor._make(values, g.shape.slice());
        }
      }
      // NOTE: src's gradient has the index's shape, as PyTorch's (so a larger src is an error there too)
      const { dim, index } = attrs;
      const src = ctx.needsInputGrad[1]
        ? Tensor._make(
            gatherAlong(g._values, g.shape, index._values, index.shape, dim),
            index.shape.slice(),
          )
        : null;
      return [self, src];
    },
  });
const Scatter = scatterOp("ScatterBackward0", "set");
const ScatterAdd = scatterOp("ScatterAddBackward0", "add");

/** `scatter` of one value: `ScatterBackward1`, whose only edge is to self. */
const ScatterValue = defineOp<AlongDim & { value: number }>({
  name: "ScatterBackward1",
  check: ([x], { dim, index }) => checkShapes("scatter", x.shape, index, dim, null),
  forward(_ctx, [x], { dim, index, value }) {
    const out = x._values.slice();
    const v =
      x.dtype === "int64" ? Math.trunc(value) : x.dtype === "bool" ? Number(value !== 0) : value;
    scatterAlong(out, x.shape, index._values, index.shape, v, index.shape, dim, "set");
    return Tensor._make(out, x.shape.slice(), x.dtype);
  },
  backward(_ctx, [g], { dim, index }) {
    const values = g._values.slice();
    scatterAlong(values, g.shape, index._values, index.shape, 0, index.shape, dim, "set");
    return [Tensor._make(values, g.shape.slice())];
  },
});

/** The values of `x` at `index` along `dim` (PyTorch's `torch.gather`); the output has index's shape. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  return traced("gather", [x, index], () => {
    return Gather.apply([x], { dim: normalizeDim(dim, x.shape.length), index });
  });
}

/** A copy of `x` with `src` (or one value) written at `index` along `dim` (`torch.scatter`). */
export function scatter(x: Tensor, dim: number, index: Tensor, src: TensorLike): Tensor {
  return traced("scatter", [x, index, src], () => {
    const d = normalizeDim(dim, x.shape.length);
    if (typeof src === "number") return ScatterValue.apply([x], { dim: d, index, value: src });
    return Scatter.apply([x, src], { dim: d, index });
  });
}

/** A copy of `x` with `src` added at `index` along `dim`, repeats adding up (`torch.scatter_add`). */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return ScatterAdd.apply([x, src], { dim: normalizeDim(dim, x.shape.length), index });
}

/** The map along `dim` that an index vector gives (other dims: the identity). */
function mapsAlong(ndim: number, dim: number, index: Tensor): IndexMaps {
  return Array.from({ length: ndim }, (_, d) =>
    d === dim ? Int32Array.from(index._values) : null,
  );
}

/**
 * ATen's checks of an index vector for `fn` along `dim` of size `size`. NOTE: PyTorch 1.13
 * takes no negative indices here, and its CPU index_select words the range error in two ways.
 */
function checkIndexVector(fn: string, index: Tensor, x: Tensor, dim: number): void {
  if (index.dtype !== "int64")
    throw new RuntimeError(`${fn}(): Expected dtype int32 or int64 for index`);
  if (index.shape.length > 1) throw new IndexError(`${fn}(): Index is supposed to be a vector`);
  const size = x.shape.length === 0 ? 1 : x.shape[dim];
  const bad = index._values.find((v) => v < 0 || v >= size);
  if (bad === undefined) return;
  if (fn === "index_select" && x.shape.length > 1 && dim > 0) {
    throw new RuntimeError(`INDICES element is out of DATA bounds, id=${bad} axis_dim=${size}`);
  }
  throw new IndexError("index out of range in self", { kind: "indexOutOfRange", index: bad, size, dim });
}

const IndexSelect = defineOp<AlongDim>({
  name: "IndexSelectBackward0",
  forward(_ctx, [x], { dim, index }) {
    const shape = x.shape.slice();
    if (shape.length > 0) shape[dim] = index.numel();
    return Tensor._make(
      gatherMapped(x._values, x.shape, shape, mapsAlong(x.shape.length, dim, index)),
      shape,
      x.dtype,
    );
  },
  // the selected rows' gradients go back to their rows, added where a row was picked twice
  backward(ctx, [g], { dim, index }) {
    const out = zerosOf(ctx.inputShape(0));
    scatterMapped(
      g._values,
      g.shape,
      out._values,
      out.shape,
      mapsAlong(g.shape.length, dim, index),
      "add",
    );
    return [out];
  },
});

/** The entries of `x` at `index` (a vector) along `dim` (`torch.index_select`). */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  return traced("indexSelect", [x, index], () => {
    const d = normalizeDim(dim, x.shape.length);
    checkIndexVector("index_select", index, x, d);
    return IndexSelect.apply([x], { dim: d, index });
  });
}

const IndexAdd = defineOp<AlongDim & { alpha: number }>({
  name: "IndexAddBackward0",
  forward(_ctx, [x, source], { dim, index, alpha }) {
    const out = Tensor._make(x._values.slice(), x.shape.slice(), x.dtype);
    const add = alpha === 1 ? source : scale(source, alpha);
    const srcShape = source.shape.length === 0 ? [1] : source.shape;
    const maps = mapsAlong(Math.max(x.shape.length, 1), dim, index);
    scatterMapped(
      add._values,
      srcShape,
      out._values,
      x.shape.length === 0 ? [1] : x.shape,
      maps,
      "add",
    );
    return out;
  },
  // d(self) = g; d(source) = α · g's rows at the index
  backward(ctx, [g], { dim, index, alpha }) {
    let source: Tensor | null = null;
    if (ctx.needsInputGrad[1]) {
      const shape = ctx.inputShape(1);
      const picked = gatherMapped(g._values, g.shape, shape, mapsAlong(g.shape.length, dim, index));
      source = scale(Tensor._make(picked, shape.slice()), alpha);
    }
    return [ctx.needsInputGrad[0] ? g : null, source];
  },
});

/**
 * `x` with `alpha · source` added at `index` along `dim` (`torch.index_add`); the in-place
 * `indexAdd_` is this, written back through the tensor's in-place path.
 */
export function indexAdd(x: Tensor, dim: number, index: Tensor, source: Tensor, alpha = 1): Tensor {
  const d = normalizeDim(dim, x.shape.length);
  checkIndexVector("index_add_", index, x, d);
  const count = source.shape.length === 0 ? 1 : source.shape[d];
  if (index.numel() !== count) {
    throw new RuntimeError(
      `index_add_(): Number of indices (${index.numel()}) should be equal to source.size(dim): (${count}), for dim: ${d}`,
    );
  }
  // the other dims must agree; ATen compares the slices, so dims are counted without `dim`
  const rest = (s: Shape) => s.filter((_, k) => k !== d);
  const [a, b] = [rest(x.shape), rest(source.shape)];
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    if (a[k] !== b[k] && numelOf(source.shape) > 0) {
      throw new RuntimeError(
        `The size of tensor a (${a[k]}) must match the size of tensor b (${b[k]}) at non-singleton dimension ${k}`,
        { kind: "broadcast", a: x.shape.slice(), b: source.shape.slice(), dim: k, sizeA: a[k], sizeB: b[k] },
      );
    }
  }
  return IndexAdd.apply([x, source], { dim: d, index, alpha });
}
