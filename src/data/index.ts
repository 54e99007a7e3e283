// src/data/index.ts — torch.utils.data: datasets, DataLoader, collation and the MNIST readers.
export { Dataset, TensorDataset, Subset, randomSplit, type DatasetLike } from './dataset.js';
export { DataLoader, type DataLoaderOptions } from './dataloader.js';
export { defaultCollate, type Collated } from './collate.js';
export { MNIST, FashionMNIST, readIdx, type MNISTOptions } from './mnist.js';
export { parseIdx } from './idx.js';
export { DistributedSampler, type DistributedSamplerOptions } from './distributed-sampler.js';
