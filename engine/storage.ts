/**
 * The memory tensors share: one Float32Array and a count of the writes to it. Views of a tensor
 * (and `.data`, `detach()`) hold the same Storage with their own shape, strides and offset.
 * `writes` lets a strided view know when its row-major copy is stale; PyTorch's `_version`
 * (what autograd checks) is a separate counter, since `.data` writes are invisible to it.
 */
export class Storage {
  /** Bumped by every write to `data` after it was made. */
  writes = 0;
  constructor(readonly data: Float32Array) {}
}
