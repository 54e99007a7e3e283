// test/data/dataset.test.ts — Dataset, TensorDataset, Subset and randomSplit (splits checked against PyTorch 1.13).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { loadFixture } from '../helpers.js';

const { Dataset, TensorDataset, Subset, randomSplit } = torch.data;

interface SplitCase { seed: string; n: number; lengths: number[]; generator: boolean; splits: number[][]; probe?: string }
const fx = loadFixture('data.json') as { splits: SplitCase[] };
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

class Squares extends Dataset<number> {
  get(index: number): number {
    return index * index;
  }
  get length(): number {
    return 4;
  }
}

test('a Dataset subclass is indexable and iterable', () => {
  const ds = new Squares();
  assert.equal(ds.get(3), 9);
  assert.deepEqual([...ds], [0, 1, 4, 9]);
});

test('TensorDataset items are rows of each tensor, as views', () => {
  const x = torch.arange(6, { dtype: torch.float32 }).reshape(3, 2);
  const y = torch.tensor([7, 8, 9], { dtype: torch.int64 });
  const ds = new TensorDataset(x, y);
  assert.equal(ds.length, 3);
  const [xi, yi] = ds.get(1);
  assert.deepEqual(xi.tolist(), [2, 3]);
  assert.equal(yi.item(), 8);
  assert.equal(yi.dim(), 0);
  assert.equal(xi.storage, x.storage);
  assert.deepEqual(ds.get(-1)[1].item(), 9);
  assert.throws(() => ds.get(3), /out of bounds/);
});

test('TensorDataset rejects tensors whose first dims differ', () => {
  assert.throws(() => new TensorDataset(torch.zeros(3, 2), torch.zeros(4)), /Size mismatch between tensors \(first dims: 3, 4\)/);
  assert.throws(() => new TensorDataset(torch.zeros([])), /at least one dimension/);
  assert.throws(() => new TensorDataset(), /at least one tensor/);
});

test('Subset maps its indices into the dataset', () => {
  const sub = new Subset(['a', 'b', 'c', 'd'], [3, 1]);
  assert.equal(sub.length, 2);
  assert.deepEqual([...sub], ['d', 'b']);
  assert.equal(sub.get(-1), 'b');
  assert.throws(() => sub.get(2), /list index out of range/);
});

test('randomSplit gives the same subsets as PyTorch 1.13 random_split', () => {
  for (const c of fx.splits) {
    const what = `seed ${c.seed} n ${c.n} lengths ${c.lengths.join(',')} generator ${c.generator}`;
    const seed = BigInt(c.seed);
    let parts;
    if (c.generator) {
      parts = randomSplit(range(c.n), c.lengths, { generator: new torch.Generator().manualSeed(seed) });
    } else {
      torch.manualSeed(seed);
      parts = randomSplit(range(c.n), c.lengths);
      const state = new torch.Generator().setState(torch.getRngState());
      assert.equal((state.random64() & 0x7fffffffffffffffn).toString(), c.probe, `${what}: generator state`);
    }
    assert.deepEqual(parts.map((p) => [...p]), c.splits, what);
  }
});

test('randomSplit checks that lengths add up', () => {
  assert.throws(() => randomSplit(range(10), [3, 6]), /Sum of input lengths does not equal the length of the input dataset!/);
  assert.throws(() => randomSplit(range(10), [2.5, 7.5]), /non-negative integers or fractions/);
});
