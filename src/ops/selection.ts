// src/ops/selection.ts — ops whose result's size depends on the values (nonzero, argwhere, unique, bincount),
// computed on the host; searches (searchsorted, bucketize: a binary search on the host, comparisons on a
// device) and countNonzero, which run on every device.
import { isFloating, TYPE_NAMES } from '../core/dtype.js';
import { RuntimeError } from '../core/errors.js';
import { contiguousStrides, fmtShape, wrapDim } from '../core/shape.js';
import { deviceName, hostArray, isCpuStorage } from '../tensor/device.js';
import { tensor, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { toDtype } from './define.js';
import { le, logicalNot, lt, ne } from './elementwise.js';
import { gather, indexSelect } from './indexing.js';
import { type Dim, sum } from './reduce.js';
import { permute, reshape, unsqueeze } from './views.js';

/** The host values of `x` for an op whose result's size depends on them; a device tensor is refused. */
function hostValues(op: string, x: Tensor): ArrayLike<number> {
  if (!isCpuStorage(x.storage)) {
    throw new RuntimeError(
      `${op}: the result's size depends on the values of a ${deviceName(x.storage.device)} tensor, which cannot be read synchronously; ` +
        'call it on the CPU (await x.cpuAsync())',
    );
  }
  return hostArray(op, x, 'await x.cpuAsync()');
}

/**
 * The indices of the non-zero elements, one row per element (torch.nonzero); with `asTuple`, one 1-D tensor per dim.
 * @example torch.nonzero(torch.tensor([[0, 1], [2, 0]])) // tensor([[0, 1], [1, 0]])
 */
export function nonzero(x: Tensor, options?: { asTuple?: false }): Tensor;
export function nonzero(x: Tensor, options: { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, { asTuple = false }: { asTuple?: boolean } = {}): Tensor | Tensor[] {
  const values = hostValues('nonzero', x), n = x.dims.length, strides = contiguousStrides(x.dims);
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) count++;
  const out = new Float64Array(count * n);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 0) continue;
    for (let d = 0; d < n; d++) out[k++] = Math.floor(i / strides[d]) % x.dims[d];
  }
  const rows = reshape(tensor(out, { dtype: 'int64' }), [count, n]);
  if (!asTuple) return rows;
  // A 0-d input has one dim in PyTorch's tuple form: the positions in its one-element flattening.
  return n === 0 ? [tensor(new Float64Array(count), { dtype: 'int64' })] : Array.from({ length: n }, (_, d) => rows.select(1, d).contiguous());
}

/** The indices of the non-zero elements, one row per element (torch.argwhere). */
export function argwhere(x: Tensor): Tensor {
  return nonzero(x);
}

// Tensor methods whose result type depends on the options: their overloads omit `this` so that methods.ts's
// OmitThisParameter keeps every overload.

/** x.nonzero(), x.nonzero({ asTuple: true }). */
export function nonzeroMethod(options?: { asTuple?: false }): Tensor;
export function nonzeroMethod(options: { asTuple: true }): Tensor[];
export function nonzeroMethod(this: Tensor, options: { asTuple?: boolean } = {}): Tensor | Tensor[] {
  return options.asTuple === true ? nonzero(this, { asTuple: true }) : nonzero(this);
}

