// test/ops/indexing.test.ts — what the op database cannot express: ops returning several tensors,
// tensor indices and masks in get/set, in-place index ops, and grad_fn names (PyTorch 1.13's).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as torch from 'kindling';
import type { Tensor } from 'kindling';
import { present } from '../helpers.js';

const arange = (...shape: number[]): Tensor => torch.arange(shape.reduce((a, b) => a * b, 1)).reshape(shape);
const long = (values: number[]): Tensor => torch.tensor(values, { dtype: 'int64' });
const bool = (values: boolean[]): Tensor => torch.tensor(values, { dtype: 'bool' });
const shapes = (ts: Tensor[]): number[][] => ts.map((t) => [...t.shape]);
const leaf = (...shape: number[]): Tensor => torch.randn(shape).requiresGrad_();

describe('split, chunk and unbind', () => {
  test('split by size leaves a shorter last piece', () => {
    assert.deepEqual(shapes(torch.zeros(5, 4).split(2)), [[2, 4], [2, 4], [1, 4]]);
    assert.deepEqual(shapes(torch.zeros(3, 4).split(5)), [[3, 4]]);
    assert.deepEqual(shapes(torch.zeros(0, 4).split(0)), [[0, 4]]);
  });
  test('split by sizes follows the list, zeros included', () => {
    const parts = arange(2, 5).split([1, 0, 4], 1);
    assert.deepEqual(shapes(parts), [[2, 1], [2, 0], [2, 4]]);
    assert.deepEqual(parts[2].tolist(), [[1, 2, 3, 4], [6, 7, 8, 9]]);
  });
  test('split pieces are views of the input', () => {
    const x = torch.zeros(4, 2);
    x.split(2)[1].fill_(1);
    assert.deepEqual(x.tolist(), [[0, 0], [0, 0], [1, 1], [1, 1]]);
  });
  test('chunk gives ceil-sized pieces and fewer chunks when the dim is short', () => {
    assert.deepEqual(shapes(torch.zeros(5, 4).chunk(4)), [[2, 4], [2, 4], [1, 4]]);
    assert.deepEqual(shapes(torch.zeros(6, 4).chunk(4)), [[2, 4], [2, 4], [2, 4]]);
    assert.deepEqual(shapes(torch.zeros(0, 4).chunk(2)), [[0, 4], [0, 4]]);
  });
  test('unbind removes the dim', () => {
    const parts = arange(2, 3).unbind(1);
    assert.deepEqual(parts.map((p) => p.tolist()), [[0, 3], [1, 4], [2, 5]]);
    assert.deepEqual(torch.unbind(arange(2, 3)).map((p) => p.tolist()), [[0, 1, 2], [3, 4, 5]]);
  });
  test('gradients of split pieces flow back to their regions', () => {
    const x = leaf(3, 4);
    const [a, b] = x.split([1, 2]);
    torch.autograd.backward([a.mul(2), b], [torch.ones(1, 4), torch.ones(2, 4)]);
    assert.deepEqual(present(x.grad).tolist(), [[2, 2, 2, 2], [1, 1, 1, 1], [1, 1, 1, 1]]);
  });
});

describe('get with tensor indices', () => {
  test('an int64 vector picks rows, repeats and negatives included', () => {
    assert.deepEqual(arange(3, 2).get(long([2, 0, -1])).tolist(), [[4, 5], [0, 1], [4, 5]]);
  });
  test('an int64 index on a later dim replaces that dim with its shape', () => {
    const y = arange(2, 3).get(null, long([1, 1, 0, 2]).reshape(2, 2));
    assert.deepEqual(y.tolist(), [[[1, 1], [0, 2]], [[4, 4], [3, 5]]]);
  });
  test('a full-shape bool mask gives a 1-D result', () => {
    const m = bool([true, false, false, true]).reshape(2, 2);
    assert.deepEqual(torch.tensor([[1, 2], [3, 4]]).get(m).tolist(), [1, 4]);
  });
  test('a mask over leading dims keeps the trailing dims', () => {
    assert.deepEqual(arange(3, 2).get(bool([true, false, true])).tolist(), [[0, 1], [4, 5]]);
  });
  test('a uint8 mask acts as a bool mask', () => {
    const m = torch.tensor([1, 0, 1], { dtype: 'uint8' });
    assert.deepEqual(arange(3).get(m).tolist(), [0, 2]);
  });
  test('get with a tensor index is a copy', () => {
    const x = torch.zeros(3);
    x.get(long([0])).fill_(1);
    assert.deepEqual(x.tolist(), [0, 0, 0]);
  });
  test('gradients of an indexed read accumulate at repeated indices', () => {
    const x = leaf(3);
    x.get(long([0, 0, 2])).backward(torch.ones(3));
    assert.deepEqual(present(x.grad).tolist(), [2, 0, 1]);
  });
  test('two tensor indices are refused rather than read wrongly', () => {
    assert.throws(() => torch.zeros(3, 3).get(long([0]), long([1])), /only one tensor index is supported/);
  });
});

