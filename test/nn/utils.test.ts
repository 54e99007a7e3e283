// test/nn/utils.test.ts — nn.utils: gradient clipping against PyTorch 1.13, parameters ↔ vector.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { nn } from 'kindling';
import { assertClose, type FixtureNumber, fromFixture, loadFixture, present } from '../helpers.js';

interface ClipCase {
  maxNorm: number;
  normType: FixtureNumber;
  grads: { shape: number[]; values: number[] }[];
  total: number;
  clipped: number[][];
}

const cases = (loadFixture('optim.json') as { clipGradNorm: ClipCase[] }).clipGradNorm;
const values = (t: torch.Tensor): number[] => [...t.reshape(-1).toArray()];

function withGrads(grads: ClipCase['grads']): torch.Tensor[] {
  return grads.map((g) => {
    const p = torch.zeros(g.shape).requiresGrad_();
    p.grad = torch.tensor(g.values).reshape(g.shape);
    return p;
  });
}

for (const c of cases) {
  test(`clipGradNorm_ (max ${c.maxNorm}, order ${c.normType}) matches PyTorch 1.13`, () => {
    const params = withGrads(c.grads);
    const total = nn.utils.clipGradNorm_(params, c.maxNorm, fromFixture(c.normType));
    assert.deepEqual([...total.shape], []);
    assertClose([total.item()], [c.total], { rtol: 1e-6, atol: 0, what: 'total norm' });
    params.forEach((p, i) => { assertClose(values(present(p.grad)), c.clipped[i], { rtol: 1e-6, atol: 1e-7, what: `grad ${i}` }); });
  });
}

test('clipGradNorm_ takes one tensor, skips missing gradients and returns 0 without any', () => {
  const p = torch.zeros(2).requiresGrad_();
  assert.equal(nn.utils.clipGradNorm_([p, torch.zeros(1).requiresGrad_()], 1).item(), 0);
  p.grad = torch.tensor([3, 4]);
  assert.equal(nn.utils.clipGradNorm_(p, 10).item(), 5);
  assert.deepEqual(p.grad.tolist(), [3, 4]);
});

test('clipGradNorm_ refuses a non-finite norm when errorIfNonfinite is set', () => {
  const p = torch.zeros(2).requiresGrad_();
  p.grad = torch.tensor([Infinity, 1]);
  assert.throws(() => nn.utils.clipGradNorm_([p], 1, 2, { errorIfNonfinite: true }), {
    name: 'RuntimeError',
    message:
      'The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be clipped. ' +
      'To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`',
  });
  assert.equal(nn.utils.clipGradNorm_([p], 1).item(), Infinity);
});

test('clipGradValue_ clamps gradients in place', () => {
  const p = torch.zeros(4).requiresGrad_();
  p.grad = torch.tensor([-2, -0.5, 0.25, 3]);
  const grad = p.grad;
  nn.utils.clipGradValue_(p, 1);
  assert.equal(p.grad, grad);
  assert.deepEqual(p.grad.tolist(), [-1, -0.5, 0.25, 1]);
});

test('parametersToVector and vectorToParameters flatten and restore in parameter order', () => {
  const lin = new nn.Linear(3, 2);
  const vec = nn.utils.parametersToVector(lin.parameters());
  assert.deepEqual([...vec.shape], [8]);
  assert.deepEqual(values(vec.detach()), [...values(lin.weight.detach()), ...values(present(lin.bias).detach())]);
  nn.utils.vectorToParameters(torch.arange(8), lin.parameters());
  assert.deepEqual(lin.weight.tolist(), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(present(lin.bias).tolist(), [6, 7]);
  assert.equal(lin.weight.requiresGrad, true);
  const notATensor: unknown = [1, 2];
  // @ts-expect-error an array is refused by the types too; the check is for untyped callers.
  assert.throws(() => { nn.utils.vectorToParameters(notATensor, lin.parameters()); }, {
    name: 'TypeError',
    message: 'expected torch.Tensor, but got: Array',
  });
});
