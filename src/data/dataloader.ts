// src/data/dataloader.ts — DataLoader: batches of a dataset, shuffled exactly as PyTorch 1.13's RandomSampler.
import { KindlingError, ValueError } from '../core/errors.js';
import { defaultGenerator, Generator, randperm } from '../core/random.js';
import { type Collated, defaultCollate } from './collate.js';
import { type DatasetLike, itemAt } from './dataset.js';

/** DataLoader's keyword options (PyTorch's batch_size=, shuffle=, drop_last=, collate_fn=, generator=). */
export interface DataLoaderOptions<T, B> {
  batchSize?: number;
  shuffle?: boolean;
  dropLast?: boolean;
  collateFn?: (batch: T[]) => B;
  generator?: Generator;
  /** The indices to read, in order (PyTorch's sampler=, e.g. a DistributedSampler); excludes shuffle. */
  sampler?: Iterable<number> & { readonly length: number };
}

/**
 * A 0-d int64 tensor's `random_()`: PyTorch draws random64() and reduces it modulo
 * int64 max + 1 (aten's transformation::uniform_int for int64), so the value is the low 63 bits.
 */
export function randomInt64Seed(gen: Generator): bigint {
  return gen.random64() & 0x7fffffffffffffffn;
}

/**
 * The sample order of one epoch. Without a generator, PyTorch's RandomSampler seeds a fresh
 * generator from the default one and permutes with it; with one, it permutes with it directly.
 */
function shuffledIndices(n: number, generator: Generator | undefined): Float64Array {
  if (generator !== undefined) return randperm(generator, n);
  const seeded = new Generator().manualSeed(randomInt64Seed(defaultGenerator));
  return randperm(seeded, n);
}

/**
 * Iterates a dataset in batches: `for (const [x, y] of loader)`. Each iteration is one epoch and
 * draws from the random generators exactly as PyTorch 1.13's single-process DataLoader does, so a
 * run seeded alike sees the same batches (and leaves the generators in the same state).
 * @example new DataLoader(dataset, { batchSize: 64, shuffle: true })
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B> {
  readonly dataset: DatasetLike<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly collateFn: (batch: T[]) => B;
  readonly generator: Generator | undefined;
  readonly sampler: (Iterable<number> & { readonly length: number }) | undefined;

  constructor(dataset: DatasetLike<T>, options: DataLoaderOptions<T, B> = {}) {
    const { batchSize = 1, shuffle = false, dropLast = false, generator } = options;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new ValueError(`DataLoader: batch_size should be a positive integer value, but got batch_size=${batchSize}`);
    }
    if (options.sampler !== undefined && shuffle) throw new ValueError('sampler option is mutually exclusive with shuffle');
    this.sampler = options.sampler;
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.collateFn = options.collateFn ?? ((batch: T[]) => defaultCollate(batch) as B);
    this.generator = generator;
  }

  /** The number of batches per epoch (PyTorch's len(loader)). */
  get length(): number {
    const n = this.sampler?.length ?? this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  [Symbol.iterator](): Iterator<B> {
    // PyTorch draws a base seed for worker processes when the iterator is created, before the
    // sampler draws anything. kindling has no workers, but the draw keeps the streams aligned.
    randomInt64Seed(this.generator ?? defaultGenerator);
    return this.batches();
  }

  private *batches(): IterableIterator<B> {
    // The sampler starts on the first next(), as PyTorch's generator-based samplers do.
    const order = this.sampler ? Float64Array.from(this.sampler) : this.shuffle ? shuffledIndices(this.dataset.length, this.generator) : null;
    const n = order ? order.length : this.dataset.length;
    const count = this.length;
    for (let b = 0; b < count; b++) {
      const indices: number[] = [];
      for (let i = b * this.batchSize; i < Math.min((b + 1) * this.batchSize, n); i++) indices.push(order ? order[i] : i);
      const items = indices.map((i) => itemAt(this.dataset, i));
      yield this.collate(items, b, indices);
    }
    // PyTorch's RandomSampler ends with `randperm(n)[:num_samples % n]`, an empty slice of one more
    // permutation that is drawn all the same once the epoch is read to its end.
    if (this.shuffle && this.generator !== undefined) randperm(this.generator, this.dataset.length);
  }

  /** Runs the collate function, adding the batch and dataset indices to the message of what it throws. */
  private collate(items: T[], batch: number, indices: readonly number[]): B {
    try {
      return this.collateFn(items);
    } catch (e) {
      if (e instanceof KindlingError) {
        e.message = `DataLoader: batch ${batch} (dataset indices ${indices.join(', ')}): ${e.message}`;
      }
      throw e;
    }
  }
}