/** x.unique(options). */
export function uniqueMethod(options?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
export function uniqueMethod(options: UniqueOptions): Tensor[];
export function uniqueMethod(this: Tensor, options: UniqueOptions = {}): Tensor | Tensor[] {
  return unique(this, options);
}

/** The number of non-zero elements, in all of x or along `dim` (torch.count_nonzero). */
export function countNonzero(x: Tensor, dim: Dim | null = null): Tensor {
  return sum(ne(x, 0), dim ?? []);
}

/** The keyword options of unique (PyTorch's sorted=, return_inverse=, return_counts=, dim=). */
export interface UniqueOptions {
  /** kindling always sorts (PyTorch leaves the unsorted order unspecified). */
  sorted?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  dim?: number | null;
}

/**
 * The distinct elements (or with `dim`, the distinct slices along it), sorted, and with `returnInverse` and
 * `returnCounts` each input element's place among them and their multiplicities, as [output, inverse?,
 * counts?] (torch.unique).
 * @example torch.unique(torch.tensor([3, 1, 3])) // tensor([1., 3.])
 */
export function unique(x: Tensor, options?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
export function unique(x: Tensor, options: UniqueOptions): Tensor[];
export function unique(x: Tensor, { returnInverse = false, returnCounts = false, dim = null }: UniqueOptions = {}): Tensor | Tensor[] {
  const d = dim === null ? null : wrapDim(dim, x.dims.length, 'unique');
  // Rows to deduplicate: single elements, or the slices along dim flattened.
  const moved = d === null ? reshape(x, [-1, 1]) : reshape(permute(x, [d, ...x.dims.map((_, i) => i).filter((i) => i !== d)]), [x.dims[d], -1]);
  const values = hostValues('unique', moved), [rows, width] = moved.dims;
  const row = (r: number, c: number): number => values[r * width + c];
  const compare = (a: number, b: number): number => {
    for (let c = 0; c < width; c++) {
      const u = row(a, c), v = row(b, c);
      if (u !== v) return u !== u ? 1 : v !== v ? -1 : u - v; // NaN sorts last
    }
    return 0;
  };
  const order = Array.from({ length: rows }, (_, i) => i).sort((a, b) => compare(a, b) || a - b);
  const firsts: number[] = [], inverse = new Float64Array(rows), counts: number[] = [];
  order.forEach((r, i) => {
    if (i === 0 || compare(order[i - 1], r) !== 0 || row(r, 0) !== row(r, 0)) {
      firsts.push(r);
      counts.push(0);
    }
    inverse[r] = firsts.length - 1;
    counts[counts.length - 1]++;
  });
  const picked = tensor(Float64Array.from(firsts), { dtype: 'int64' });
  const output = d === null ? indexSelect(reshape(x, [-1]), 0, picked) : indexSelect(x, d, picked);
  if (!returnInverse && !returnCounts) return output;
  const result = [output];
  if (returnInverse) result.push(reshape(tensor(inverse, { dtype: 'int64' }), d === null ? x.dims : [rows]));
  if (returnCounts) result.push(tensor(Float64Array.from(counts), { dtype: 'int64' }));
  return result;
}

/** The keyword options of bincount. */
export interface BincountOptions {
  weights?: Tensor | null;
  minlength?: number;
}

/**
 * How often each value 0, 1, … max(x) occurs in a 1-D non-negative integer tensor, or the sums of `weights`
 * at each (torch.bincount); at least `minlength` bins.
 * @example torch.bincount(torch.tensor([1, 1, 3], { dtype: 'int64' })) // tensor([0, 2, 0, 1])
 */
export function bincount(x: Tensor, { weights = null, minlength = 0 }: BincountOptions = {}): Tensor {
  if (isFloating(x.dtype)) throw new RuntimeError(`bincount: "bincount_cpu" not implemented for '${TYPE_NAMES[x.dtype]}'`);
  if (minlength < 0) throw new RuntimeError('bincount: minlength should be >= 0');
  const values = hostValues('bincount', x);
  let max = -1;
  for (let i = 0; i < values.length; i++) {
    if (x.dims.length !== 1 || values[i] < 0) throw new RuntimeError('bincount: bincount only supports 1-d non-negative integral inputs.');
    max = Math.max(max, values[i]);
  }
  if (x.dims.length !== 1) throw new RuntimeError('bincount: bincount only supports 1-d non-negative integral inputs.');
  if (weights !== null && (weights.dims.length !== 1 || weights.dims[0] !== x.dims[0])) {
    throw new RuntimeError('bincount: weights should be 1-d and have the same length as input');
  }
  const bins = Math.max(minlength, max + 1);
  const w = weights === null ? null : hostValues('bincount', weights);
  const out = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) out[values[i]] += w === null ? 1 : w[i];
  const dtype = weights === null ? 'int64' : weights.dtype === 'float32' ? 'float32' : 'float64';
  return bins === 0 ? zeros([0], { dtype }) : toDtype(tensor(out, { dtype: 'float64' }), dtype);
}

/** The keyword options of searchsorted (PyTorch's out_int32=, right=, side=, sorter=). */
export interface SearchsortedOptions {
  outInt32?: boolean;
  right?: boolean;
  side?: 'left' | 'right';
  sorter?: Tensor | null;
}

/**
 * For each value, the index in the innermost dim of `sortedSequence` where it would be inserted to keep the
 * order: before equal elements, or with `right` after them (torch.searchsorted).
 * @example torch.searchsorted(torch.tensor([1, 3, 5, 7]), torch.tensor([3, 6])) // tensor([1, 3])
 */
export function searchsorted(sortedSequence: Tensor, values: Tensor | number, { outInt32 = false, right = false, side, sorter = null }: SearchsortedOptions = {}): Tensor {
  // right's default (false) gives way to side; only right=true with side 'left' contradicts.
  if (right && side === 'left') {
    throw new RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True");
  }
  const after = side === 'right' || right;
  const v = typeof values === 'number' ? tensor(values, { dtype: sortedSequence.dtype, device: sortedSequence.storage.device }) : values;
  const s = sorter === null ? sortedSequence : gather(sortedSequence, -1, sorter);
  const lead = s.dims.slice(0, -1);
  if (s.dims.length === 0 || (s.dims.length > 1 && (v.dims.length !== s.dims.length || lead.some((n, i) => n !== v.dims[i])))) {
    throw new RuntimeError(
      `torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor ${fmtShape(s.dims)} and input value tensor ${fmtShape(v.dims)}`,
    );
  }
  const dtype = outInt32 ? 'int32' : 'int64';
  if (isCpuStorage(s.storage) && isCpuStorage(v.storage)) return binarySearch(s, v, after, dtype);
  // On a device, the count of sequence elements that fail PyTorch's test, all compared at once ([..., m, n]):
  // for a sorted row it is where the binary search ends, NaN values included (every test fails).
  const passes = (after ? lt : le)(unsqueeze(v, -1), s.dims.length === 1 ? s : unsqueeze(s, -2));
  return toDtype(sum(logicalNot(passes), -1), dtype);
}

/** PyTorch's lower (or with `after`, upper) bound search per value, on the host: O(log n) per value. */
function binarySearch(s: Tensor, v: Tensor, after: boolean, dtype: 'int32' | 'int64'): Tensor {
  const seq = hostArray('searchsorted', s, 'a CPU tensor'), values = hostArray('searchsorted', v, 'a CPU tensor');
  const n = s.dims[s.dims.length - 1], m = v.dims.length === 0 ? 1 : v.dims[v.dims.length - 1];
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const base = s.dims.length === 1 ? 0 : Math.floor(i / m) * n, x = values[i];
    let lo = 0, hi = n;
    while (lo < hi) {
      const mid = lo + ((hi - lo) >> 1), at = seq[base + mid];
      // PyTorch's cus_lower_bound / cus_upper_bound tests, negated as there, so NaN values go to the end.
      if (after ? !(at > x) : !(at >= x)) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  return toDtype(reshape(tensor(out, { dtype: 'int64' }), v.dims), dtype);
}

/**
 * The index of the bucket each value falls in, for 1-D sorted `boundaries` (torch.bucketize): searchsorted
 * with the arguments swapped.
 * @example torch.bucketize(torch.tensor([3, 6, 9]), torch.tensor([1, 3, 5, 7])) // tensor([1, 3, 4])
 */
export function bucketize(input: Tensor | number, boundaries: Tensor, { outInt32 = false, right = false }: { outInt32?: boolean; right?: boolean } = {}): Tensor {
  if (boundaries.dims.length !== 1) throw new RuntimeError(`bucketize: boundaries tensor must be 1 dimension, but got dim(${boundaries.dims.length})`);
  return searchsorted(boundaries, input, { outInt32, right });
}
