// src/backends/native/index.ts — the native backend: the JS reference with its heavy kernels
// (float32/float64 elementwise, copies, reductions, matmul, convolution, pooling, softmax) routed to
// the C++ addon, and its storages aligned to 64 bytes.
import { Buffer } from 'node:buffer';
import { arrayType, type DataArray, type DType, itemsize } from '../../core/dtype.js';
import { RuntimeError } from '../../core/errors.js';
import type { Backend, Storage } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { SLAB_MAX, setSlabAligner } from '../js/slab.js';
import type { Addon } from './addon.js';
import { elementwiseKernels } from './elementwise.js';
import { fusedKernels } from './fused.js';
import { linalgKernels } from './linalg.js';
import { nnKernels } from './nn.js';
import { reduceKernels } from './reduce.js';
import { denseCopier } from './views.js';

// Below this size V8's own zero-filled allocation is as fast as an uninitialised one.
const UNINIT_MIN_BYTES = 1 << 16;
// Buffers from this size up are put on transparent huge pages (addon alignBuffer).
const HUGE_MIN_BYTES = 1 << 22;
// Storages above the JS backend's slab limit get their own buffer, aligned like PyTorch's to 64 bytes.
const ALIGN = 64;

/** Builds the native backend over a loaded addon. */
export function makeNativeBackend(addon: Addon): Required<Backend> & { addon: Addon } {
  addon.setErrorClass(RuntimeError);
  addon.tuneMalloc();
  setSlabAligner((buffer) => addon.alignBuffer(buffer, false));

  /** A 64-byte aligned array in its own buffer (zero-filled or not), on huge pages when large. */
  const alignedArray = (dtype: DType, numel: number, zeroed: boolean): DataArray => {
    const bytes = numel * itemsize(dtype);
    // Node's unsafe buffers come straight from malloc, skipping the zero-fill.
    const raw = zeroed ? new ArrayBuffer(bytes + ALIGN) : Buffer.allocUnsafeSlow(bytes + ALIGN).buffer;
    return new (arrayType(dtype))(raw, addon.alignBuffer(raw, bytes >= HUGE_MIN_BYTES), numel);
  };

  const alloc = (dtype: DType, numel: number): Storage =>
    numel * itemsize(dtype) <= SLAB_MAX ? jsBackend.alloc(dtype, numel) : { dtype, data: alignedArray(dtype, numel, true), version: 0 };

  // Large outputs skip zero-filling.
  const allocUninit = (dtype: DType, numel: number): Storage =>
    numel * itemsize(dtype) < UNINIT_MIN_BYTES ? alloc(dtype, numel) : { dtype, data: alignedArray(dtype, numel, false), version: 0 };

  const elementwise = elementwiseKernels(addon);
  const denseIn = denseCopier(elementwise.copy);
  return {
    ...jsBackend, name: 'native', addon, alloc, allocUninit, ...elementwise, ...fusedKernels(addon), ...reduceKernels(addon, denseIn, allocUninit),
    ...linalgKernels(addon), ...nnKernels(addon, denseIn),
  };
}
