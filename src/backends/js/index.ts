// src/backends/js/index.ts — the pure-TypeScript backend: the reference every other backend matches.
import type { DataArray, DType } from '../../core/dtype.js';
import type { CpuBackend, CpuStorage } from '../backend.js';
import { binary, unary, where } from './elementwise.js';
import { gather, scatter, scatterAdd } from './indexing.js';
import { matmul } from './linalg.js';
import { addInto, copy, fill } from './memory.js';
import { layerNorm, layerNormBackward } from './norm.js';
import { argReduce, reduce, sort } from './reduce.js';
import { cumulative } from './scan.js';
import { allocStorageArray } from './slab.js';

/** A CPU storage over `data`. Every CPU storage is built here, so all share one object shape in V8. */
export function cpuStorage(dtype: DType, data: DataArray): CpuStorage {
  return { dtype, device: 'cpu', numel: data.length, data, version: 0 };
}

export const jsBackend: CpuBackend = {
  name: 'js',
  device: 'cpu',
  supports: () => true,
  alloc: (dtype, numel) => cpuStorage(dtype, allocStorageArray(dtype, numel)),
  fromArray: cpuStorage,
  read: (storage) => storage.data,
  readAsync: (storage) => Promise.resolve(storage.data),
  // CPU kernels run to completion inside their calls: nothing is ever queued.
  synchronize: () => Promise.resolve(),
  copy,
  fill,
  unary,
  binary,
  where,
  reduce,
  argReduce,
  matmul,
  gather,
  scatterAdd,
  scatter,
  addInto,
  sort,
  cumulative,
  layerNorm,
  layerNormBackward,
};
