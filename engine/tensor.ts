/**
 * Tensor: a Storage (a Float32Array shared by views) seen through a shape, strides and an
 * offset, as PyTorch's tensors are; a dtype label; and autograd state (`requiresGrad`, `grad`,
 * `gradFn`). Op methods are one-liners into engine/ops, where each op's forward and backward
 * live; graph wiring happens only in autograd/apply.ts (and autograd/viewHistory.ts for
 * in-place changes through views).
 *
 * Kernels read `_values`, the elements in row-major order: the storage's array itself for a
 * plain tensor, a subarray for a contiguous view, a copy (made again after the storage changed)
 * for a strided one. In-place ops write through `_writeValues`, which reaches the storage, so
 * a change made through any view is seen by its base and by every other view of it.
 */
import { asStridedHistory, edgeOf, rebaseHistory, type Geometry } from "./autograd/viewHistory";
import { Storage } from "./storage";
import { gather, overlaps, scatter } from "./kernels/strided";
import { AccumulateGrad, Node, type TensorHook } from "./autograd/node";
import { RemovableHandle } from "./autograd/handle";
import { isGradEnabled } from "./autograd/gradMode";
import { backward as runBackward, BackwardOptions } from "./autograd/backward";
import { RuntimeError, ValueError } from "./errors";
import { numelOf, normalizeDim, sameShape, bracketed, stridesOf } from "./shape";
import { formatTensor } from "./format";
import * as bin from "./ops/binary";
import * as un from "./ops/unary";
import * as red from "./ops/reduce";
import * as mat from "./ops/matmul";
import * as vw from "./ops/view";
import * as act from "./ops/activation";
import * as join from "./ops/join";
import * as ix from "./ops/indexing";
import * as st from "./ops/strided";
import type { IndexItem } from "./ops/indexing";
import * as gs from "./ops/gatherScatter";
import * as mk from "./ops/masked";
import * as ro from "./ops/reorder";
import { addInPlace } from "./kernels/elementwiseWasm";

/** Element types: float32 for everything that carries gradients; int64 and bool as labels. */
export type DType = "float32" | "int64" | "bool";

/** A tensor or a plain number, accepted wherever an op takes a tensor. */
export type TensorLike = Tensor | number;

/** `values`/`indices` of `max(dim)` and `min(dim)`; also destructurable as `[values, indices]`. */
export type ValuesIndices = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

let nextId = 1;
const EMPTY = new Float32Array(0);

export class Tensor {
  /** The memory this tensor reads (shared with its views), its first element and strides. */
  /** The storage's array (shared with views). */
  private data_: Float32Array;
  /** The write count shared with views; made when the first view of this storage is. */
  private storage_: Storage | null = null;
  private offset_ = 0;
  /** PyTorch's strides as the view op gave them; null: row-major. */
  private strides_: number[] | null = null;
  /** Whether the elements are row-major from `offset_` (PyTorch's contiguous: size-1 dims aside). */
  private dense_ = true;
  /** Whether `_values` is the storage's array itself (contiguous, from 0, all of it). */
  private plain_ = true;
  /** For a view that is not plain: its row-major values (a subarray, or a copy when strided). */
  private contig_: Float32Array | null = null;
  private contigAt = -1;
  /** The size of each dimension. */
  readonly shape: number[];
  readonly dtype: DType;
  /** Bumped by every in-place change; shared by views (PyTorch's version counter). */
  _versionCounter: { n: number };
  /** The tensor this one is a PyTorch view of (view, reshape, transpose, select, ...), else null. */
  _base: Tensor | null = null;
  /** The gradient accumulated by backward; null until then, and always for non-leaves. */
  grad: Tensor | null = null;
  private gradFn_: Node | null = null;
  /** For a view: the version its history was made at (an in-place change since makes it anew). */
  _viewVersion = 0;
  /** One of several views one op returned (split, unbind): PyTorch refuses in-place changes. */
  _multiView = false;
  /** Which output of `gradFn` this tensor is. */
  outputNr = 0;
  private leafRequiresGrad = false;
  private accumulator: AccumulateGrad | null = null;
  private retainsGrad_ = false;
  private id_ = 0;

