// src/data/distributed-sampler.ts — DistributedSampler: each process's share of a dataset's indices,
// in PyTorch's order (a permutation seeded with seed + epoch, padded or cut to a multiple of the
// number of replicas, then every numReplicas-th index from the rank's own).
import { ValueError } from '../core/errors.js';
import { Generator, randperm } from '../core/random.js';
import { getRank, getWorldSize } from '../distributed/init.js';

/** DistributedSampler's keyword options (PyTorch's num_replicas=, rank=, shuffle=, seed=, drop_last=). */
export interface DistributedSamplerOptions {
  numReplicas?: number;
  rank?: number;
  shuffle?: boolean;
  seed?: number;
  dropLast?: boolean;
}

/**
 * The indices one process reads (torch.utils.data.distributed.DistributedSampler); call
 * `setEpoch(epoch)` before each epoch so that shuffling differs from epoch to epoch.
 * @example new DataLoader(dataset, { batchSize: 32, sampler: new DistributedSampler(dataset) })
 */
export class DistributedSampler implements Iterable<number> {
  readonly numReplicas: number;
  readonly rank: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  /** How many indices this rank yields per epoch (PyTorch's num_samples, len(sampler)). */
  readonly numSamples: number;
  readonly totalSize: number;
  private epoch = 0;

  constructor(readonly dataset: { readonly length: number }, options: DistributedSamplerOptions = {}) {
    const { shuffle = true, seed = 0, dropLast = false } = options;
    const numReplicas = options.numReplicas ?? getWorldSize();
    const rank = options.rank ?? getRank();
    if (rank >= numReplicas || rank < 0) throw new ValueError(`Invalid rank ${rank}, rank should be in the interval [0, ${numReplicas - 1}]`);
    this.numReplicas = numReplicas;
    this.rank = rank;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
    const n = dataset.length;
    // With dropLast the tail that does not divide evenly is left out; otherwise indices repeat to fill it.
    // (+ 0 turns Math.ceil's -0 for a dataset smaller than numReplicas into Python's 0.)
    this.numSamples = (dropLast && n % numReplicas !== 0 ? Math.ceil((n - numReplicas) / numReplicas) : Math.ceil(n / numReplicas)) + 0;
    this.totalSize = this.numSamples * numReplicas;
  }

  /** Sets the epoch that seeds the next permutation (sampler.set_epoch). */
  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }

  /** This rank's share per epoch (len(sampler)). */
  get length(): number {
    return this.numSamples;
  }

  [Symbol.iterator](): Iterator<number> {
    const n = this.dataset.length;
    let indices: number[] = this.shuffle ? Array.from(randperm(new Generator().manualSeed(this.seed + this.epoch), n)) : Array.from({ length: n }, (_, i) => i);
    if (!this.dropLast) {
      const padding = this.totalSize - indices.length;
      if (padding > 0 && indices.length > 0) {
        const repeats = Math.ceil(padding / indices.length);
        indices = indices.concat(Array.from({ length: repeats }, () => indices).flat().slice(0, padding));
      }
    } else {
      indices = indices.slice(0, this.totalSize);
    }
    return indices.filter((_, i) => i % this.numReplicas === this.rank)[Symbol.iterator]();
  }
}
