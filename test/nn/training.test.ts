// test/nn/training.test.ts — small networks learn synthetic tasks, deterministically under a seed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { F, nn, optim } from 'kindling';

/** Trains `model` with `opt` for `steps` full-batch steps and returns the loss after each. */
function fit(model: nn.Module, opt: optim.Optimizer, x: torch.Tensor, y: torch.Tensor, steps: number): number[] {
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    const loss = F.crossEntropy(model(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}

/** Two Gaussian blobs per class in 2-D: the class is the quadrant sign pattern of the mean. */
function blobs(n: number): [torch.Tensor, torch.Tensor] {
  const y = torch.randint(0, 4, [n]);
  const centers = torch.tensor([[-2, -2], [-2, 2], [2, -2], [2, 2]]);
  const x = centers.indexSelect(0, y).add(torch.randn(n, 2).mul(0.5));
  return [x, y];
}

function trainMlp(): number[] {
  torch.manualSeed(0);
  const [x, y] = blobs(256);
  const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 4));
  return fit(model, new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), x, y, 60);
}

test('an MLP separates four Gaussian blobs (loss < 0.05) and repeats exactly under a seed', () => {
  const losses = trainMlp();
  assert.ok(losses[0] > 1, `initial loss ${losses[0]}`);
  assert.ok(losses[losses.length - 1] < 0.05, `final loss ${losses[losses.length - 1]}`);
  assert.deepEqual(trainMlp(), losses);
});

/** 8x8 images: a bright vertical bar (class 0) or horizontal bar (class 1) at a random place, plus noise. */
function bars(n: number): [torch.Tensor, torch.Tensor] {
  const y = torch.randint(0, 2, [n]);
  const x = torch.randn(n, 1, 8, 8).mul(0.3);
  const labels = y.tolist() as number[];
  const where = torch.randint(1, 7, [n]).tolist() as number[];
  labels.forEach((label, i) => {
    const image = x.get(i, 0);
    if (label === 0) image.get(null, where[i]).add_(2);
    else image.get(where[i]).add_(2);
  });
  return [x, y];
}

function trainCnn(): number[] {
  torch.manualSeed(1);
  const [x, y] = bars(64);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(4, 8, 3), new nn.ReLU(), new nn.Flatten(), new nn.Linear(32, 2),
  );
  return fit(model, new optim.Adam(model.parameters(), { lr: 0.01 }), x, y, 40);
}

test('a small CNN tells vertical from horizontal bars (loss < 0.05) and repeats exactly under a seed', () => {
  const losses = trainCnn();
  assert.ok(losses[losses.length - 1] < 0.05, `final loss ${losses[losses.length - 1]}`);
  assert.deepEqual(trainCnn(), losses);
});
