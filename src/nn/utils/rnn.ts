// src/nn/utils/rnn.ts — torch.nn.utils.rnn: PackedSequence, padSequence, packPaddedSequence,
// padPackedSequence and packSequence, composed from narrow, cat and stack (gradients flow through).
import { RuntimeError, ValueError } from '../../core/errors.js';
import { cat, indexSelect, stack } from '../../ops/indexing.js';
import { narrow, transpose } from '../../ops/views.js';
import { full, tensor } from '../../tensor/creation.js';
import { Tensor } from '../../tensor/tensor.js';

/**
 * Sequences of different lengths packed time step by time step (torch.nn.utils.rnn.PackedSequence):
 * `data` holds, for each step t, the batchSizes[t] sequences still running, longest first.
 */
export class PackedSequence {
  constructor(
    readonly data: Tensor,
    /** int64, on the CPU: how many sequences each time step holds (non-increasing). */
    readonly batchSizes: Tensor,
    /** int64: the batch order of the packed sequences (null when the input was sorted). */
    readonly sortedIndices: Tensor | null = null,
    /** int64: the inverse of sortedIndices. */
    readonly unsortedIndices: Tensor | null = null,
  ) {}

  /** The batch sizes as numbers. */
  get sizes(): number[] {
    return Array.from(this.batchSizes.toArray(), Number);
  }

  /** PyTorch's printed form of the named tuple. */
  toString(): string {
    return `PackedSequence(data=${String(this.data)}, batch_sizes=${String(this.batchSizes)}, ` +
      `sorted_indices=${this.sortedIndices === null ? 'None' : String(this.sortedIndices)}, ` +
      `unsorted_indices=${this.unsortedIndices === null ? 'None' : String(this.unsortedIndices)})`;
  }
}

const long = (values: readonly number[]): Tensor => tensor([...values], { dtype: 'int64' });

function lengthsOf(lengths: Tensor | readonly number[]): number[] {
  return lengths instanceof Tensor ? Array.from(lengths.toArray(), Number) : [...lengths];
}

/** The inverse of a permutation given as numbers. */
function invert(perm: readonly number[]): number[] {
  const out = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    out[p] = i;
  });
  return out;
}

/**
 * Stacks sequences [Lᵢ, *] into [max L, N, *] (or [N, max L, *] with batchFirst), padding the
 * shorter ones with paddingValue (torch.nn.utils.rnn.pad_sequence).
 */
export function padSequence(sequences: readonly Tensor[], batchFirst = false, paddingValue = 0): Tensor {
  if (sequences.length === 0) throw new RuntimeError('padSequence: received an empty list of sequences');
  const maxLen = Math.max(...sequences.map((s) => s.dims[0]));
  const padded = sequences.map((s) => {
    const missing = maxLen - s.dims[0];
    if (missing === 0) return s;
    return cat([s, full([missing, ...s.dims.slice(1)], paddingValue, { dtype: s.dtype, device: s.device })]);
  });
  return stack(padded, batchFirst ? 0 : 1);
}

/**
 * Packs a padded batch [T, N, *] (or [N, T, *]) of sequences with the given lengths
 * (torch.nn.utils.rnn.pack_padded_sequence); with enforceSorted false, the lengths may come in any order.
 */
export function packPaddedSequence(
  input: Tensor, lengths: Tensor | readonly number[], batchFirst = false, enforceSorted = true,
): PackedSequence {
  let lens = lengthsOf(lengths);
  let sortedIndices: number[] | null = null;
  let x = batchFirst ? transpose(input, 0, 1) : input;
  if (!enforceSorted) {
    // Longest first; equal lengths keep their order.
    sortedIndices = lens.map((_, i) => i).sort((a, b) => lens[b] - lens[a] || a - b);
    lens = sortedIndices.map((i) => lens[i]);
    x = indexSelect(x, 1, long(sortedIndices));
  } else if (lens.some((l, i) => i > 0 && l > lens[i - 1])) {
    throw new RuntimeError(
      '`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass ' +
        '`enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do ' +
        'not need ONNX exportability.',
    );
  }
  if (lens.length !== x.dims[1]) {
    throw new ValueError(`packPaddedSequence: Expected \`len(lengths)\` to be equal to batch_size, but got ${lens.length} (batch_size=${x.dims[1]})`);
  }
  if (lens.some((l) => l <= 0)) {
    throw new RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
  }
  if (lens[0] > x.dims[0]) {
    throw new RuntimeError(`packPaddedSequence: the longest length ${lens[0]} exceeds the sequence dimension ${x.dims[0]}`);
  }
  const batchSizes: number[] = [];
  for (let t = 0; t < lens[0]; t++) batchSizes.push(lens.filter((l) => l > t).length);
  const data = cat(batchSizes.map((b, t) => narrow(x.select(0, t), 0, 0, b)));
  return new PackedSequence(
    data, long(batchSizes), sortedIndices === null ? null : long(sortedIndices), sortedIndices === null ? null : long(invert(sortedIndices)),
  );
}

/**
 * Unpacks to a padded batch [T, N, *] (or [N, T, *]) in the original batch order, and the lengths
 * (torch.nn.utils.rnn.pad_packed_sequence); totalLength pads T further.
 */
export function padPackedSequence(
  sequence: PackedSequence, batchFirst = false, paddingValue = 0, totalLength: number | null = null,
): [Tensor, Tensor] {
  const sizes = sequence.sizes, n = sizes[0], data = sequence.data;
  if (totalLength !== null && totalLength < sizes.length) {
    throw new ValueError(
      `Expected total_length to be at least the length of the longest sequence in input, but got total_length=${totalLength} and max sequence length being ${sizes.length}`,
    );
  }
  const rest = data.dims.slice(1);
  const pad = (rows: number): Tensor => full([rows, ...rest], paddingValue, { dtype: data.dtype, device: data.device });
  const steps: Tensor[] = [];
  let offset = 0;
  for (const b of sizes) {
    const rows = narrow(data, 0, offset, b);
    steps.push(b === n ? rows : cat([rows, pad(n - b)]));
    offset += b;
  }
  for (let t = sizes.length; t < (totalLength ?? 0); t++) steps.push(pad(n));
  let padded = stack(steps);
  const lengths = Array.from({ length: n }, (_, i) => sizes.filter((b) => b > i).length);
  let lens = long(lengths);
  if (sequence.unsortedIndices !== null) {
    padded = indexSelect(padded, 1, sequence.unsortedIndices);
    lens = indexSelect(lens, 0, sequence.unsortedIndices);
  }
  return [batchFirst ? transpose(padded, 0, 1) : padded, lens];
}

/** Packs a list of sequences [Lᵢ, *] (torch.nn.utils.rnn.pack_sequence). */
export function packSequence(sequences: readonly Tensor[], enforceSorted = true): PackedSequence {
  return packPaddedSequence(padSequence(sequences), sequences.map((s) => s.dims[0]), false, enforceSorted);
}
