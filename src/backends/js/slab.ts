// src/backends/js/slab.ts — storage for small and medium tensors, carved from shared slabs.
import { allocArray, arrayType, type DataArray, type DType, itemsize } from '../../core/dtype.js';

// V8 keeps typed arrays of up to 64 bytes on its heap (cheap), but every larger one gets its own
// ArrayBuffer, which costs ~3 µs to create: more than the kernels of a small op. Medium arrays
// are therefore views into 256 KB slabs, handed out in order and never reused, so they start
// zeroed; a slab is freed by the garbage collector once no view into it is alive.
const SLAB_BYTES = 1 << 18;
/** Arrays above this many bytes get their own ArrayBuffer. */
export const SLAB_MAX = 1 << 15;
const ALIGN = 64;

let slab = new ArrayBuffer(SLAB_BYTES);
let used = 0;

/** A zero-filled typed array for `numel` elements of `dtype`. */
export function allocStorageArray(dtype: DType, numel: number): DataArray {
  const bytes = numel * itemsize(dtype);
  if (bytes <= 64 || bytes > SLAB_MAX) return allocArray(dtype, numel);
  let start = Math.ceil(used / ALIGN) * ALIGN;
  if (start + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    start = 0;
  }
  used = start + bytes;
  return new (arrayType(dtype))(slab, start, numel);
}
