// src/nn/functional/embedding-bag.ts — F.embeddingBag: sums, means or maxima of embedding rows over bags
// (rows of a 2-D input, or 1-D segments given by offsets), composed from index_select, index_add and max so
// that the weight's gradient is PyTorch's; bag boundaries are read on the host, as PyTorch's CPU kernel does.
import { NotImplementedError, RuntimeError, ValueError } from '../../core/errors.js';
import { fmtShape } from '../../core/shape.js';
import { clamp, div, mul, ne, where } from '../../ops/elementwise.js';
import { indexAdd, indexSelect } from '../../ops/indexing.js';
import { reshape, unsqueeze } from '../../ops/views.js';
import { full, tensor, zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { hostTable } from './tables.js';

export type EmbeddingBagMode = 'sum' | 'mean' | 'max';

export interface EmbeddingBagOptions {
  mode?: EmbeddingBagMode;
  perSampleWeights?: Tensor | null;
  includeLastOffset?: boolean;
  paddingIdx?: number | null;
}

const TENSOR_NAMES = { float32: 'Float', float64: 'Double', bool: 'Bool', uint8: 'Byte', int32: 'Int', int64: 'Long' } as const;

/** Start and end positions of each bag, checked as PyTorch checks its offsets. */
function bagBounds(op: string, n: number, offsets: readonly number[], includeLastOffset: boolean): [number[], number[]] {
  if (offsets.length > 0 && offsets[0] !== 0) {
    throw new RuntimeError(`${op}: offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position 0. However, got ${offsets[0]}`);
  }
  const last = offsets.at(-1) ?? 0;
  if (last > n) throw new RuntimeError(`${op}: offsets[-1] can not be greater than input's length ${n} but got offsets[-1] of ${last}`);
  const starts = includeLastOffset ? offsets.slice(0, -1) : [...offsets];
  const ends = starts.map((_, b) => (b + 1 < offsets.length ? offsets[b + 1] : n));
  return [starts, ends];
}

/**
 * Reduces the embedding rows of each bag of indices (F.embedding_bag): with a 2-D input, each row is a bag;
 * with a 1-D input, `offsets` gives each bag's start. Entries equal to paddingIdx are left out; empty bags give zeros.
 */
export function embeddingBag(input: Tensor, weight: Tensor, offsets: Tensor | null = null, options: EmbeddingBagOptions = {}): Tensor {
  const op = 'embedding_bag';
  const { mode = 'mean', perSampleWeights = null, includeLastOffset = false, paddingIdx = null } = options;
  const modeName: string = mode;
  if (modeName !== 'sum' && modeName !== 'mean' && modeName !== 'max') throw new ValueError(`${op}: mode has to be one of sum, mean or max`);
  if (perSampleWeights !== null && mode !== 'sum') {
    throw new NotImplementedError(`${op}: embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got mode='${mode}'). Please open a feature request on GitHub.`);
  }
  for (const t of [input, ...(offsets === null ? [] : [offsets])]) {
    if (t.dtype !== 'int64' && t.dtype !== 'int32') {
      throw new RuntimeError(`${op}: Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.${TENSOR_NAMES[t.dtype]}Tensor instead (while checking arguments for embedding_bag)`);
    }
  }
  let bounds: [number[], number[]];
  if (input.dim() === 2) {
    if (offsets !== null) throw new ValueError(`${op}: if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed length sequences. However, found offsets of type <class 'torch.Tensor'>`);
    const [b, l] = input.dims as [number, number];
    bounds = [Array.from(hostTable(op, b, (i) => i * l)), Array.from(hostTable(op, b, (i) => (i + 1) * l))];
  } else if (input.dim() === 1) {
    if (offsets?.dim() !== 1) throw new ValueError(`${op}: offsets has to be a 1D Tensor but got ${offsets === null ? 'None' : `a ${offsets.dim()}D Tensor`}`);
    bounds = bagBounds(op, input.numel(), Array.from(offsets.toArray()), includeLastOffset);
  } else throw new ValueError(`${op}: input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.dim()}`);
  const flat = reshape(input, [-1]), n = flat.numel();
  if (perSampleWeights !== null && (perSampleWeights.dim() !== input.dim() || perSampleWeights.dims.some((s, i) => s !== input.dims[i]))) {
    throw new ValueError(`${op}: embedding_bag: If per_sample_weights (torch.Size([${perSampleWeights.dims.join(', ')}])) is not None, then it must have the same shape as the input (torch.Size([${input.dims.join(', ')}]))`);
  }
  if (weight.dim() !== 2) throw new RuntimeError(`${op}: weight has to be a 2D Tensor, but got Tensor of dimension ${weight.dim()} (${fmtShape(weight.dims)})`);
  const [starts, ends] = bounds, bags = starts.length, d = weight.dims[1];
  const device = { device: weight.device };
  const rows = indexSelect(weight, 0, flat);
  const keep = paddingIdx === null ? null : ne(flat, paddingIdx < 0 ? paddingIdx + weight.dims[0] : paddingIdx);
  if (mode === 'max') {
    // Bags padded to the longest; missing or padding entries are −∞, and an empty bag's −∞ becomes 0.
    const width = starts.reduce((m, s, b) => Math.max(m, ends[b] - s), 1);
    const slot = hostTable(op, bags * width, (i) => Math.min(starts[Math.floor(i / width)] + (i % width), Math.max(n - 1, 0)));
    const valid = hostTable(op, bags * width, (i) => (i % width < ends[Math.floor(i / width)] - starts[Math.floor(i / width)] ? 1 : 0));
    let mask = tensor(valid, { dtype: 'bool', ...device });
    const positions = tensor(slot, { dtype: 'int64', ...device });
    if (keep !== null) mask = mask.logicalAnd(indexSelect(keep, 0, positions));
    const picked = n === 0 ? full([bags * width, d], 0, { dtype: weight.dtype, ...device }) : indexSelect(rows, 0, positions);
    const values = reshape(where(unsqueeze(mask, 1), picked, -Infinity), [bags, width, d]).max(1)[0];
    const count = reshape(mask, [bags, width]).sum(1, true);
    return where(count.gt(0), values, 0);
  }
  // Positions visit bags in order, so one pointer walks the bags; with includeLastOffset, positions after the
  // last offset belong to no bag and contribute nothing.
  let b = 0;
  const owner = hostTable(op, n, (t) => {
    while (b + 1 < bags && starts[b + 1] <= t) b++;
    return b;
  });
  const inBag = hostTable(op, n, (t) => (bags > 0 && t >= starts[owner[t]] && t < ends[owner[t]] ? 1 : 0));
  const bagOf = tensor(owner, { dtype: 'int64', ...device });
  let contributions = rows;
  if (perSampleWeights !== null) contributions = mul(contributions, unsqueeze(reshape(perSampleWeights, [-1]), 1));
  let member = tensor(inBag, { dtype: 'bool', ...device });
  if (keep !== null) member = member.logicalAnd(keep);
  contributions = where(unsqueeze(member, 1), contributions, 0);
  const sums = indexAdd(zeros([bags, d], { dtype: weight.dtype, ...device }), 0, bagOf, contributions);
  if (mode === 'sum') return sums;
  const counts = indexAdd(zeros([bags], { dtype: weight.dtype, ...device }), 0, bagOf, member.to(weight.dtype));
  return div(sums, unsqueeze(clamp(counts, 1), 1));
}
