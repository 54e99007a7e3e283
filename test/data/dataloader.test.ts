// test/data/dataloader.test.ts — DataLoader batching and PyTorch-identical shuffling (fixtures from scripts/fixtures_data.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { loadFixture } from '../helpers.js';

const { DataLoader, TensorDataset } = torch.utils.data;

interface LoaderCase {
  seed: string; n: number; batchSize: number; dropLast: boolean; shuffle: boolean; generator: boolean;
  epochs: number[][][]; probe: string; defaultProbe?: string;
}
interface Fixture { loaders: LoaderCase[]; random: { seed: string; values: string[] }[] }
const fx = loadFixture('data.json') as Fixture;

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
/** A 0-d int64 random_() as PyTorch draws it, read back as an exact decimal string. */
const probe = (gen: torch.Generator): string => (gen.random64() & 0x7fffffffffffffffn).toString();
/** The probe of the default generator, drawn from a copy of its state. */
const defaultProbe = (): string => probe(new torch.Generator().setState(torch.getRngState()));

test('int64 random_() reduces random64 modulo 2^63 as PyTorch does', () => {
  for (const c of fx.random) {
    const gen = new torch.Generator().manualSeed(BigInt(c.seed));
    assert.deepEqual(c.values.map(() => probe(gen)), c.values, `seed ${c.seed}`);
  }
});

test('shuffled batches and generator state match PyTorch 1.13 for every fixture case', () => {
  for (const c of fx.loaders) {
    const what = `seed ${c.seed} n ${c.n} batch ${c.batchSize} dropLast ${c.dropLast} shuffle ${c.shuffle} generator ${c.generator}`;
    const seed = BigInt(c.seed);
    const gen = c.generator ? new torch.Generator().manualSeed(seed) : undefined;
    torch.manualSeed(c.generator ? seed + 1n : seed);
    const loader = new DataLoader(range(c.n), { batchSize: c.batchSize, shuffle: c.shuffle, dropLast: c.dropLast, generator: gen });
    const epochs = c.epochs.map(() => [...loader].map((b) => b.tolist()));
    assert.deepEqual(epochs, c.epochs, what);
    assert.equal(loader.length, c.epochs[0].length, `${what}: length`);
    assert.equal(gen ? probe(gen) : defaultProbe(), c.probe, `${what}: generator state after the epochs`);
    if (c.defaultProbe !== undefined) assert.equal(defaultProbe(), c.defaultProbe, `${what}: default generator untouched`);
  }
});

test('dropLast drops the short final batch and length counts batches', () => {
  const ds = new TensorDataset(torch.arange(10));
  assert.equal(new DataLoader(ds, { batchSize: 3 }).length, 4);
  assert.equal(new DataLoader(ds, { batchSize: 3, dropLast: true }).length, 3);
  const sizes = [...new DataLoader(ds, { batchSize: 3 })].map(([x]) => x.shape[0]);
  assert.deepEqual(sizes, [3, 3, 3, 1]);
  const dropped = [...new DataLoader(ds, { batchSize: 3, dropLast: true })].map(([x]) => x.tolist());
  assert.deepEqual(dropped, [[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
  assert.equal(new DataLoader(ds, { batchSize: 20, dropLast: true }).length, 0);
  assert.deepEqual([...new DataLoader(ds, { batchSize: 20, dropLast: true })], []);
});

test('batches of a TensorDataset keep dtypes and gain a leading batch dim', () => {
  const x = torch.randn(10, 3, 2);
  const y = torch.arange(10);
  const batches = [...new DataLoader(new TensorDataset(x, y), { batchSize: 4 })];
  assert.equal(batches.length, 3);
  const [xb, yb] = batches[0];
  assert.deepEqual([...xb.shape], [4, 3, 2]);
  assert.equal(xb.dtype, 'float32');
  assert.equal(yb.dtype, 'int64');
  assert.deepEqual(yb.tolist(), [0, 1, 2, 3]);
  assert.deepEqual(xb.tolist(), x.get([0, 4]).tolist());
  assert.deepEqual([...batches[2][0].shape], [2, 3, 2]);
});

test('a custom collateFn receives the items and its result is yielded', () => {
  const loader = new DataLoader([1, 2, 3, 4, 5], { batchSize: 2, collateFn: (items: number[]) => items.join('+') });
  assert.deepEqual([...loader], ['1+2', '3+4', '5']);
});

test('loader options are validated', () => {
  assert.throws(() => new DataLoader([1, 2], { batchSize: 0 }), /batch_size should be a positive integer value, but got batch_size=0/);
  assert.throws(() => new DataLoader([1, 2], { batchSize: 1.5 }), /positive integer/);
});

test('collate errors name the DataLoader batch and the dataset indices', () => {
  const items = [torch.zeros(3), torch.zeros(3), torch.zeros(4)];
  const loader = new DataLoader(items, { batchSize: 3 });
  assert.throws(() => [...loader], (e: Error) => {
    assert.match(e.message, /^DataLoader: batch 0 \(dataset indices 0, 1, 2\): defaultCollate: stack expects each tensor to be equal size, but got \[3\] at entry 0 and \[4\] at entry 2$/);
    return true;
  });
});
