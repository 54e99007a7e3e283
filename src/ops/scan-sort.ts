// src/ops/scan-sort.ts — running sums and products (cumsum, cumprod) and ordering (sort, argsort, topk).
// Orderings compute int64 indices with the backend's stable sort, then pick values with gather, so their
// gradients are gather's.
import { type DType, isFloating } from '../core/dtype.js';
import { RuntimeError } from '../core/errors.js';
import { wrapDim } from '../core/shape.js';
import type { CumulativeOp } from '../backends/backend.js';
import { arange } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { type ValuesIndices, valuesIndices } from './argreduce.js';
import { defineOp } from './define.js';
import { ge, gt, lt, mul, where } from './elementwise.js';
import { gather } from './indexing.js';
import { prod, sum } from './reduce.js';
import { narrow, transpose, unsqueeze } from './views.js';
import { flip } from './rearrange.js';

/** The dtype= keyword of cumsum and cumprod. */
export interface CumulativeOptions {
  dtype?: DType;
}

const cumulativeOp = (op: CumulativeOp, gradFn: string) => defineOp<{ axis: number; dtype: DType }>({
  name: `cum${op}`,
  gradFn,
  meta: ([x], { dtype }) => ({ shape: x.dims, dtype, cast: dtype }),
  forward: (be, [x], out, { axis }) => {
    // A 0-d input scans its one element.
    be.cumulative(op, x.shape.length === 0 ? { ...x, shape: [1], strides: [1] } : x, axis, out);
  },
  backward: (g, [x], _, { axis }) => [op === 'sum' ? cumsumBackward(g, axis) : cumprodBackward(g, x, axis)],
  saves: op === 'sum' ? 'none' : 'inputs',
  overwrites: true,
});
const cumsumOp = cumulativeOp('sum', 'CumsumBackward0'), cumprodOp = cumulativeOp('prod', 'CumprodBackward0');

/** PyTorch's gradient of cumsum: the reversed running sum of g (g.flip(dim).cumsum(dim).flip(dim)). */
function cumsumBackward(g: Tensor, axis: number): Tensor {
  if (g.dims.length === 0) return g;
  return flip(cumsum(flip(g, [axis]), axis), [axis]);
}

/**
 * The gradient of cumprod with zeros allowed: dx_k = Π_{j<k} x_j · Σ_{i≥k} g_i Π_{k<j≤i} x_j, built as an n×n
 * table per row (O(n²) memory along the scanned dim), so no division by x is needed.
 */
function cumprodBackward(g: Tensor, x: Tensor, axis: number): Tensor {
  if (x.dims.length === 0) return g;
  const last = x.dims.length - 1;
  const xs = transpose(x, axis, last), gs = transpose(g, axis, last), n = x.dims[axis];
  const j = arange(n, { device: x.storage.device }), k = unsqueeze(j, 1); // table rows k, columns j
  const row = unsqueeze(xs, -2);
  const after = cumprod(where(gt(j, k), row, 1), -1); // Π_{k<j≤i} x_j at column i
  const before = prod(where(lt(j, k), row, 1), -1); // Π_{j<k} x_j
  const tail = sum(where(ge(j, k), mul(unsqueeze(gs, -2), after), 0), -1);
  return transpose(mul(before, tail), axis, last);
}

function cumulativeDtype(x: Tensor, dtype: DType | undefined): DType {
  // Integer and bool inputs accumulate in int64, as PyTorch's cumsum and cumprod do.
  return dtype ?? (isFloating(x.dtype) ? x.dtype : 'int64');
}

/**
 * Running sum along `dim` (torch.cumsum).
 * @example torch.cumsum(torch.tensor([1, 2, 3]), 0) // tensor([1., 3., 6.])
 */
export function cumsum(x: Tensor, dim: number, { dtype }: CumulativeOptions = {}): Tensor {
  return cumsumOp([x], { axis: wrapDim(dim, x.dims.length, 'cumsum'), dtype: cumulativeDtype(x, dtype) });
}

