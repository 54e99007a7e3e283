// test/ops/reduce.test.ts — reductions beyond the op database: (values, indices) results,
// grad_fn names, numerically extreme inputs, NaN handling and second derivatives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { assertClose, present } from '../helpers.js';

const x = (): torch.Tensor => torch.tensor([[1, 5, 3, 2], [4, -1, 0, 7], [2, 6, 9, 1]]).requiresGrad_();

test('max(dim) destructures as [values, indices] and has .values and .indices', () => {
  const t = x();
  const [v, i] = t.max(1);
  assert.deepEqual(v.tolist(), [5, 7, 9]);
  assert.deepEqual(i.tolist(), [1, 3, 2]);
  assert.equal(i.dtype, 'int64');
  const r = t.max(1);
  assert.deepEqual(r.values.tolist(), v.tolist());
  assert.deepEqual(r.indices.tolist(), i.tolist());
  assert.equal(r[0], r.values);
  assert.equal(r[1], r.indices);
  assert.equal(r.length, 2);
});

test('min(dim) and median(dim) return values and indices too', () => {
  const [v, i] = x().min(0, true);
  assert.deepEqual(v.tolist(), [[1, -1, 0, 1]]);
  assert.deepEqual(i.tolist(), [[0, 1, 1, 2]]);
  const m = torch.median(x(), 1);
  assert.deepEqual(m.values.tolist(), [2, 0, 2]);
  assert.deepEqual(m.indices.tolist(), [3, 2, 0]);
});

