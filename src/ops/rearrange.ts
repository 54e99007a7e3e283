// src/ops/rearrange.ts — ops that move or repeat elements: flip, roll, repeat, tile, tril, triu, meshgrid. All are
// compositions (index selects, concatenation, expand, where), so their gradients come from their parts.
import { RuntimeError } from '../core/errors.js';
import { wrapDim } from '../core/shape.js';
import { arange } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { expandTo } from './define.js';
import { ge, le, sub, where } from './elementwise.js';
import { cat, indexSelect } from './indexing.js';
import { clone, narrow, reshape, unsqueeze } from './views.js';

/** Distinct wrapped dims, or PyTorch's error for a repeated one. */
function distinctDims(op: string, x: Tensor, dims: readonly number[]): number[] {
  const axes = dims.map((d) => wrapDim(d, x.dims.length, op));
  axes.forEach((a, i) => {
    if (axes.indexOf(a) !== i) throw new RuntimeError(`${op}: dim ${a} appears multiple times in the list of dims`);
  });
  return axes;
}

/**
 * Reverses the order of elements along `dims` (torch.flip); a copy, as in PyTorch.
 * @example torch.flip(torch.tensor([1, 2, 3]), [0]) // tensor([3., 2., 1.])
 */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  const axes = distinctDims('flip', x, typeof dims === 'number' ? [dims] : dims);
  let out = x;
  for (const a of axes) {
    const n = a < x.dims.length ? x.dims[a] : 1; // a 0-d tensor's dim 0
    if (n <= 1) continue;
    out = indexSelect(out, a, arange(n - 1, -1, -1, { device: x.storage.device }));
  }
  return out === x ? clone(x) : out;
}

/** Flips left to right: dim 1 (torch.fliplr). */
export function fliplr(x: Tensor): Tensor {
  if (x.dims.length < 2) throw new RuntimeError('fliplr: Input must be >= 2-d.');
  return flip(x, [1]);
}

/** Flips up to down: dim 0 (torch.flipud). */
export function flipud(x: Tensor): Tensor {
  if (x.dims.length < 1) throw new RuntimeError('flipud: Input must be >= 1-d.');
  return flip(x, [0]);
}

/**
 * Rolls elements along `dims` by `shifts` (torch.roll); without dims, along the flattened tensor.
 * @example torch.roll(torch.tensor([1, 2, 3]), 1) // tensor([3., 1., 2.])
 */
export function roll(x: Tensor, shifts: number | readonly number[], dims: number | readonly number[] | null = null): Tensor {
  const s = typeof shifts === 'number' ? [shifts] : shifts;
  if (dims === null || (typeof dims === 'object' && dims.length === 0)) {
    if (s.length !== 1) throw new RuntimeError(`roll: shifts and dimensions must align. shifts: ${s.length}, dims:0`);
    return reshape(roll(reshape(x, [-1]), s[0], 0), x.dims);
  }
  const d = typeof dims === 'number' ? [dims] : dims;
  if (s.length !== d.length) throw new RuntimeError(`roll: shifts and dimensions must align. shifts: ${s.length}, dims:${d.length}`);
  let out = x;
  d.forEach((dim, i) => {
    const a = wrapDim(dim, x.dims.length, 'roll'), n = x.dims.length === 0 ? 1 : x.dims[a];
    const k = n === 0 ? 0 : ((s[i] % n) + n) % n;
    if (k !== 0) out = cat([narrow(out, a, n - k, k), narrow(out, a, 0, n - k)], a);
  });
  return out === x ? clone(x) : out;
}

/**
 * Repeats the tensor `sizes[i]` times along each dim, leading sizes adding dims (Tensor.repeat).
 * @example torch.tensor([1, 2]).repeat(2) // tensor([1., 2., 1., 2.])
 */