/**
 * Running product along `dim` (torch.cumprod).
 * @example torch.cumprod(torch.tensor([1, 2, 3]), 0) // tensor([1., 2., 6.])
 */
export function cumprod(x: Tensor, dim: number, { dtype }: CumulativeOptions = {}): Tensor {
  return cumprodOp([x], { axis: wrapDim(dim, x.dims.length, 'cumprod'), dtype: cumulativeDtype(x, dtype) });
}

// ---- sort, argsort, topk

const sortIndexOp = defineOp<{ axis: number; descending: boolean }>({
  name: 'sort',
  gradFn: '',
  meta: ([x]) => ({ shape: x.dims, dtype: 'int64' }),
  forward: (be, [input], out, { axis, descending }) => {
    const x = input.shape.length === 0 ? { ...input, shape: [1], strides: [1] } : input;
    be.sort(x, axis, descending, be.alloc(x.storage.dtype, out.numel), out);
  },
  backward: null,
  saves: 'none',
});

/** The keyword options of sort and argsort (PyTorch's dim=, descending=, stable=). */
export interface SortOptions {
  dim?: number;
  descending?: boolean;
  /** kindling's sort is always stable (PyTorch's CPU sort is too); accepted for compatibility. */
  stable?: boolean;
}

/** sort(x), sort(x, dim, descending?), sort(x, { dim, descending, stable }). */
export type SortArgs = [options?: SortOptions] | [dim: number, descending?: boolean, options?: SortOptions];

function sortParams(op: string, x: Tensor, args: SortArgs): { axis: number; descending: boolean } {
  const [first, second, third] = args;
  const options = typeof first === 'object' ? first : third ?? {};
  const dim = typeof first === 'number' ? first : options.dim ?? -1;
  const descending = typeof second === 'boolean' ? second : options.descending ?? false;
  if (x.dtype === 'bool' && op === 'topk') throw new RuntimeError(`topk: "topk_cpu" not implemented for 'Bool'`);
  return { axis: wrapDim(dim, x.dims.length, op), descending };
}

/**
 * Values and indices sorted along `dim` (torch.sort); ties keep their order (a stable sort) and NaN sorts as
 * the largest value.
 * @example torch.sort(torch.tensor([3, 1, 2])).indices // tensor([1, 2, 0])
 */
export function sort(x: Tensor, ...args: SortArgs): ValuesIndices {
  const p = sortParams('sort', x, args);
  const indices = sortIndexOp([x], p);
  return valuesIndices(x.dims.length === 0 ? x : gather(x, p.axis, indices), indices);
}

/** The indices that sort `x` along `dim` (torch.argsort). */
export function argsort(x: Tensor, ...args: SortArgs): Tensor {
  return sortIndexOp([x], sortParams('argsort', x, args));
}

/** The keyword options of topk (PyTorch's dim=, largest=, sorted=). */
export interface TopkOptions {
  dim?: number;
  largest?: boolean;
  sorted?: boolean;
}

/**
 * The k largest (or with `largest: false` smallest) values along `dim` and their indices, in sorted order
 * (torch.topk). Ties come out in index order; PyTorch leaves their order unspecified.
 * @example torch.topk(torch.tensor([1, 5, 3]), 2).values // tensor([5., 3.])
 */
export function topk(x: Tensor, k: number, dim: number | TopkOptions = -1, largest = true, sorted = true): ValuesIndices {
  const options = typeof dim === 'object' ? dim : { dim, largest, sorted };
  const p = sortParams('topk', x, [options.dim ?? -1, options.largest ?? true]);
  const size = x.dims.length === 0 ? 1 : x.dims[p.axis];
  if (!Number.isInteger(k) || k < 0 || k > size) throw new RuntimeError('topk: selected index k out of range');
  const all = sortIndexOp([x], p);
  const indices = x.dims.length === 0 ? all : narrow(all, p.axis, 0, k);
  return valuesIndices(x.dims.length === 0 ? x : gather(x, p.axis, indices), indices);
}
