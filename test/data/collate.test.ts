// test/data/collate.test.ts — defaultCollate: PyTorch's default_collate for tensors, numbers, arrays and objects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';

const { defaultCollate } = torch.data;

test('tensors are stacked along a new leading dim, views included', () => {
  const base = torch.arange(12, { dtype: torch.float32 }).reshape(3, 4);
  const batch = defaultCollate([base.t().get(0), base.t().get(1)]);
  assert.deepEqual([...batch.shape], [2, 3]);
  assert.deepEqual(batch.tolist(), [[0, 4, 8], [1, 5, 9]]);
  const scalars = defaultCollate([torch.tensor(1), torch.tensor(2)]);
  assert.deepEqual([...scalars.shape], [2]);
});

test('stacking promotes dtypes as torch.stack does', () => {
  const batch = defaultCollate([torch.tensor([1], { dtype: torch.int32 }), torch.tensor([1.5], { dtype: torch.float64 })]);
  assert.equal(batch.dtype, 'float64');
  assert.deepEqual(batch.tolist(), [[1], [1.5]]);
});

test('integers become int64, other numbers float64, booleans bool', () => {
  const ints = defaultCollate([1, 2, 3]);
  assert.equal(ints.dtype, 'int64');
  assert.deepEqual(ints.tolist(), [1, 2, 3]);
  const floats = defaultCollate([1, 2.5]);
  assert.equal(floats.dtype, 'float64');
  assert.deepEqual(floats.tolist(), [1, 2.5]);
  const bools = defaultCollate([true, false]);
  assert.equal(bools.dtype, 'bool');
  assert.deepEqual(bools.tolist(), [true, false]);
});

test('arrays and tuples are collated per position, objects per key, strings kept as a list', () => {
  const batch = defaultCollate([
    [torch.zeros(2), 1, { name: 'a', w: 0.5 }],
    [torch.ones(2), 0, { name: 'b', w: 1.5 }],
  ] as [torch.Tensor, number, { name: string; w: number }][]);
  const [x, y, meta] = batch;
  assert.deepEqual(x.tolist(), [[0, 0], [1, 1]]);
  assert.equal(y.dtype, 'int64');
  assert.deepEqual(meta.name, ['a', 'b']);
  assert.equal(meta.w.dtype, 'float64');
  assert.deepEqual(meta.w.tolist(), [0.5, 1.5]);
});

test('mismatches are reported with the entry and the path inside the item', () => {
  assert.throws(
    () => defaultCollate([{ img: torch.zeros(1, 2) }, { img: torch.zeros(1, 3) }]),
    /^RuntimeError: defaultCollate at \.img: stack expects each tensor to be equal size, but got \[1, 2\] at entry 0 and \[1, 3\] at entry 1$/,
  );
  assert.throws(() => defaultCollate([[1, 2], [1]]), /each element in list of batch should be of equal size \(entry 0 has 2 elements, entry 1 has 1\)/);
  assert.throws(() => defaultCollate<unknown>([torch.zeros(1), 3]), /entry 0 is a Tensor but entry 1 is a number/);
  assert.throws(() => defaultCollate([{ a: 1 }, { b: 2 }] as { a?: number; b?: number }[]), /entry 1 has no key 'a'/);
  assert.throws(() => defaultCollate([null, null]), /batch must contain tensors, numbers, booleans, strings, arrays or plain objects; found null/);
  assert.throws(() => defaultCollate([]), /empty batch/);
});

test('stacking items that require grad records StackBackward0, as torch.stack does', () => {
  const w = torch.ones(2).requiresGrad_();
  const batch = defaultCollate([w.mul(2), w.mul(3)]);
  assert.equal(batch.gradFn?.name, 'StackBackward0');
});
