/**
 * Tensor: contiguous Float32Array storage, a shape, a dtype label, and autograd state
 * (`requiresGrad`, `grad`, `gradFn`). Op methods are one-liners into engine/ops, where each
 * op's forward and backward live; graph wiring happens only in autograd/apply.ts.
 *
 * Storage is always contiguous. Views that PyTorch makes without copying (`view`, `reshape`,
 * `flatten`, `unsqueeze`, `squeeze`, `detach`, `data`) share storage and version counter as in
 * PyTorch; `transpose`/`permute`/`select`/`narrow`/`split`/`expand` copy, but remember
 * PyTorch's strides (`_torchStrides`) and base (`_base`), so that `view` fails, `reshape` and
 * `contiguous` copy, and in-place ops are refused exactly where PyTorch's would be, with the
 * same node names. NOTE: an in-place change to such a copying view does not reach its base.
 */
import { AccumulateGrad, Node, type TensorHook } from "./autograd/node";
import { RemovableHandle } from "./autograd/handle";
import { isGradEnabled } from "./autograd/gradMode";
import { backward as runBackward, BackwardOptions } from "./autograd/backward";
import { RuntimeError, ValueError } from "./errors";
import { numelOf, normalizeDim, sameShape, bracketed } from "./shape";
import { formatTensor } from "./format";
import * as bin from "./ops/binary";
import * as un from "./ops/unary";
import * as red from "./ops/reduce";
import * as mat from "./ops/matmul";
import * as vw from "./ops/view";
import * as act from "./ops/activation";
import * as join from "./ops/join";

/** Element types: float32 for everything that carries gradients; int64 and bool as labels. */
export type DType = "float32" | "int64" | "bool";

/** A tensor or a plain number, accepted wherever an op takes a tensor. */
export type TensorLike = Tensor | number;

/** `values`/`indices` of `max(dim)` and `min(dim)`; also destructurable as `[values, indices]`. */
export type ValuesIndices = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

let nextId = 1;
const EMPTY = new Float32Array(0);

export class Tensor {
  private values_: Float32Array | null = null;
  /**
   * Set when this 2-D tensor is a transpose view of a row-major matrix (`weight.t()`): a GEMM
   * reads the source in place with its transpose flag flipped, and anything else reads a copy
   * taken at `copiedAt` (the shared version counter), taken again when the source has changed
   * since; in-place writes go through to the source. So it behaves as PyTorch's view.
   */
  private transposeOf_: Float32Array | null = null;
  private copiedAt = -1;
  /** The size of each dimension. */
  readonly shape: number[];
  readonly dtype: DType;
  /** Bumped by every in-place change; shared by views (PyTorch's version counter). */
  _version: { n: number };
  /** PyTorch's strides when they differ from contiguous ones (after transpose/permute). */
  _torchStrides: number[] | null = null;
  /** The tensor this one is a PyTorch view of (view, reshape, transpose, select, ...), else null. */
  _base: Tensor | null = null;
  /** The gradient accumulated by backward; null until then, and always for non-leaves. */
  grad: Tensor | null = null;
  /** The node that made this tensor (PyTorch's `grad_fn`); null for leaves. */
  gradFn: Node | null = null;
  /** Which output of `gradFn` this tensor is. */
  outputNr = 0;
  private leafRequiresGrad = false;
  private accumulator: AccumulateGrad | null = null;
  private retainsGrad_ = false;
  private id_ = 0;

  constructor(values: Float32Array, shape: number[], dtype: DType = "float32", version = { n: 0 }) {
    this._values = values;
    this.shape = shape;
    this.dtype = dtype;
    this._version = version;
  }

  /** Contiguous storage; shared by views. Engine-internal. */
  get _values(): Float32Array {
    if (this.transposeOf_ !== null && this.copiedAt !== this._version.n) this.copyOutTranspose();
    return this.values_!;
  }
  set _values(values: Float32Array) {
    this.values_ = values;
    this.transposeOf_ = null;
  }

  private copyOutTranspose(): void {
    const [m, n] = this.shape; // this is [m, n]; the source is [n, m]
    const src = this.transposeOf_!;
    const out = this.values_ ?? new Float32Array(m * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j * n + i] = src[i * m + j];
    this.values_ = out;
    this.copiedAt = this._version.n;
  }

