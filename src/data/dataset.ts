// src/data/dataset.ts — torch.utils.data datasets: Dataset, TensorDataset, Subset, randomSplit.
import { IndexError, ValueError } from '../core/errors.js';
import { defaultGenerator, type Generator, randperm } from '../core/random.js';
import { select } from '../ops/views.js';
import type { Tensor } from '../tensor/tensor.js';

/** A map-style dataset: `get(i)` is PyTorch's `__getitem__`, `length` its `__len__`. */
export abstract class Dataset<T> {
  /** The item at `index`. */
  abstract get(index: number): T;
  /** The number of items. */
  abstract get length(): number;

  /** Iterates the items in index order (Python iterates a dataset through __getitem__ too). */
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

/** What a DataLoader and Subset accept: a Dataset, or a plain array (as Python accepts a list or range). */
export type DatasetLike<T> = Dataset<T> | readonly T[];

/** The item at `index` of a Dataset or array, with Python's list indexing for arrays. */
export function itemAt<T>(dataset: DatasetLike<T>, index: number): T {
  if (dataset instanceof Dataset) return dataset.get(index);
  return dataset[checkIndex(index, dataset.length)];
}

/** Wraps a negative index and checks bounds, as a Python list does. */
export function checkIndex(index: number, length: number): number {
  if (!Number.isInteger(index) || index < -length || index >= length) {
    throw new IndexError(`list index out of range (index ${index}, length ${length})`);
  }
  return index < 0 ? index + length : index;
}

/**
 * A dataset of tensors sharing their first dim; item i is `[t0[i], t1[i], …]` (views).
 * @example new TensorDataset(torch.zeros(4, 2), torch.arange(4)).get(1) // [tensor([0., 0.]), tensor(1)]
 */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new ValueError('TensorDataset: expected at least one tensor');
    for (const t of tensors) {
      if (t.dims.length === 0) throw new ValueError('TensorDataset: tensors must have at least one dimension (got a 0-d tensor)');
    }
    const n = tensors[0].dims[0];
    if (!tensors.every((t) => t.dims[0] === n)) {
      const sizes = tensors.map((t) => t.dims[0]).join(', ');
      throw new ValueError(`TensorDataset: Size mismatch between tensors (first dims: ${sizes})`);
    }
    this.tensors = tensors;
  }

  get(index: number): Tensor[] {
    return this.tensors.map((t) => select(t, 0, index));
  }

  get length(): number {
    return this.tensors[0].dims[0];
  }
}

/** The items of `dataset` at `indices`, in that order. */
export class Subset<T> extends Dataset<T> {
  constructor(readonly dataset: DatasetLike<T>, readonly indices: readonly number[]) {
    super();
  }

  get(index: number): T {
    return itemAt(this.dataset, this.indices[checkIndex(index, this.indices.length)]);
  }

  get length(): number {
    return this.indices.length;
  }
}

/** math.isclose with its default rel_tol=1e-9, abs_tol=0. */
function isClose(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** Split lengths from fractions as PyTorch 1.13 computes them: floors, then the remainder round-robin. */
function lengthsFromFractions(n: number, fractions: readonly number[]): number[] {
  const lengths = fractions.map((frac, i) => {
    if (frac < 0 || frac > 1) throw new ValueError(`randomSplit: Fraction at index ${i} is not between 0 and 1`);
    return Math.floor(n * frac);
  });
  const remainder = n - lengths.reduce((a, b) => a + b, 0);
  for (let i = 0; i < remainder; i++) lengths[i % lengths.length] += 1;
  return lengths;
}

/**
 * Splits a dataset into non-overlapping random subsets of the given lengths or fractions, with the
 * same permutation PyTorch 1.13's random_split draws from a generator seeded alike.
 * @example randomSplit(range10, [3, 7], { generator: new torch.Generator().manualSeed(42) })
 */
export function randomSplit<T>(
  dataset: DatasetLike<T>,
  lengths: readonly number[],
  { generator = defaultGenerator }: { generator?: Generator } = {},
): Subset<T>[] {
  const n = dataset.length;
  const total = lengths.reduce((a, b) => a + b, 0);
  // PyTorch reads the lengths as fractions exactly when they sum to (about) one, and not above it.
  const sizes = isClose(total, 1) && total <= 1 ? lengthsFromFractions(n, lengths) : [...lengths];
  if (sizes.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new ValueError(`randomSplit: lengths must be non-negative integers or fractions summing to 1, got [${lengths.join(', ')}]`);
  }
  if (sizes.reduce((a, b) => a + b, 0) !== n) {
    throw new ValueError('randomSplit: Sum of input lengths does not equal the length of the input dataset!');
  }
  const perm = Array.from(randperm(generator, n));
  let offset = 0;
  return sizes.map((size) => new Subset(dataset, perm.slice(offset, (offset += size))));
}
