// test/random/lenet-e2e.test.ts — from one seed, LeNet-5 trained 20 SGD steps gives PyTorch 1.13's loss
// sequence (fixture from scripts/fixtures_lenet_sgd.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { F, nn, optim } from 'kindling';
import { assertClose, loadFixture } from '../helpers.js';

interface Fixture {
  torch: string; steps: number; batch: number; lr: number; momentum: number;
  xSum: number; yFirst: number[];
  initialParamSums: Record<string, number>; losses: number[]; finalParamSums: Record<string, number>;
}
const fx = loadFixture('lenet_sgd.json') as Fixture;

/** LeNet-5 with PyTorch's layer order, so that the seeded initial weights are drawn in the same order. */
function lenet(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10),
  );
}

/** float64 sum of a tensor's values, as the fixture's `p.double().sum()`. */
const sum64 = (t: torch.Tensor): number => Array.from(t.detach().toArray()).reduce((a, b) => a + b, 0);

test('LeNet-5, seeded data, 20 SGD steps with momentum: the same losses as PyTorch within 1e-4', () => {
  torch.manualSeed(0);
  const model = lenet();
  const x = torch.randn(fx.steps, fx.batch, 1, 28, 28);
  const y = torch.randint(0, 10, [fx.steps, fx.batch]);
  // The draws themselves are bit-exact; only summation order separates these sums from PyTorch's.
  assertClose([sum64(x)], [fx.xSum], { atol: 1e-9, rtol: 1e-12, what: 'input sum' });
  assert.deepEqual(Array.from(y.get(0).toArray()), fx.yFirst);
  for (const [name, p] of model.namedParameters()) {
    assertClose([sum64(p)], [fx.initialParamSums[name]], { atol: 1e-9, rtol: 1e-12, what: `initial ${name}` });
  }
  const opt = new optim.SGD(model.parameters(), { lr: fx.lr, momentum: fx.momentum });
  const losses: number[] = [];
  for (let i = 0; i < fx.steps; i++) {
    opt.zeroGrad();
    const loss = F.crossEntropy(model(x.get(i)), y.get(i));
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  // Convolutions and matmuls accumulate in another order than PyTorch's kernels, so float32 rounding differs.
  assertClose(losses, fx.losses, { atol: 1e-4, rtol: 0, what: 'loss sequence' });
  for (const [name, p] of model.namedParameters()) {
    assertClose([sum64(p)], [fx.finalParamSums[name]], { atol: 1e-3, rtol: 1e-4, what: `final ${name}` });
  }
});
