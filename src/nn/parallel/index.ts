// src/nn/parallel/index.ts — torch.nn.parallel: DistributedDataParallel.
export { DistributedDataParallel, type DistributedDataParallelOptions } from './distributed.js';