  /** Writes this transpose view's values through to its source (after an in-place op). */
  private writeThroughTranspose(): void {
    const [m, n] = this.shape;
    const src = this.transposeOf_!;
    const own = this.values_!;
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) src[i * m + j] = own[j * n + i];
  }

  /** Engine-internal: this tensor's own array; null for a transpose view not yet copied out. */
  _storage(): Float32Array | null {
    return this.values_;
  }

  /** The [n, m] row-major source when this [m, n] tensor is a transpose view. */
  _transposeSource(): Float32Array | null {
    return this.transposeOf_;
  }

  /**
   * Engine-internal: the transpose of 2-D `src`, sharing its version counter, copied out only
   * when something needs its storage. The transpose of such a transpose is `src`'s storage.
   */
  static _lazyTranspose(src: Tensor): Tensor {
    const [n, m] = src.shape;
    const source = src._transposeSource();
    if (source) return new Tensor(source, [m, n], src.dtype, src._version);
    const t = new Tensor(EMPTY, [m, n], src.dtype, src._version);
    t.values_ = null;
    t.transposeOf_ = src._values;
    t.copiedAt = -1;
    return t;
  }

  /** Engine-internal factory: wraps storage without copying. */
  static _make(values: Float32Array, shape: number[], dtype: DType = "float32"): Tensor {
    return new Tensor(values, shape, dtype);
  }

  /** A stable id for this tensor object (used by the trace). */
  get id(): number {
    return this.id_ || (this.id_ = nextId++);
  }

  // ---- shape -------------------------------------------------------------------------

  /** The size of dimension `dim`, or the whole shape (PyTorch's `size()`). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    return dim === undefined ? this.shape.slice() : this.shape[normalizeDim(dim, this.shape.length)];
  }
  dim(): number {
    return this.shape.length;
  }
  numel(): number {
    return this.transposeOf_ !== null ? this.shape[0] * this.shape[1] : this.values_!.length;
  }
  /** Whether PyTorch would see this tensor as contiguous. */
  isContiguous(): boolean {
    return this._torchStrides === null;
  }

  // ---- autograd state ------------------------------------------------------------------

  /** Whether gradients are recorded for ops on this tensor. */
  get requiresGrad(): boolean {
    return this.leafRequiresGrad || this.gradFn !== null;
  }
  set requiresGrad(value: boolean) {
    if (this.gradFn !== null) {
      if (value) return;
      throw new RuntimeError(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed " +
          "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
      );
    }
    if (value && this.dtype !== "float32") {
      throw new RuntimeError("only Tensors of floating point dtype can require gradients");
    }
    this.leafRequiresGrad = value;
  }
  /** Sets `requiresGrad` in place and returns this tensor. */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }
  /** True for tensors no recorded op made (user-created, parameters, detached). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }
  /**
   * Calls `hook(grad)` each time a gradient of this tensor is computed, before it is used (a
   * leaf: before it is added to `.grad`); a tensor the hook returns replaces the gradient.
   * @example const h = x.registerHook((g) => g.mul(2)); ...; h.remove();
   */
  registerHook(hook: TensorHook): RemovableHandle {
    if (!this.requiresGrad)
      throw new RuntimeError("cannot register a hook on a tensor that doesn't require gradient");
    const node = this.gradFn ?? this._accumulator();
    return new RemovableHandle(node.addTensorHook(this.gradFn ? this.outputNr : 0, hook));
  }
  /** Keeps `.grad` for this non-leaf tensor during backward (PyTorch's `retain_grad()`). */
  retainGrad(): this {
    if (!this.requiresGrad) throw new RuntimeError("can't retain_grad on Tensor that has requires_grad=False");
    if (this.gradFn && !this.retainsGrad_) {
      this.retainsGrad_ = true;
      this.gradFn.retain(this.outputNr, this);
    }
    return this;
  }
  get retainsGrad(): boolean {
    return this.retainsGrad_;
  }

  /** Engine-internal: the AccumulateGrad node of this leaf, made once. */
  _accumulator(): AccumulateGrad {
    return this.accumulator ?? (this.accumulator = new AccumulateGrad(this));
  }

  /**
   * Engine-internal: adds `g` into `.grad`, in place after the first time. The first time it
   * is a copy, or, with `take` (backward has proved that nothing else can reach g's array),
   * g's own array.
   */
  _accumulateGrad(g: Tensor, take = false): void {
    if (this.grad === null) {
      this.grad = new Tensor(take ? g._values : g._values.slice(), this.shape.slice(), "float32");
      return;
    }
    const into = this.grad._values;
    const add = g._values;
    for (let i = 0; i < into.length; i++) into[i] += add[i];
    this.grad._version.n++;
  }

  /** Engine-internal: this tensor as output `nr` of `node` (an alias if it is an input). */
  _asOutputOf(node: Node, nr: number, inputs: readonly Tensor[]): Tensor {
    const t = inputs.includes(this) || this.gradFn || this.leafRequiresGrad ? this._alias() : this;
    t.gradFn = node;
    t.outputNr = nr;
    return t;
  }

  /** Engine-internal: a new tensor object on the same storage and version counter. */
  _alias(shape: number[] = this.shape.slice()): Tensor {
    return new Tensor(this._values, shape, this.dtype, this._version);
  }

  /**
   * Computes the gradient of this tensor with respect to the graph's leaves and adds it to
   * their `.grad`. A non-scalar tensor needs `gradient` (the vector of a vector-Jacobian
   * product).
   * @example loss.backward(); w.grad   // dloss/dw
   */
  backward(gradient?: Tensor | null, options?: BackwardOptions): void {
    runBackward(this, gradient ?? null, options);
  }

  /** A new leaf on the same storage, cut from the graph (PyTorch's `detach()`). */
  detach(): Tensor {
    const t = this._alias();
    t._torchStrides = this._torchStrides;
    return t;
  }
  /** The same values as a detached tensor, invisible to version checks (PyTorch's `.data`). */
  get data(): Tensor {
    const t = new Tensor(this._values, this.shape.slice(), this.dtype);
    t._torchStrides = this._torchStrides;
    return t;
  }
  set data(value: Tensor) {
    this._values = value._values;
    (this as { shape: number[] }).shape = value.shape.slice();
  }

  // ---- values ----------------------------------------------------------------------

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.numel() !== 1) throw new ValueError("only one element tensors can be converted to Python scalars");
    return this._values[0];
  }
  /** The values as nested arrays (booleans for a bool tensor). */
  tolist(): unknown {
    const build = (dim: number, offset: number): unknown => {
      if (dim === this.shape.length) {
        const v = this._values[offset];
        return this.dtype === "bool" ? v !== 0 : v;
      }
      const stride = numelOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }
  /** Prints like PyTorch: `tensor([1.5000, 2.0000], gradFn=<MulBackward0>)`. */
  toString(): string {
    return formatTensor(this);
  }

  // ---- in place ---------------------------------------------------------------------

  private checkInPlace(): void {
    if (!isGradEnabled()) return;
    if (this.isLeaf && this.leafRequiresGrad) {
      throw new RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.");
    }
    const base = this._base;
    if (base && base.isLeaf && base.requiresGrad) {
      throw new RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.");
    }
  }
  /**
   * Runs an in-place op: `op` computes the new values out of place and, when recording, on a
   * stand-in holding this tensor's old values and history (what PyTorch saves for backward);
   * then the values and the new history are written into this tensor, bumping its version.
   */
  private inPlace(op: (self: Tensor) => Tensor, other?: TensorLike): this {
    this.checkInPlace();
    const recording = isGradEnabled() && (this.requiresGrad || (other instanceof Tensor && other.requiresGrad));
    const result = op(recording ? this.standIn() : this);
    if (!sameShape(result.shape, this.shape)) {
      throw new RuntimeError(`output with shape ${bracketed(this.shape)} doesn't match the broadcast shape ${bracketed(result.shape)}`);
    }
    if (result.dtype !== this.dtype && this.dtype !== "float32") {
      const name = (d: DType) => (d === "float32" ? "Float" : d === "int64" ? "Long" : "Bool");
      throw new RuntimeError(`result type ${name(result.dtype)} can't be cast to the desired output type ${name(this.dtype)}`);
    }
    this._values.set(result._values);
    if (this.transposeOf_ !== null) this.writeThroughTranspose();
    this._version.n++;
    if (this.transposeOf_ !== null) this.copiedAt = this._version.n;
    if (result.gradFn) {
      this.gradFn = result.gradFn;
      this.outputNr = result.outputNr;
    }
    return this;
  }
  /** A copy of the values with this tensor's history: what an in-place op saves and records. */
  private standIn(): Tensor {
    const t = new Tensor(this._values.slice(), this.shape.slice(), this.dtype);
    t._torchStrides = this._torchStrides;
    t.gradFn = this.gradFn;
    t.outputNr = this.outputNr;
    return t;
  }
  /** Fills with zeros in place (e.g. `x.grad.zero_()`). */
  zero_(): this {
    return this.recordsInPlace() ? this.inPlace((self) => un.filled(self, 0, true)) : this.fillUnrecorded(0);
  }
  /** Fills with `value` in place. */
  fill_(value: number): this {
    return this.recordsInPlace() ? this.inPlace((self) => un.filled(self, value)) : this.fillUnrecorded(value);
  }
  private recordsInPlace(): boolean {
    return isGradEnabled() && this.requiresGrad;
  }
  /** A fill that no graph records (zeroGrad's `grad.zero_()`): no stand-in, no new tensor. */
  private fillUnrecorded(value: number): this {
    this.checkInPlace();
    this._values.fill(value);
    if (this.transposeOf_ !== null) this.writeThroughTranspose();
    this._version.n++;
    if (this.transposeOf_ !== null) this.copiedAt = this._version.n;
    return this;
  }
  /** Copies `src` (broadcast to this shape, converted to this dtype) into this tensor in place. */
  copy_(src: Tensor): this {
    return this.inPlace((self) => bin.Copy.apply([self, src], undefined), src);
  }
  add_(other: TensorLike, alpha = 1): this {
    return this.inPlace((self) => bin.add(self, other, alpha), other);
  }
  sub_(other: TensorLike, alpha = 1): this {
    return this.inPlace((self) => bin.sub(self, other, alpha), other);
  }
  mul_(other: TensorLike): this {
    return this.inPlace((self) => bin.mul(self, other), other);
  }
  div_(other: TensorLike): this {
    return this.inPlace((self) => bin.div(self, other), other);
  }

  // ---- ops (forward and backward live in engine/ops) ------------------------------------

  add(other: TensorLike, alpha = 1): Tensor { return bin.add(this, other, alpha); } // prettier-ignore
  sub(other: TensorLike, alpha = 1): Tensor { return bin.sub(this, other, alpha); } // prettier-ignore
  mul(other: TensorLike): Tensor { return bin.mul(this, other); } // prettier-ignore
  div(other: TensorLike): Tensor { return bin.div(this, other); } // prettier-ignore
  pow(exponent: TensorLike): Tensor { return bin.pow(this, exponent); } // prettier-ignore
  maximum(other: TensorLike): Tensor { return bin.maximum(this, other); } // prettier-ignore
  minimum(other: TensorLike): Tensor { return bin.minimum(this, other); } // prettier-ignore
  gt(other: TensorLike): Tensor { return bin.compare("gt", this, other); } // prettier-ignore
  lt(other: TensorLike): Tensor { return bin.compare("lt", this, other); } // prettier-ignore
  ge(other: TensorLike): Tensor { return bin.compare("ge", this, other); } // prettier-ignore
  le(other: TensorLike): Tensor { return bin.compare("le", this, other); } // prettier-ignore
  eq(other: TensorLike): Tensor { return bin.compare("eq", this, other); } // prettier-ignore
  ne(other: TensorLike): Tensor { return bin.compare("ne", this, other); } // prettier-ignore
  neg(): Tensor { return un.neg(this); } // prettier-ignore
  exp(): Tensor { return un.exp(this); } // prettier-ignore
  log(): Tensor { return un.log(this); } // prettier-ignore
  sqrt(): Tensor { return un.sqrt(this); } // prettier-ignore
  abs(): Tensor { return un.abs(this); } // prettier-ignore
  sin(): Tensor { return un.sin(this); } // prettier-ignore
  cos(): Tensor { return un.cos(this); } // prettier-ignore
  relu(): Tensor { return un.relu(this); } // prettier-ignore
  sigmoid(): Tensor { return un.sigmoid(this); } // prettier-ignore
  tanh(): Tensor { return un.tanh(this); } // prettier-ignore
  clamp(min?: number | null, max?: number | null): Tensor { return un.clamp(this, min ?? null, max ?? null); } // prettier-ignore
  softmax(dim: number): Tensor { return act.softmax(this, dim); } // prettier-ignore
  logSoftmax(dim: number): Tensor { return act.logSoftmax(this, dim); } // prettier-ignore
  sum(dim?: number | number[] | null, keepdim = false): Tensor { return red.sum(this, dim, keepdim); } // prettier-ignore
  mean(dim?: number | number[] | null, keepdim = false): Tensor { return red.mean(this, dim, keepdim); } // prettier-ignore
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ValuesIndices;
  max(dim?: number, keepdim = false): Tensor | ValuesIndices { return dim === undefined ? red.maxAll(this, true) : red.maxDim(this, dim, keepdim, true); } // prettier-ignore
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ValuesIndices;
  min(dim?: number, keepdim = false): Tensor | ValuesIndices { return dim === undefined ? red.maxAll(this, false) : red.maxDim(this, dim, keepdim, false); } // prettier-ignore
  argmax(dim?: number, keepdim = false): Tensor { return red.argExtreme(this, dim, keepdim, true); } // prettier-ignore
  argmin(dim?: number, keepdim = false): Tensor { return red.argExtreme(this, dim, keepdim, false); } // prettier-ignore
  norm(): Tensor { return red.norm(this); } // prettier-ignore
  matmul(other: Tensor): Tensor { return mat.matmul(this, other); } // prettier-ignore
  mm(other: Tensor): Tensor { return mat.mm(this, other); } // prettier-ignore
  mv(vec: Tensor): Tensor { return mat.mv(this, vec); } // prettier-ignore
  bmm(other: Tensor): Tensor { return mat.bmm(this, other); } // prettier-ignore
  dot(other: Tensor): Tensor { return mat.dot(this, other); } // prettier-ignore
  t(): Tensor { return vw.t(this); } // prettier-ignore
  transpose(dim0: number, dim1: number): Tensor { return vw.transpose(this, dim0, dim1); } // prettier-ignore
  permute(...dims: number[] | [number[]]): Tensor { return vw.permute(this, flatArgs(dims)); } // prettier-ignore
  view(...shape: number[] | [number[]]): Tensor { return vw.view(this, flatArgs(shape)); } // prettier-ignore
  reshape(...shape: number[] | [number[]]): Tensor { return vw.reshape(this, flatArgs(shape)); } // prettier-ignore
  flatten(startDim = 0, endDim = -1): Tensor { return vw.flatten(this, startDim, endDim); } // prettier-ignore
  unsqueeze(dim: number): Tensor { return vw.unsqueeze(this, dim); } // prettier-ignore
  squeeze(dim?: number): Tensor { return vw.squeeze(this, dim); } // prettier-ignore
  expand(...shape: number[] | [number[]]): Tensor { return vw.expand(this, flatArgs(shape)); } // prettier-ignore
  contiguous(): Tensor { return vw.contiguous(this); } // prettier-ignore
  clone(): Tensor { return vw.clone(this); } // prettier-ignore
  select(dim: number, index: number): Tensor { return vw.select(this, dim, index); } // prettier-ignore
  narrow(dim: number, start: number, length: number): Tensor { return vw.narrow(this, dim, start, length); } // prettier-ignore
  split(splitSize: number | number[], dim = 0): Tensor[] { return join.split(this, splitSize, dim); } // prettier-ignore
  chunk(chunks: number, dim = 0): Tensor[] { return join.chunk(this, chunks, dim); } // prettier-ignore
  /** A float32 copy (PyTorch's `float()`); this tensor itself when already float32. */
  float(): Tensor { return this.dtype === "float32" ? this : Tensor._make(this._values.slice(), this.shape.slice(), "float32"); } // prettier-ignore
  /** An int64 copy, truncating toward zero (PyTorch's `long()`). */
  long(): Tensor { return Tensor._make(this._values.map(Math.trunc), this.shape.slice(), "int64"); } // prettier-ignore
}

/** `f(2, 3)` and `f([2, 3])` both mean the shape [2, 3]. */
export function flatArgs(args: number[] | [number[]]): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? (args[0] as number[]).slice() : (args as number[]);
}

/** Wraps a number as a 0-dim tensor: int64 when it is an integer, float32 otherwise. */
export function asTensor(x: TensorLike): Tensor {
  if (x instanceof Tensor) return x;
  return Tensor._make(Float32Array.of(x), [], Number.isInteger(x) ? "int64" : "float32");
}
