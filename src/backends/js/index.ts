// src/backends/js/index.ts — the pure-TypeScript backend: the reference every other backend matches.
import type { Backend } from '../backend.js';
import { binary, unary, where } from './elementwise.js';
import { gather, scatterAdd } from './indexing.js';
import { matmul } from './linalg.js';
import { addInto, copy, fill } from './memory.js';
import { argReduce, reduce, sort } from './reduce.js';
import { allocStorageArray } from './slab.js';

export const jsBackend: Backend = {
  name: 'js',
  alloc: (dtype, numel) => ({ dtype, data: allocStorageArray(dtype, numel), version: 0 }),
  fromArray: (dtype, data) => ({ dtype, data, version: 0 }),
  read: (storage) => storage.data,
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
  addInto,
  sort,
};
