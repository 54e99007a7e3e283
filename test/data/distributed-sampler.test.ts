// test/data/distributed-sampler.test.ts — DistributedSampler against PyTorch's orders
// (test/fixtures/distributed_sampler.json, scripts/fixtures_distributed_sampler.py) and DataLoader's sampler option.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as torch from '../../src/index.js';

const { DataLoader, DistributedSampler, TensorDataset } = torch.data;

interface Case {
  n: number;
  replicas: number;
  shuffle: boolean;
  dropLast: boolean;
  seed: number;
  epoch: number;
  ranks: { indices: number[]; length: number }[];
}
const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/distributed_sampler.json', import.meta.url), 'utf8')) as { cases: Case[] };

test('DistributedSampler yields PyTorch\'s indices for every rank, seed, epoch and drop_last', () => {
  for (const c of fixture.cases) {
    c.ranks.forEach(({ indices, length }, rank) => {
      const sampler = new DistributedSampler({ length: c.n }, { numReplicas: c.replicas, rank, shuffle: c.shuffle, seed: c.seed, dropLast: c.dropLast });
      sampler.setEpoch(c.epoch);
      const what = `n=${c.n} replicas=${c.replicas} rank=${rank} shuffle=${c.shuffle} dropLast=${c.dropLast} seed=${c.seed} epoch=${c.epoch}`;
      assert.deepEqual([...sampler], indices, what);
      assert.equal(sampler.length, length, what);
    });
  }
});

test('DistributedSampler checks the rank, and needs a process group for its defaults', () => {
  assert.throws(() => new DistributedSampler({ length: 4 }, { numReplicas: 2, rank: 2 }), { name: 'ValueError', message: 'Invalid rank 2, rank should be in the interval [0, 1]' });
  assert.throws(() => new DistributedSampler({ length: 4 }), { message: /Default process group has not been initialized/ });
});

test('DataLoader reads a sampler\'s indices in batches, and refuses shuffle with it', () => {
  const dataset = new TensorDataset(torch.arange(10, { dtype: torch.float32 }));
  const sampler = new DistributedSampler(dataset, { numReplicas: 2, rank: 1, seed: 3 });
  const loader = new DataLoader(dataset, { batchSize: 2, sampler });
  assert.equal(loader.length, 3);
  const seen = [...loader].flatMap(([x]) => x.tolist() as number[]);
  assert.deepEqual(seen, [...sampler]);
  assert.throws(() => new DataLoader(dataset, { sampler, shuffle: true }), { message: 'sampler option is mutually exclusive with shuffle' });
});