  constructor(values: Float32Array, shape: number[], dtype: DType = "float32", version = { n: 0 }) {
    this.data_ = values;
    this.shape = shape;
    this.dtype = dtype;
    this._versionCounter = version;
    this._viewVersion = version.n;
    this.plain_ = values.length === numelOf(shape);
  }

  /**
   * The values in row-major order, what kernels read. A plain tensor's own array (writes reach
   * it); a contiguous view's subarray of the storage (writes reach it too); a strided view's
   * copy, made again after the storage changed (writes must go through `_writeValues`).
   */
  get _values(): Float32Array {
    if (this.plain_) return this.data_;
    const n = numelOf(this.shape);
    if (this.dense_) {
      return (this.contig_ ??= this.data_.subarray(this.offset_, this.offset_ + n));
    }
    const writes = this.storage_!.writes; // a strided tensor is a view: it has the shared count
    if (this.contig_ === null || this.contigAt !== writes) {
      this.contig_ = gather(this.data_, this.offset_, this.shape, this.strides_!, this.contig_);
      this.contigAt = writes;
    }
    return this.contig_;
  }
  /** Gives this tensor new storage of its own (`.data = ...`). */
  set _values(values: Float32Array) {
    this.data_ = values;
    this.storage_ = null;
    this.offset_ = 0;
    this.strides_ = null;
    this.dense_ = true;
    this.contig_ = null;
    this.plain_ = values.length === numelOf(this.shape);
  }

  /** Writes row-major `values` into this tensor's place in its storage (an in-place op). */
  _writeValues(values: Float32Array): void {
    if (this.dense_) this.data_.set(values, this.offset_);
    else scatter(this.data_, this.offset_, this.shape, this.strides_!, values);
    this._bumpVersion();
  }

  /** After a write into the storage: autograd's version and the storage's write count. */
  _bumpVersion(): void {
    this._versionCounter.n++;
    if (this.storage_ !== null) this.storage_.writes++;
  }

  /** How many in-place changes the storage has had (PyTorch's `x._version`; shared by views). */
  get _version(): number {
    return this._versionCounter.n;
  }

  /** The write count this storage shares with its views (made on first need). */
  private shared(): Storage {
    return (this.storage_ ??= new Storage(this.data_));
  }

  /** Engine-internal: the storage's array (shared by every view of it). */
  _storage(): Float32Array {
    return this.data_;
  }

  /**
   * The [n, m] row-major source when this [m, n] tensor is its transpose (`weight.t()`): a GEMM
   * reads it in place with its transpose flag flipped.
   */
  _transposeSource(): Float32Array | null {
    const s = this.strides_;
    if (s === null || this.dense_ || this.shape.length !== 2 || this.offset_ !== 0) return null;
    const [m, n] = this.shape;
    const data = this.data_;
    return s[0] === 1 && s[1] === m && data.length === m * n && m > 1 && n > 1 ? data : null;
  }

