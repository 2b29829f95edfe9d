/**
 * Storage for kernel outputs. `emptyFloats(n)` is PyTorch's `empty`: its values are
 * unspecified, so only a kernel that writes every element may use it.
 *
 * NOTE: `new Float32Array(n)` is zero-filled by calloc; past a few tens of KB that first
 * pass over memory nobody has touched lately costs more than the kernel that fills it (a
 * 60×600 weight gradient: ~25 µs to allocate, ~4 µs to copy in). In Node, `Buffer`'s
 * unpooled unsafe allocation skips the zero fill (malloc); elsewhere it falls back to zeros.
 */

interface NodeBuffer {
  allocUnsafeSlow(bytes: number): { buffer: ArrayBuffer; byteOffset: number };
}

const nodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

/** Below this many floats a zero-filled array costs no more. */
const UNZEROED_FROM = 8192;

/** A Float32Array of n unspecified values (zeros where the runtime cannot skip the fill). */
export function emptyFloats(n: number): Float32Array {
  if (n < UNZEROED_FROM || nodeBuffer === undefined) return new Float32Array(n);
  const bytes = nodeBuffer.allocUnsafeSlow(n * 4);
  return new Float32Array(bytes.buffer, bytes.byteOffset, n);
}
