// src/nn/functional/tables.ts — host-side index and weight tables of composed ops (padding, resampling,
// adaptive pooling), allocated so that an impossible size is PyTorch's allocation error, named by the op.
import { allocArray } from '../../core/dtype.js';
import { AllocationError } from '../../core/errors.js';

/** A zeroed float64 table of `n` entries, filled by `f` when given. */
export function hostTable(op: string, n: number, f?: (i: number) => number): Float64Array {
  let table: Float64Array;
  try {
    // Sizes come from tensor dims, which an expanded view can make far larger than any allocation.
    if (!Number.isSafeInteger(n)) throw AllocationError.outOfMemory(n * 8);
    table = allocArray('float64', n) as Float64Array;
  } catch (e) {
    throw e instanceof AllocationError ? e.forOp(op) : e;
  }
  if (f !== undefined) for (let i = 0; i < n; i++) table[i] = f(i);
  return table;
}
