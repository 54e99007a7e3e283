// src/ops/indexing-views.ts — Python-style indexing: x[k], x[:, 1:3], x[..., 0], and y[k] = v.
import { IndexError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { inPlace, toDtype } from './define.js';
import { where } from './elementwise.js';
import { asTensor, type TensorOrScalar } from './operands.js';
import { expand, select, slice, unsqueeze } from './views.js';

/**
 * One index of `x.get(...)`: an integer selects (removing the dim), null keeps a whole dim
 * (Python's `:`), `[start, end, step]` slices (entries may be null), '...' stands for the dims
 * not otherwise indexed, and 'newaxis' inserts a size-1 dim (Python's None).
 */
export type Index = number | null | readonly [(number | null)?, (number | null)?, (number | null)?] | '...' | 'newaxis';

/** x[indices] as a view. */
export function get(x: Tensor, indices: readonly Index[]): Tensor {
  const used = indices.filter((i) => i !== '...' && i !== 'newaxis').length;
  if (used > x.dims.length) {
    throw new IndexError(`get: too many indices for tensor of dimension ${x.dims.length}`);
  }
  if (indices.filter((i) => i === '...').length > 1) throw new IndexError('get: an index can only have a single ellipsis');
  let out = x, dim = 0;
  for (const index of indices) {
    if (index === '...') dim += x.dims.length - used;
    else if (index === 'newaxis') out = unsqueeze(out, dim++);
    else if (index === null) dim++;
    else if (typeof index === 'number') {
      const size = out.dims[dim]!;
      if (!Number.isInteger(index) || index < -size || index >= size) {
        throw new IndexError(`get: index ${index} is out of bounds for dimension ${dim} with size ${size}`);
      }
      out = select(out, dim, index);
    } else {
      out = slice(out, dim++, index[0] ?? null, index[1] ?? null, index[2] ?? 1);
    }
  }
  return out;
}

/** y[indices] = value: writes value (broadcast, cast to y's dtype) into the indexed view in place. */
export function set(y: Tensor, indices: readonly Index[], value: TensorOrScalar): void {
  const region = get(y, indices);
  const v = asTensor(value, y.dtype);
  inPlace('set', region, v === value ? [v] : [], (x) => overwrite(x, expand(toDtype(v, y.dtype), region.dims)));
}

/**
 * `value` standing in `x`'s place: when `x` is tracked, the result stays in its graph with a
 * zero gradient towards it, as PyTorch's FillBackward and CopyBackwards do.
 */
export function overwrite(x: Tensor, value: Tensor): Tensor {
  return x.requiresGrad ? where(expand(asTensor(true, 'bool'), x.dims), value, x) : value;
}
