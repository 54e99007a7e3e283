// test/autograd/engine.test.ts — the engine: accumulation, retain_graph, deep graphs, in-place safety.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { present } from '../helpers.js';

test('gradients accumulate into leaves across backward calls', () => {
  const x = torch.tensor([1, 2, 3]).requiresGrad_();
  x.mul(2).sum().backward();
  x.mul(3).sum().backward();
  assert.deepEqual(present(x.grad).tolist(), [5, 5, 5]);
});

test('a tensor used twice gets the sum of both gradients', () => {
  const x = torch.tensor([2.0]).requiresGrad_();
  const y = x.mul(x).add(x);
  y.backward();
  assert.deepEqual(present(x.grad).tolist(), [5]);
});

test('broadcast operands get gradients summed back to their shapes', () => {
  const a = torch.ones(3, 4).requiresGrad_();
  const b = torch.ones(4).requiresGrad_();
  const c = torch.ones(3, 1).requiresGrad_();
  a.mul(b).add(c).sum().backward();
  assert.deepEqual([...present(b.grad).shape], [4]);
  assert.deepEqual(present(b.grad).tolist(), [3, 3, 3, 3]);
  assert.deepEqual(present(c.grad).tolist(), [[4], [4], [4]]);
});

test('two leaves fed the same gradient do not share one grad tensor', () => {
  const a = torch.ones(2).requiresGrad_();
  const b = torch.ones(2).requiresGrad_();
  a.add(b).sum().backward();
  present(a.grad).add_(1);
  assert.deepEqual(present(b.grad).tolist(), [1, 1]);
});

test('backward twice without retainGraph throws PyTorch\'s error', () => {
  const x = torch.tensor([1, 2]).requiresGrad_();
  const y = x.exp().sum();
  y.backward();
  assert.throws(() => { y.backward(); }, /Trying to backward through the graph a second time/);
});

test('retainGraph allows a second backward', () => {
  const x = torch.tensor([1, 2]).requiresGrad_();
  const y = x.mul(x).sum();
  y.backward(undefined, { retainGraph: true });
  y.backward();
  assert.deepEqual(present(x.grad).tolist(), [4, 8]);
});

test('a chain of 100,000 ops backpropagates without stack overflow', () => {
  const x = torch.tensor([1.0]).requiresGrad_();
  let y = x;
  for (let i = 0; i < 100_000; i++) y = y.add(1);
  y.backward();
  assert.deepEqual(present(x.grad).tolist(), [1]);
});

test('non-scalar backward needs a gradient', () => {
  const x = torch.ones(3).requiresGrad_();
  assert.throws(() => { x.mul(2).backward(); }, /grad can be implicitly created only for scalar outputs/);
});

test('backward on a tensor that does not require grad throws', () => {
  assert.throws(() => { torch.ones(1).backward(); }, /does not require grad and does not have a grad_fn/);
});

test('modifying a saved tensor in place makes backward throw', () => {
  const a = torch.tensor([1, 2, 3]).requiresGrad_();
  const b = a.mul(2);
  const c = b.mul(b);
  b.add_(1);
  assert.throws(() => { c.sum().backward(); }, /modified by an inplace operation: \[torch.FloatTensor \[3\]\], which is output 0 of AddBackward0, is at version 1; expected version 0 instead/);
});

test('an in-place op on a leaf requiring grad throws', () => {
  const a = torch.ones(2).requiresGrad_();
  assert.throws(() => a.add_(1), /a leaf Variable that requires grad is being used in an in-place operation/);
  assert.throws(() => a.get(0).mul_(2), /a view of a leaf Variable that requires grad/);
  torch.noGrad(() => a.add_(1));
  assert.deepEqual(a.tolist(), [2, 2]);
});

test('in-place ops on non-leaves keep correct gradients', () => {
  const a = torch.tensor([1, 2, 3]).requiresGrad_();
  const c = torch.tensor([2, 2, 2]).requiresGrad_();
  const b = a.mul(1);
  b.mul_(c); // the backward for c needs b's value before the write
  b.sum().backward();
  assert.deepEqual(present(a.grad).tolist(), [2, 2, 2]);
  assert.deepEqual(present(c.grad).tolist(), [1, 2, 3]);
  assert.equal(present(b.gradFn).name, 'MulBackward0');
});

test('in-place ops that overwrite what backward needs throw as in PyTorch', () => {
  const a = torch.tensor([1, 2, 3]).requiresGrad_();
  const b = a.mul(1);
  b.mul_(b);
  assert.throws(() => { b.sum().backward(); }, /which is output 0 of MulBackward0, is at version 1; expected version 0/);
  const e = a.exp();
  e.exp_();
  assert.throws(() => { e.sum().backward(); }, /which is output 0 of ExpBackward0, is at version 1; expected version 0/);
});