export function repeat(x: Tensor, sizes: readonly number[]): Tensor {
  if (sizes.length < x.dims.length) {
    throw new RuntimeError('repeat: Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  }
  for (const r of sizes) if (!Number.isInteger(r) || r < 0) throw new RuntimeError(`repeat: Trying to create tensor with negative dimension ${r}: [${sizes.join(', ')}]`);
  const dims = [...sizes.slice(0, sizes.length - x.dims.length).map(() => 1), ...x.dims];
  // [1, d0, 1, d1 …] expanded to [r0, d0, r1, d1 …] and merged pairwise: each copy of a dim follows the last.
  const interleaved = dims.flatMap((n) => [1, n]), expanded = dims.flatMap((n, i) => [sizes[i], n]);
  return reshape(expandTo(reshape(x, interleaved), expanded), dims.map((n, i) => n * sizes[i]));
}

/**
 * Repeats the tensor along each dim; fewer `dims` than the tensor has are padded with leading 1s (torch.tile).
 * @example torch.tile(torch.tensor([1, 2]), [2]) // tensor([1., 2., 1., 2.])
 */
export function tile(x: Tensor, dims: readonly number[]): Tensor {
  const pad = Math.max(0, x.dims.length - dims.length);
  return repeat(x, [...Array<number>(pad).fill(1), ...dims]);
}

/** Zeros outside a band of the last two dims: keep col − row ≤ k (lower) or ≥ k (upper). */
function triangle(op: 'tril' | 'triu', x: Tensor, diagonal: number): Tensor {
  wrapDim(-2, x.dims.length, op);
  const rows = x.dims[x.dims.length - 2], cols = x.dims[x.dims.length - 1], device = x.storage.device;
  const offset = sub(arange(cols, { device }), unsqueeze(arange(rows, { device }), 1)); // col − row
  const keep = op === 'tril' ? le(offset, diagonal) : ge(offset, diagonal);
  return where(keep, x, x.dtype === 'bool' ? false : 0);
}

/**
 * The lower triangle of the last two dims, with `diagonal` shifting the boundary (torch.tril).
 * @example torch.tril(torch.ones(2, 2)) // tensor([[1., 0.], [1., 1.]])
 */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle('tril', x, diagonal);
}

/** The upper triangle of the last two dims, with `diagonal` shifting the boundary (torch.triu). */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle('triu', x, diagonal);
}

/** The indexing= keyword of meshgrid: 'ij' (matrix, the default) or 'xy' (Cartesian: the first two dims swapped). */
export interface MeshgridOptions {
  indexing?: 'ij' | 'xy';
}

type MeshgridArgs = Tensor[] | [...Tensor[], MeshgridOptions] | [readonly Tensor[]] | [readonly Tensor[], MeshgridOptions];

/**
 * Grids of coordinates: for N 1-D tensors, N tensors of their sizes, the i-th varying along dim i (views,
 * as PyTorch's) (torch.meshgrid).
 * @example torch.meshgrid(torch.tensor([1, 2]), torch.tensor([3, 4, 5]), { indexing: 'ij' })[0].shape // [2, 3]
 */
export function meshgrid(...args: MeshgridArgs): Tensor[] {
  const last = args[args.length - 1];
  const hasOptions = args.length > 0 && !(last instanceof Tensor) && !Array.isArray(last);
  const options = (hasOptions ? last : {}) as MeshgridOptions;
  const rest = (hasOptions ? args.slice(0, -1) : args) as (Tensor | readonly Tensor[])[];
  const tensors = rest.length === 1 && Array.isArray(rest[0]) ? (rest[0] as readonly Tensor[]) : (rest as Tensor[]);
  const indexing: string = options.indexing ?? 'ij'; // checked at run time for JavaScript callers
  if (indexing !== 'ij' && indexing !== 'xy') {
    throw new RuntimeError(`torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${indexing}`);
  }
  if (tensors.length === 0) throw new RuntimeError('meshgrid expects a non-empty TensorList');
  for (const t of tensors) {
    if (t.dims.length > 1) throw new RuntimeError(`torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got a ${t.dims.length}-D tensor`);
  }
  const swap = indexing === 'xy' && tensors.length >= 2;
  // With 'xy' the first two inputs trade places in the output's dims.
  const axisOf = (i: number): number => (swap && i < 2 ? 1 - i : i);
  const sizes = tensors.map((t) => t.numel()), shape = tensors.map((_, d) => sizes[tensors.findIndex((__, i) => axisOf(i) === d)]);
  return tensors.map((t, i) => expandTo(reshape(t, shape.map((n, d) => (d === axisOf(i) ? n : 1))), shape));
}
