// src/backends/native/index.ts — the native backend: the JS reference with its heavy kernels
// (float32/float64 elementwise, copies, reductions, matmul, convolution, pooling, softmax, sampling) routed to
// the C++ addon, and its storages aligned to 64 bytes.
import { Buffer, constants } from 'node:buffer';
import { totalmem } from 'node:os';
import { arrayType, type DataArray, type DType, itemsize } from '../../core/dtype.js';
import { AllocationError, RuntimeError } from '../../core/errors.js';
import type { CpuBackend, CpuStorage } from '../backend.js';
import { cpuStorage, jsBackend } from '../js/index.js';
import { SLAB_MAX, setSlabAligner } from '../js/slab.js';
import type { Addon } from './addon.js';
import { elementwiseKernels } from './elementwise.js';
import { fusedKernels } from './fused.js';
import { linalgKernels } from './linalg.js';
import { nnKernels } from './nn.js';
import { randomKernels } from './random.js';
import { reduceKernels } from './reduce.js';
import { denseCopier } from './views.js';

// Below this size V8's own zero-filled allocation is as fast as an uninitialised one.
const UNINIT_MIN_BYTES = 1 << 16;
// Buffers from this size up are put on transparent huge pages (addon alignBuffer).
const HUGE_MIN_BYTES = 1 << 22;
// Storages above the JS backend's slab limit get their own buffer, aligned like PyTorch's to 64 bytes.
const ALIGN = 64;
const BUFFER_MAX = constants.MAX_LENGTH;
const MEMORY = totalmem();

/** Builds the native backend over a loaded addon. */
export function makeNativeBackend(addon: Addon): Required<CpuBackend> & { addon: Addon } {
  addon.setErrorClass(RuntimeError);
  addon.tuneMalloc();
  setSlabAligner((buffer) => addon.alignBuffer(buffer, false));

  /** A 64-byte aligned array in its own buffer (zero-filled or not), on huge pages when large. */
  const alignedArray = (dtype: DType, numel: number, zeroed: boolean): DataArray => {
    const bytes = numel * itemsize(dtype);
    // More than the machine's memory cannot succeed, and V8 answers a failed ArrayBuffer allocation
    // with full garbage collections before giving up (tens of milliseconds each).
    if (bytes > MEMORY) throw AllocationError.outOfMemory(bytes);
    try {
      // Node's unsafe buffers come straight from malloc, skipping the zero-fill, up to Buffer's 4 GB limit.
      const raw = zeroed || bytes + ALIGN > BUFFER_MAX ? new ArrayBuffer(bytes + ALIGN) : Buffer.allocUnsafeSlow(bytes + ALIGN).buffer;
      return new (arrayType(dtype))(raw, addon.alignBuffer(raw, bytes >= HUGE_MIN_BYTES), numel);
    } catch (e) {
      throw e instanceof RangeError ? AllocationError.outOfMemory(bytes) : e;
    }
  };

  const alloc = (dtype: DType, numel: number): CpuStorage =>
    numel * itemsize(dtype) <= SLAB_MAX ? jsBackend.alloc(dtype, numel) : cpuStorage(dtype, alignedArray(dtype, numel, true));

  // Large outputs skip zero-filling.
  const allocUninit = (dtype: DType, numel: number): CpuStorage =>
    numel * itemsize(dtype) < UNINIT_MIN_BYTES ? alloc(dtype, numel) : cpuStorage(dtype, alignedArray(dtype, numel, false));

  const elementwise = elementwiseKernels(addon);
  const denseIn = denseCopier(elementwise.copy);
  return {
    ...jsBackend, name: 'native', addon, alloc, allocUninit, ...elementwise, ...fusedKernels(addon), ...reduceKernels(addon, denseIn, allocUninit),
    ...linalgKernels(addon), ...nnKernels(addon, denseIn),
    random: randomKernels(addon),
  };
}