describe('set with a mask', () => {
  test('writes the value where the mask is true', () => {
    const y = torch.zeros(2, 2);
    y.set(bool([true, false, false, true]).reshape(2, 2), 5);
    assert.deepEqual(y.tolist(), [[5, 0], [0, 5]]);
  });
  test('a mask over leading dims fills whole rows', () => {
    const y = torch.zeros(3, 2);
    y.set(bool([true, false, true]), torch.tensor(7));
    assert.deepEqual(y.tolist(), [[7, 7], [0, 0], [7, 7]]);
  });
  test('the gradient is zero where values were overwritten', () => {
    const x = leaf(3);
    const y = x.clone();
    y.set(bool([false, true, false]), 0);
    y.backward(torch.ones(3));
    assert.deepEqual(present(x.grad).tolist(), [1, 0, 1]);
  });
  test('an int64 tensor index in set is refused', () => {
    assert.throws(() => torch.zeros(3).set(long([0]), 1), /supported only as a single bool mask/);
  });
});

describe('in-place index ops', () => {
  test('indexAdd_ adds alpha·source at repeated indices', () => {
    const x = torch.zeros(3, 2);
    x.indexAdd_(0, long([0, 2, 0]), torch.ones(3, 2), { alpha: 2 });
    assert.deepEqual(x.tolist(), [[4, 4], [0, 0], [2, 2]]);
  });
  test('scatterAdd_ adds along dim', () => {
    const x = torch.zeros(2, 3);
    x.scatterAdd_(1, long([0, 0, 2, 1]).reshape(2, 2), torch.ones(2, 2));
    assert.deepEqual(x.tolist(), [[2, 0, 0], [0, 1, 1]]);
  });
  test('in-place index ops refuse a leaf that requires grad', () => {
    assert.throws(() => leaf(3).indexAdd_(0, long([0]), torch.ones(1)), /leaf Variable that requires grad/);
  });
});

describe('grad_fn names', () => {
  const name = (t: Tensor): string | undefined => t.gradFn?.name;
  test('joining and index ops', () => {
    const x = leaf(3, 4);
    assert.equal(name(torch.cat([x, x])), 'CatBackward0');
    assert.equal(name(torch.stack([x, x])), 'StackBackward0');
    assert.equal(name(x.gather(1, long([0]).reshape(1, 1))), 'GatherBackward0');
    assert.equal(name(x.indexSelect(0, long([1]))), 'IndexSelectBackward0');
    assert.equal(name(torch.scatterAdd(x, 0, long([1]).reshape(1, 1), leaf(1, 1))), 'ScatterAddBackward0');
    assert.equal(name(torch.indexAdd(x, 0, long([1]), leaf(1, 4))), 'IndexAddBackward0');
    assert.equal(name(x.clone().indexAdd_(0, long([1]), leaf(1, 4))), 'IndexAddBackward0');
  });
  test('matrix products, as PyTorch 1.13 names them', () => {
    const cases: [number[], number[], string][] = [
      [[3], [3], 'DotBackward0'],
      [[2, 3], [3], 'MvBackward0'],
      [[2, 3], [3, 4], 'MmBackward0'],
      [[5, 2, 3], [3, 4], 'UnsafeViewBackward0'],
      [[5, 2, 3], [3], 'UnsafeViewBackward0'],
      [[3], [5, 3, 4], 'UnsafeViewBackward0'],
      [[5, 2, 3], [5, 3, 4], 'UnsafeViewBackward0'],
      [[5, 1, 2, 3], [4, 3, 2], 'UnsafeViewBackward0'],
    ];
    for (const [sa, sb, want] of cases) assert.equal(name(torch.matmul(leaf(...sa), leaf(...sb))), want, `${sa} @ ${sb}`);
    assert.equal(name(torch.bmm(leaf(2, 2, 3), leaf(2, 3, 4))), 'BmmBackward0');
    assert.equal(name(torch.addmm(leaf(4), leaf(2, 3), leaf(3, 4))), 'AddmmBackward0');
    assert.equal(name(torch.outer(leaf(2), leaf(3))), 'MulBackward0');
  });
  test('a product with no input requiring grad records nothing', () => {
    assert.equal(torch.matmul(torch.zeros(5, 2, 3), torch.zeros(3, 4)).gradFn, null);
  });
});

describe('matrix product gradients', () => {
  test('mm backward reads the operands through transposed views, without copies', () => {
    const w = leaf(4, 3), x = torch.randn(5, 3);
    x.mm(w.t()).backward(torch.ones(5, 4));
    // With a gradient of ones, every row of w's gradient is the column sums of x.
    const colSums = [0, 1, 2].map((j) => (x.tolist() as number[][]).reduce((acc, r) => acc + r[j], 0));
    for (const r of present(w.grad).tolist() as number[][]) r.forEach((v, j) => { assert.ok(Math.abs(v - colSums[j]) < 1e-5); });
  });
  test('an input that does not require grad gets no gradient computed', () => {
    const w = leaf(3, 2), x = torch.randn(4, 3);
    x.mm(w).backward(torch.ones(4, 2));
    assert.equal(x.grad, null);
    assert.deepEqual([...present(w.grad).shape], [3, 2]);
  });
});
