// test/autograd/hooks.test.ts — post-accumulate-grad hooks: called once per backward on a leaf, after
// its .grad holds the (accumulated) gradient; remove() unregisters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from '../../src/index.js';
import { registerPostAccumulateGradHook } from '../../src/autograd/hooks.js';

test('a post-accumulate-grad hook sees the stored gradient, once per backward, until removed', () => {
  const w = torch.tensor([1, 2, 3]).requiresGrad_();
  const seen: number[][] = [];
  const handle = registerPostAccumulateGradHook(w, (t) => {
    assert.equal(t, w);
    seen.push(t.grad?.tolist() as number[]);
  });
  w.mul(2).sum().backward();
  w.mul(3).sum().backward();
  assert.deepEqual(seen, [[2, 2, 2], [5, 5, 5]]);
  handle.remove();
  w.sum().backward();
  assert.equal(seen.length, 2);
  // autograd.grad returns gradients without storing them: no hook.
  registerPostAccumulateGradHook(w, () => assert.fail('called by autograd.grad'));
  torch.autograd.grad(w.sum(), w);
});
