// test/seed.test.ts — the lecture's REPL examples, with the exact text PyTorch printed there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import * as torch from 'kindling';
import { F, nn } from 'kindling';

const printed = (v: unknown): string => inspect(v);

test('F.relu on the lecture\'s x', () => {
  const x = torch.tensor([
    [0.8008, -0.2586, 0.5019, -0.2002, -0.7416],
    [0.0557, 0.6046, 0.0864, -0.5929, 1.2606],
  ]);
  assert.equal(printed(x), 'tensor([[ 0.8008, -0.2586,  0.5019, -0.2002, -0.7416],\n        [ 0.0557,  0.6046,  0.0864, -0.5929,  1.2606]])');
  assert.equal(printed(F.relu(x)), 'tensor([[0.8008, 0.0000, 0.5019, 0.0000, 0.0000],\n        [0.0557, 0.6046, 0.0864, 0.0000, 1.2606]])');
});

test('nn.Linear parameters and batch output size', () => {
  const f = new nn.Linear(10, 4);
  const lines = f.namedParameters().map(([n, p]) => `${n} ${printed(p.size())}`);
  assert.deepEqual(lines, ['weight torch.Size([4, 10])', 'bias torch.Size([4])']);
  const x = torch.randn(523, 10);
  assert.equal(printed(f(x).size()), 'torch.Size([523, 4])');
});

test('nn.MSELoss prints tensor(9.) and tensor(2.2500)', () => {
  const f = new nn.MSELoss();
  assert.equal(printed(f(torch.tensor([[3.0]]), torch.tensor([[0.0]]))), 'tensor(9.)');
  assert.equal(printed(f(torch.tensor([[3, 0, 0, 0]]), torch.tensor([[0, 0, 0, 0]]))), 'tensor(2.2500)');
});

test('a criterion refuses a target that requires grad', () => {
  const f = new nn.MSELoss();
  const x = torch.tensor([3, 2]).requiresGrad_();
  const y = torch.tensor([0, -2]).requiresGrad_();
  assert.throws(() => f(x, y), (e: unknown) => {
    assert.ok(e instanceof torch.AssertionError);
    assert.equal(e.name, 'AssertionError');
    assert.equal(e.message, "nn criterions don't compute the gradient w.r.t. targets - please mark these tensors as not requiring gradients");
    return true;
  });
});

test('the batch loop and the batched product give the same y', () => {
  const x = torch.randn(25, 10), w = torch.randn(15, 10);
  const y = torch.empty(x.size(0), w.size(0));
  for (let k = 0; k < y.size(0); k++) y.set(k, w.mv(x.get(k)));
  const batched = x.mm(w.t());
  const diff = y.sub(batched).abs().max().item();
  assert.ok(diff < 1e-5, `max difference ${diff}`);
});
