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

// Where a buffer's memory reaches a 64-byte boundary; only native code can tell (an ArrayBuffer's
// address is not visible to JavaScript), so a native backend installs it.
let alignmentOf: (buffer: ArrayBuffer) => number = () => 0;
let slab = new ArrayBuffer(SLAB_BYTES);
let base = 0;
let used = 0;

/** Lets a native backend place slab arrays on 64-byte boundaries of memory (see alignmentOf). */
export function setSlabAligner(aligner: (buffer: ArrayBuffer) => number): void {
  alignmentOf = aligner;
  slab = new ArrayBuffer(SLAB_BYTES + ALIGN);
  base = used = alignmentOf(slab);
}

/** A zero-filled typed array for `numel` elements of `dtype`. */
export function allocStorageArray(dtype: DType, numel: number): DataArray {
  const bytes = numel * itemsize(dtype);
  if (bytes <= 64 || bytes > SLAB_MAX) return allocArray(dtype, numel);
  let start = base + Math.ceil((used - base) / ALIGN) * ALIGN;
  if (start + bytes > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES + ALIGN);
    start = base = alignmentOf(slab);
  }
  used = start + bytes;
  return new (arrayType(dtype))(slab, start, numel);
}