  /** PyTorch's strides (`stride()`), element counts per step of each dim. */
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    const s = this.strides_ ?? stridesOf(this.shape);
    return dim === undefined ? s.slice() : s[normalizeDim(dim, this.shape.length)];
  }
  /** Where this tensor starts in its storage (PyTorch's `storage_offset()`). */
  storageOffset(): number {
    return this.offset_;
  }
  /** Engine-internal: PyTorch's strides when they are not contiguous ones, else null. */
  get _torchStrides(): number[] | null {
    return this.dense_ ? null : this.strides_;
  }

  /**
   * Engine-internal: a tensor on `src`'s storage (and version counter) with its own geometry:
   * every view op makes its result here. Contiguous strides are stored as null.
   */
  static _view(src: Tensor, shape: number[], strides: readonly number[] | null, offset: number): Tensor {
    const t = new Tensor(EMPTY, shape, src.dtype, src._versionCounter);
    t.data_ = src.data_;
    t.storage_ = src.shared();
    t.offset_ = offset;
    t.strides_ = strides === null ? null : strides.slice();
    t.dense_ = strides === null || contiguousOrNull(shape, strides) === null;
    t.plain_ = t.dense_ && offset === 0 && src.data_.length === numelOf(shape);
    return t;
  }

  /** Engine-internal: the transpose of 2-D `src`, a view a GEMM reads in place. */
  static _lazyTranspose(src: Tensor): Tensor {
    const s = src.stride();
    return Tensor._view(src, [src.shape[1], src.shape[0]], [s[1], s[0]], src.offset_);
  }

  /** Engine-internal factory: wraps storage without copying. */
  static _make(values: Float32Array, shape: number[], dtype: DType = "float32"): Tensor {
    return new Tensor(values, shape, dtype);
  }

  /** Engine-internal: a fresh tensor with the given strides (a dense layout), holding `values` (row-major). */
  static _withLayout(values: Float32Array, shape: number[], strides: readonly number[], dtype: DType): Tensor {
    const t = new Tensor(new Float32Array(values.length), shape, dtype);
    const own = contiguousOrNull(shape, strides);
    if (own === null) {
      t.data_.set(values);
      return t;
    }
    scatter(t.data_, 0, shape, own, values);
    t.strides_ = own;
    t.dense_ = false;
    t.plain_ = false;
    return t;
  }

  /**
   * The node that made this tensor (PyTorch's `grad_fn`); null for leaves. A view whose base was
   * changed in place since the view got its history gets PyTorch's `AsStridedBackward0` of the
   * base's new history instead, as PyTorch regenerates a view's grad_fn.
   */
  get gradFn(): Node | null {
    const base = this._base;
    if (base !== null && this._viewVersion !== this._versionCounter.n && isGradEnabled()) {
      this._viewVersion = this._versionCounter.n;
      if (base.requiresGrad) {
        this.gradFn_ = asStridedHistory(this, base);
        this.outputNr = 0;
      }
    }
    return this.gradFn_;
  }
  set gradFn(node: Node | null) {
    this.gradFn_ = node;
    this._viewVersion = this._versionCounter.n;
  }

  /** Engine-internal: where this tensor's elements are in its storage. */
  _geometry(): Geometry {
    return {
      offset: this.offset_,
      strides: this.strides_ ?? stridesOf(this.shape),
      shape: this.shape,
      storageLength: this.data_.length,
    };
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
    return this.plain_ ? this.data_.length : numelOf(this.shape);
  }
  /** Whether PyTorch would see this tensor as contiguous. */
  isContiguous(): boolean {
    return this.dense_;
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
   * Engine-internal: adds `g` into `.grad`, in place after the first time (out of place, and
   * recorded, in a backward with createGraph when either has a graph). The first time it
   * is a copy, or, with `take` (backward has proved that nothing else can reach g's array),
   * g's own array.
   */
  _accumulateGrad(g: Tensor, take = false): void {
    // a backward with createGraph keeps gradients' graphs: .grad becomes g, or .grad + g
    if (isGradEnabled() && (g.requiresGrad || this.grad?.requiresGrad)) {
      this.grad = this.grad === null ? g : bin.add(this.grad, g);
      return;
    }
    if (this.grad === null) {
      this.grad = new Tensor(take ? g._values : g._values.slice(), this.shape.slice(), "float32");
      return;
    }
    const into = this.grad._values;
    addInPlace(into, g._values);
    if (!this.grad.dense_) this.grad._writeValues(into);
    else this.grad._bumpVersion();
  }

  /** Engine-internal: this tensor as output `nr` of `node` (an alias if it is an input). */
  _asOutputOf(node: Node, nr: number, inputs: readonly Tensor[]): Tensor {
    const t = inputs.includes(this) || this.gradFn || this.leafRequiresGrad ? this._alias() : this;
    t.gradFn = node;
    t.outputNr = nr;
    return t;
  }

  /**
   * Engine-internal: a new tensor object on the same storage and version counter: the same
   * geometry, or `shape` over this tensor's row-major values (a copy first when it is strided).
   */
  _alias(shape?: number[]): Tensor {
    if (shape === undefined) {
      const t = Tensor._view(this, this.shape.slice(), this.strides_, this.offset_);
      t._base = this._base;
      return t;
    }
    if (!this.dense_) return new Tensor(this._values.slice(), shape, this.dtype);
    return Tensor._view(this, shape, null, this.offset_);
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
    t._base = null; // a view autograd does not follow: in-place changes to it are not recorded
    return t;
  }
  /** The same values as a detached tensor, invisible to version checks (PyTorch's `.data`). */
  get data(): Tensor {
    const t = this.detach();
    t._versionCounter = { n: 0 };
    t._viewVersion = 0;
    return t;
  }
  set data(value: Tensor) {
    (this as { shape: number[] }).shape = value.shape.slice();
    this.data_ = value.data_;
    this.storage_ = value.shared();
    this.offset_ = value.offset_;
    this.strides_ = value.strides_;
    this.dense_ = value.dense_;
    this.plain_ = value.plain_;
    this.contig_ = null;
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
    if (!this.dense_ && overlaps(this.shape, this.strides_!)) {
      throw new RuntimeError(
        "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.",
      );
    }
    if (!isGradEnabled()) return;
    if (this._multiView && this.requiresGrad && this.gradFn) {
      throw new RuntimeError(
        `Output ${this.outputNr} of ${this.gradFn.name} is a view and is being modified inplace. This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.`,
      );
    }
    if (this.isLeaf && this.leafRequiresGrad) {
      throw new RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.", {
        kind: "inPlaceLeaf",
        view: false,
      });
    }
    const base = this._base;
    if (base && base.isLeaf && base.requiresGrad) {
      throw new RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.", {
        kind: "inPlaceLeaf",
        view: true,
      });
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
    const base = this._base;
    // the base's history before this change (CopySlices continues from it)
    const baseEdge = result.gradFn && base ? edgeOf(base) : null;
    this._writeValues(result._values);
    if (result.gradFn && base && baseEdge) {
      rebaseHistory(this, base, baseEdge, result.gradFn);
    } else if (result.gradFn) {
      this.gradFn = result.gradFn;
      this.outputNr = result.outputNr;
    }
    return this;
  }
  /** Engine-internal: runs an in-place op defined elsewhere (indexPut_, indexAdd_) on this tensor. */
  _applyInPlace(op: (self: Tensor) => Tensor, other?: TensorLike): this {
    return this.inPlace(op, other);
  }
  /** A copy of the values with this tensor's history: what an in-place op saves and records. */
  private standIn(): Tensor {
    const t = new Tensor(this._values.slice(), this.shape.slice(), this.dtype);
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
    if (this.dense_) {
      this._values.fill(value); // the storage's own elements (a subarray for a view)
      this._bumpVersion();
    } else {
      this._writeValues(new Float32Array(this.numel()).fill(value));
    }
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
  reciprocal(): Tensor { return un.reciprocal(this); } // prettier-ignore
  cos(): Tensor { return un.cos(this); } // prettier-ignore
  relu(): Tensor { return un.relu(this); } // prettier-ignore
  sigmoid(): Tensor { return un.sigmoid(this); } // prettier-ignore
  tanh(): Tensor { return un.tanh(this); } // prettier-ignore
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
  /** Python's `x[...]`: numbers, slices ("1:3", "::2", torch.slice(i, j)), null, "...", long/bool tensors. */
  index(...items: IndexItem[]): Tensor { return ix.index(this, items); } // prettier-ignore
  /** Python's `x[...] = value` (in place; `accumulate` adds instead, as index_put_'s). */
  indexPut_(items: IndexItem[], value: TensorLike, accumulate = false): this { ix.indexPut_(this, items, value, accumulate); return this; } // prettier-ignore
  unbind(dim = 0): Tensor[] { return st.unbind(this, dim); } // prettier-ignore
  diagonal(offset = 0, dim1 = 0, dim2 = 1): Tensor { return st.diagonal(this, offset, dim1, dim2); } // prettier-ignore
  asStrided(size: number[], stride: number[], storageOffset?: number): Tensor { return st.asStrided(this, size, stride, storageOffset); } // prettier-ignore
  /** The dims reversed (PyTorch's `.T`). */
  get T(): Tensor { return vw.permute(this, this.shape.map((_, i) => this.shape.length - 1 - i)); } // prettier-ignore
  /** The last two dims swapped (PyTorch's `.mT`). */
  get mT(): Tensor { return vw.transpose(this, -2, -1); } // prettier-ignore
  chunk(chunks: number, dim = 0): Tensor[] { return join.chunk(this, chunks, dim); } // prettier-ignore
  // indexing copies and element-wise choices (engine/ops/gatherScatter.ts, masked.ts, reorder.ts)
  gather(dim: number, index: Tensor): Tensor { return gs.gather(this, dim, index); } // prettier-ignore
  scatter(dim: number, index: Tensor, src: TensorLike): Tensor { return gs.scatter(this, dim, index, src); } // prettier-ignore
  scatter_(dim: number, index: Tensor, src: TensorLike): this { return this.inPlace((self) => gs.scatter(self, dim, index, src), src); } // prettier-ignore
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return gs.scatterAdd(this, dim, index, src); } // prettier-ignore
  scatterAdd_(dim: number, index: Tensor, src: Tensor): this { return this.inPlace((self) => gs.scatterAdd(self, dim, index, src), src); } // prettier-ignore
  indexSelect(dim: number, index: Tensor): Tensor { return gs.indexSelect(this, dim, index); } // prettier-ignore
  indexAdd(dim: number, index: Tensor, source: Tensor, alpha = 1): Tensor { return gs.indexAdd(this, dim, index, source, alpha); } // prettier-ignore
  indexAdd_(dim: number, index: Tensor, source: Tensor, alpha = 1): this { return this.inPlace((self) => gs.indexAdd(self, dim, index, source, alpha), source); } // prettier-ignore
  maskedFill(mask: Tensor, value: TensorLike): Tensor { return mk.maskedFill(this, mask, value); } // prettier-ignore
  maskedFill_(mask: Tensor, value: TensorLike): this { return this.inPlace((self) => mk.maskedFill(self, mask, value), value); } // prettier-ignore
  /** This tensor where `condition` holds, else `other` (`torch.where(condition, this, other)`). */
  where(condition: Tensor, other: TensorLike): Tensor { return mk.where(condition, this, other); } // prettier-ignore
  tril(diagonal = 0): Tensor { return mk.tril(this, diagonal); } // prettier-ignore
  triu(diagonal = 0): Tensor { return mk.triu(this, diagonal); } // prettier-ignore
  clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor { return mk.clamp(this, min ?? null, max ?? null); } // prettier-ignore
  clamp_(min?: TensorLike | null, max?: TensorLike | null): this { return this.inPlace((self) => mk.clamp(self, min ?? null, max ?? null), min instanceof Tensor ? min : (max ?? undefined)); } // prettier-ignore
  flip(...dims: number[] | [number[]]): Tensor { return ro.flip(this, flatArgs(dims)); } // prettier-ignore
  roll(shifts: number | number[], dims?: number | number[]): Tensor { return ro.roll(this, shifts, dims); } // prettier-ignore
  repeat(...sizes: number[] | [number[]]): Tensor { return ro.repeat(this, flatArgs(sizes)); } // prettier-ignore
  tile(...dims: number[] | [number[]]): Tensor { return ro.tile(this, flatArgs(dims)); } // prettier-ignore
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

/** `strides` when they are not row-major for `shape` (size-1 dims do not count), else null. */
function contiguousOrNull(shape: readonly number[], strides: readonly number[]): number[] | null {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] === 1) continue;
    if (strides[d] !== expected) return strides.slice();
    expected *= shape[d];
  }
  return null;
}
