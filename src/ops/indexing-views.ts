// src/ops/indexing-views.ts — Python-style indexing: x[k], x[:, 1:3], x[..., 0], x[idx], x[mask],
// and y[k] = v, y[mask] = v.
import { IndexError } from '../core/errors.js';
import { fmtShape, numelOf } from '../core/shape.js';
import { isCpuStorage } from '../tensor/device.js';
import { Tensor } from '../tensor/tensor.js';
import { toDtype } from './define.js';
import { inPlace } from './in-place.js';
import { add, lt, mul, where } from './elementwise.js';
import { indexSelect, maskPositions } from './indexing.js';
import { asTensor, type TensorOrScalar } from './operands.js';
import { expand, reshape, select, slice, unsqueeze } from './views.js';

/**
 * One index of `x.get(...)`: an integer selects (removing the dim), null keeps a whole dim
 * (Python's `:`), `[start, end, step]` slices (entries may be null), '...' stands for the dims
 * not otherwise indexed, and 'newaxis' inserts a size-1 dim (Python's None). A tensor is an
 * advanced index: int64 picks entries along its dim (a copy), a bool or uint8 mask picks the
 * elements where it is true over as many dims as it has (a copy, flattened over those dims).
 */
export type Index = number | null | readonly [(number | null)?, (number | null)?, (number | null)?] | '...' | 'newaxis' | Tensor;

const isMask = (t: Tensor): boolean => t.dtype === 'bool' || t.dtype === 'uint8';

/** How many dims of the indexed tensor an index consumes. */
function width(index: Index): number {
  if (index === '...' || index === 'newaxis') return 0;
  return index instanceof Tensor && isMask(index) ? index.dims.length : 1;
}

/** x[indices]: a view for integers, slices and null; a copy once a tensor index takes part. */
export function get(x: Tensor, indices: readonly Index[]): Tensor {
  const used = indices.reduce<number>((n, i) => n + width(i), 0);
  if (used > x.dims.length) {
    throw new IndexError(`get: too many indices for tensor of dimension ${x.dims.length}`);
  }
  if (indices.filter((i) => i === '...').length > 1) throw new IndexError('get: an index can only have a single ellipsis');
  // Several tensor indices broadcast together in PyTorch; kindling takes one at a time only.
  if (indices.filter((i) => i instanceof Tensor).length > 1) {
    throw new IndexError('get: only one tensor index is supported; index with one tensor at a time');
  }
  let out = x, dim = 0;
  for (const index of indices) {
    if (index instanceof Tensor) {
      out = isMask(index) ? maskIndex(out, dim, index) : tensorIndex(out, dim, index);
      dim += isMask(index) ? 1 : index.dims.length;
    } else if (index === '...') dim += x.dims.length - used;
    else if (index === 'newaxis') out = unsqueeze(out, dim++);
    else if (index === null) dim++;
    else if (typeof index === 'number') {
      const size = out.dims[dim];
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

/** x[..., index, ...] for an int64 tensor at `dim`: the index's shape replaces that dim. */
function tensorIndex(x: Tensor, dim: number, index: Tensor): Tensor {
  if (index.dtype !== 'int64') throw new IndexError('get: tensors used as indices must be long, byte or bool tensors');
  const size = x.dims[dim];
  const flat = reshape(index, [-1]);
  // A CPU index is checked and wrapped on the host; a device index cannot be read synchronously, so
  // it is always wrapped on the device and left unchecked (as PyTorch's CUDA indexing leaves it to device asserts).
  const host = isCpuStorage(flat.storage) ? flat.toArray() : null;
  for (const i of host ?? []) {
    if (i < -size || i >= size) throw new IndexError(`get: index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  }
  const wrapped = host === null || host.some((i) => i < 0) ? add(flat, mul(lt(flat, 0), size)) : flat;
  const picked = indexSelect(x, dim, wrapped);
  return reshape(picked, [...x.dims.slice(0, dim), ...index.dims, ...x.dims.slice(dim + 1)]);
}

/** x[..., mask, ...] for a mask over dims dim..dim+k: those dims become one of the true positions. */
function maskIndex(x: Tensor, dim: number, mask: Tensor): Tensor {
  const k = mask.dims.length;
  if (k === 0) return maskPositions('get', mask).numel() > 0 ? unsqueeze(x, dim) : slice(unsqueeze(x, dim), dim, 0, 0);
  mask.dims.forEach((n, i) => {
    if (n !== x.dims[dim + i]) {
      throw new IndexError(
        `get: The shape of the mask ${fmtShape(mask.dims)} at index ${i} does not match the shape of the indexed tensor ` +
          `${fmtShape(x.dims)} at index ${dim + i}`,
      );
    }
  });
  const folded = reshape(x, [...x.dims.slice(0, dim), numelOf(mask.dims), ...x.dims.slice(dim + k)]);
  return indexSelect(folded, dim, maskPositions('get', mask));
}

/**
 * y[indices] = value: writes value (broadcast, cast to y's dtype) into the indexed region in
 * place. A lone bool mask writes where it is true (masked_fill_); it may cover y's leading dims.
 */
export function set(y: Tensor, indices: readonly Index[], value: TensorOrScalar): void {
  const v = asTensor(value, y.dtype);
  const first = indices[0];
  if (indices.length === 1 && first instanceof Tensor && isMask(first)) {
    if (first.dims.length > y.dims.length) throw new IndexError(`set: too many indices for tensor of dimension ${y.dims.length}`);
    const trailing = new Array<number>(y.dims.length - first.dims.length).fill(1);
    const mask = reshape(toDtype(first, 'bool'), [...first.dims, ...trailing]);
    inPlace('set', y, v === value ? [v] : [], (x) => where(mask, toDtype(v, y.dtype), x));
    return;
  }
  if (indices.some((i) => i instanceof Tensor)) {
    throw new IndexError('set: tensor indices are supported only as a single bool mask; use indexAdd_ or scatterAdd_');
  }
  const region = get(y, indices);
  inPlace('set', region, v === value ? [v] : [], (x) => overwrite(x, expand(toDtype(v, y.dtype), region.dims)));
}

/**
 * `value` standing in `x`'s place: when `x` is tracked, the result stays in its graph with a
 * zero gradient towards it, as PyTorch's FillBackward and CopyBackwards do.
 */
export function overwrite(x: Tensor, value: Tensor): Tensor {
  return x.requiresGrad ? where(expand(asTensor(true, 'bool'), x.dims), value, x) : value;
}