test('the gradient of max(dim) goes to the chosen index only', () => {
  const t = x();
  t.max(1).values.sum().backward();
  assert.deepEqual(present(t.grad).tolist(), [[0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]);
});

test('max with a tensor argument is the elementwise maximum', () => {
  const y = torch.max(torch.tensor([1, 5]), torch.tensor([3, 2]));
  assert.deepEqual(y.tolist(), [3, 5]);
});

test('grad_fn names match PyTorch', () => {
  const t = x();
  const names: [torch.Tensor, string][] = [
    [t.sum(), 'SumBackward0'], [t.sum(1), 'SumBackward1'], [t.sum([]), 'SumBackward1'],
    [t.mean(), 'MeanBackward0'], [t.mean(1), 'MeanBackward1'],
    [t.prod(), 'ProdBackward0'], [t.prod(1), 'ProdBackward1'],
    [t.var(), 'VarBackward0'], [t.std(1), 'StdBackward0'],
    [t.max(), 'MaxBackward1'], [t.max(1).values, 'MaxBackward0'], [t.min(), 'MinBackward1'], [t.min(1).values, 'MinBackward0'],
    [t.amax(), 'AmaxBackward0'], [t.amin(1), 'AminBackward0'],
    [t.median(), 'MedianBackward0'], [t.median(1).values, 'MedianBackward1'],
    [t.logsumexp(1), 'LogsumexpBackward0'], [t.softmax(1), 'SoftmaxBackward0'], [t.logSoftmax(1), 'LogSoftmaxBackward0'],
  ];
  for (const [y, name] of names) assert.equal(y.gradFn?.name, name);
  assert.equal(t.max(1).indices.gradFn, null);
  assert.equal(t.argmax().requiresGrad, false);
  assert.equal(t.all().requiresGrad, false);
});

test('keepdim keeps reduced dims as size 1', () => {
  const t = torch.zeros(2, 3, 4);
  assert.deepEqual([...t.sum([0, 2], true).shape], [1, 3, 1]);
  assert.deepEqual([...t.mean(-1, true).shape], [2, 3, 1]);
  assert.deepEqual([...t.max(1, true).indices.shape], [2, 1, 4]);
  assert.deepEqual([...t.argmax(null, true).shape], [1, 1, 1]);
});

test('softmax and logSoftmax of large values do not overflow', () => {
  assertClose(torch.tensor([1000, 0]).softmax(0).toArray(), [1, 0]);
  assertClose(torch.tensor([1000, 0]).logSoftmax(0).toArray(), [0, -1000]);
  assertClose(torch.tensor([1000, 1000]).logsumexp(0).toArray(), [1000 + Math.LN2], { rtol: 1e-6 });
  const s = torch.tensor([[1000, 999, -1000]]).softmax(1).toArray();
  assert.ok(Array.from(s).every(Number.isFinite));
});

test('logsumexp of a row of -inf is -inf, and its gradient is NaN as in PyTorch', () => {
  const t = torch.tensor([[-Infinity, -Infinity], [0, Math.log(3)]]).requiresGrad_();
  const y = t.logsumexp(1);
  assert.deepEqual(Array.from(y.toArray()).slice(0, 1), [-Infinity]);
  assertClose(y.toArray().slice(1), [Math.log(4)]);
  y.sum().backward();
  const g = Array.from(present(t.grad).toArray());
  assert.ok(Number.isNaN(g[0]) && Number.isNaN(g[1]));
  assertClose(g.slice(2), [0.25, 0.75]);
});

test('logsumexp over an empty dim is -inf', () => {
  assert.deepEqual(Array.from(torch.zeros(2, 0).logsumexp(1).toArray()), [-Infinity, -Infinity]);
});

test('max and median return the first NaN of a row and its index', () => {
  const t = torch.tensor([[1, NaN, 3, NaN]]);
  const [v, i] = t.max(1);
  assert.ok(Number.isNaN(v.item()));
  assert.equal(i.item(), 1);
  const m = t.median(1);
  assert.ok(Number.isNaN(m.values.item()));
  assert.equal(m.indices.item(), 1);
  assert.ok(Number.isNaN(t.median().item()));
});

test('median is the lower of the two middle values', () => {
  assert.equal(torch.tensor([4, 1, 3, 2]).median().item(), 2);
});

test('all and any of uint8 give uint8, of other dtypes bool', () => {
  const u = torch.tensor([[1, 0], [2, 3]], { dtype: 'uint8' });
  assert.equal(u.all().dtype, 'uint8');
  assert.deepEqual(u.any(1).tolist(), [1, 1]);
  assert.equal(torch.tensor([1.5, NaN]).all().dtype, 'bool');
  assert.equal(torch.tensor([1.5, NaN]).all().item(), 1);
  assert.equal(torch.zeros(0).all().item(), 1);
  assert.equal(torch.zeros(0).any().item(), 0);
});

test('integer and bool sums are int64; mean rejects them', () => {
  assert.equal(torch.tensor([1, 2], { dtype: 'int32' }).sum().dtype, 'int64');
  assert.equal(torch.tensor([true, true, false]).sum().item(), 2);
  assert.throws(() => torch.tensor([1, 2], { dtype: 'int64' }).mean(), /mean\(\): could not infer output dtype\. Input dtype must be either a floating point or complex dtype\. Got: Long/);
  assert.equal(torch.tensor([1, 2], { dtype: 'int64' }).mean({ dtype: 'float64' }).item(), 1.5);
});

test('var accepts unbiased or correction, not both', () => {
  const t = torch.tensor([1, 2, 3, 4]);
  assertClose(t.var(false).toArray(), [1.25]);
  assertClose(torch.var(t, 0, { correction: 0 }).toArray(), [1.25]);
  assertClose(torch.std(t).toArray(), [Math.sqrt(5 / 3)]);
  assert.throws(() => t.var(0, { correction: 1, unbiased: true }), torch.ArgumentTypeError);
});

test('second derivatives of logsumexp and softmax match PyTorch', () => {
  const t = torch.tensor([[0.5, 1.0, 2.0]]).requiresGrad_();
  const g = present(torch.autograd.grad(t.logsumexp(1).sum(), [t], { createGraph: true })[0]);
  assertClose(g.toArray(), [0.1402, 0.2312, 0.6285], { atol: 1e-4 });
  const [gg] = torch.autograd.grad(g.mul(g).sum(), [t]);
  assertClose(present(gg).toArray(), [-0.092, -0.1096, 0.2016], { atol: 1e-4 });
  const s = present(torch.autograd.grad(t.softmax(1).mul(torch.tensor([1, 2, 3])).sum(), [t], { createGraph: true })[0]);
  assertClose(s.toArray(), [-0.2087, -0.1129, 0.3216], { atol: 1e-4 });
  const [ss] = torch.autograd.grad(s.mul(s).sum(), [t]);
  assertClose(present(ss).toArray(), [0.1036, -0.0152, -0.0883], { atol: 1e-4 });
});