test('writing a tracked value into a row of a plain tensor (CopySlices)', () => {
  const w = torch.tensor([[1, 2], [3, 4]]).requiresGrad_();
  const y = torch.zeros(2, 2);
  y.set(0, w.get(1).mul(2));
  assert.equal(present(y.gradFn).name, 'CopySlices');
  y.sum().backward();
  assert.deepEqual(present(w.grad).tolist(), [[0, 0], [2, 2]]);
});

test('overwriting a tracked tensor cuts the gradient to its old value', () => {
  const a = torch.tensor([1, 2]).requiresGrad_();
  const b = a.mul(3);
  b.fill_(7);
  b.sum().backward();
  assert.deepEqual(present(a.grad).tolist(), [0, 0]);
});

test('retainGrad keeps a non-leaf gradient', () => {
  const x = torch.tensor([1, 2]).requiresGrad_();
  const y = x.mul(3);
  y.retainGrad();
  y.sum().backward();
  assert.deepEqual(present(y.grad).tolist(), [1, 1]);
  assert.deepEqual(present(x.grad).tolist(), [3, 3]);
});

test('noGrad stops recording and returns the callback value', () => {
  const x = torch.ones(2).requiresGrad_();
  const y = torch.noGrad(() => x.mul(2));
  assert.equal(y.requiresGrad, false);
  assert.equal(y.gradFn, null);
  const z = torch.noGrad(() => torch.enableGrad(() => x.mul(2)));
  assert.equal(z.requiresGrad, true);
});

test('detach shares storage but leaves the graph', () => {
  const x = torch.ones(2).requiresGrad_();
  const d = x.detach();
  assert.equal(d.requiresGrad, false);
  d.add_(1);
  assert.deepEqual(x.tolist(), [2, 2]);
});

test('only floating tensors can require grad', () => {
  assert.throws(() => torch.tensor([1, 2], { dtype: 'int64' }).requiresGrad_(), /only Tensors of floating point dtype can require gradients/);
});

test('autograd.grad returns gradients without touching .grad, and createGraph gives second derivatives', () => {
  const x = torch.tensor([2.0]).requiresGrad_();
  const y = x.pow(3);
  const g = present(torch.autograd.grad(y, x, { createGraph: true })[0]);
  assert.deepEqual(g.tolist(), [12]);
  assert.equal(x.grad, null);
  const [gg] = torch.autograd.grad(g, x);
  assert.deepEqual(present(gg).tolist(), [12]);
});

test('custom autograd.Function with saved tensors', () => {
  class Cube extends torch.autograd.Function {
    static override forward(ctx: InstanceType<typeof torch.autograd.FunctionCtx>, x: torch.Tensor): torch.Tensor {
      ctx.saveForBackward(x);
      return x.pow(3);
    }
    static override backward(ctx: InstanceType<typeof torch.autograd.FunctionCtx>, g: torch.Tensor): torch.Tensor {
      const [x] = ctx.savedTensors;
      return g.mul(x.pow(2)).mul(3);
    }
  }
  const x = torch.tensor([1, 2], { dtype: 'float64' }).requiresGrad_();
  const y = Cube.apply(x);
  assert.equal(present(y.gradFn).name, 'CubeBackward');
  y.sum().backward();
  assert.deepEqual(present(x.grad).tolist(), [3, 12]);
  assert.ok(torch.autograd.gradcheck((t) => Cube.apply(t), [torch.tensor([0.5, -1.5], { dtype: 'float64' }).requiresGrad_()]));
});

test('gradcheck catches a wrong backward', () => {
  class Wrong extends torch.autograd.Function {
    static override forward(_ctx: InstanceType<typeof torch.autograd.FunctionCtx>, x: torch.Tensor): torch.Tensor {
      return x.mul(x);
    }
    static override backward(_ctx: InstanceType<typeof torch.autograd.FunctionCtx>, g: torch.Tensor): torch.Tensor {
      return g;
    }
  }
  const x = torch.tensor([0.5, 1.5], { dtype: 'float64' }).requiresGrad_();
  assert.throws(() => torch.autograd.gradcheck((t) => Wrong.apply(t), [x]), /Jacobian mismatch/);
});

test('gradients summed in place never write a gradient that another edge or the caller holds', () => {
  // add's backward hands one tensor to both operands; a and b each get it plus more, so the
  // engine's in-place sums must start from a copy, and the seed must stay as given.
  const x = torch.tensor([1.0, 2.0]).requiresGrad_();
  const a = x.mul(1), b = x.mul(1);
  const y = a.add(b).add(a.mul(3)).add(a).add(b.mul(5)).add(b);
  const seed = torch.tensor([1.0, 10.0]);
  y.backward(seed);
  // dy/da = 1 + 3 + 1, dy/db = 1 + 5 + 1
  assert.deepEqual(present(x.grad).tolist(), [12, 120]);
  assert.deepEqual(seed.tolist(), [1, 10]);
  const c = x.mul(1);
  const [g] = torch.autograd.grad(c.add(c).add(c), c, { gradOutputs: [seed] });
  assert.deepEqual(present(g).tolist(), [3, 30]);
  assert.deepEqual(seed.tolist(), [1, 10]);
});
