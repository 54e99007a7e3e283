// test/optim/fused-steps.test.ts — optimizer steps taken by a backend's fused kernel (a dense
// parameter) agree with the op-by-op steps (any other layout), and bump versions as in-place ops do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { optim } from 'kindling';
import type { Tensor } from 'kindling';
import { assertClose } from '../helpers.js';

type Make = (params: Tensor[]) => optim.Optimizer;
const OPTIMIZERS: [string, Make][] = [
  ['Adam', (ps) => new optim.Adam(ps, { lr: 0.01, weightDecay: 0.1 })],
  ['Adam amsgrad maximize', (ps) => new optim.Adam(ps, { lr: 0.01, amsgrad: true, maximize: true })],
  ['AdamW', (ps) => new optim.AdamW(ps, { lr: 0.01 })],
  ['SGD momentum dampening weight decay', (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 })],
  ['SGD Nesterov', (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true })],
];

const ROWS = 60, COLS = 50;

/** The same starting values as a dense parameter, a slice at an offset of a bigger storage, and a transposed one. */
function layouts(): Tensor[] {
  torch.manualSeed(3);
  const values = torch.randn(ROWS, COLS);
  const dense = values.clone().requiresGrad_();
  const offset = torch.cat([torch.zeros(7), values.flatten()]).get([7, 7 + ROWS * COLS]).view(ROWS, COLS).detach().requiresGrad_();
  const transposed = values.t().contiguous().t().detach().requiresGrad_();
  return [dense, offset, transposed];
}

for (const [name, make] of OPTIMIZERS) {
  test(`${name}: a dense parameter, one at an offset and a strided one take the same steps`, () => {
    const params = layouts();
    const opts = params.map((p) => make([p]));
    torch.manualSeed(4);
    for (let step = 0; step < 3; step++) {
      const g = torch.randn(ROWS, COLS);
      params.forEach((p, i) => {
        p.grad = g.clone();
        opts[i].step();
      });
    }
    const [dense, ...others] = params.map((p) => p.detach().contiguous().toArray());
    for (const other of others) assertClose(other, dense, { atol: 1e-6, rtol: 1e-6 });
  });
}

test('a step bumps the version of the parameter and of each state buffer', () => {
  const p = torch.randn(3000).requiresGrad_();
  p.grad = torch.randn(3000);
  const opt = new optim.Adam([p]);
  opt.step();
  const state = opt.stateDict().state[0];
  const [expAvg, expAvgSq] = [state.exp_avg, state.exp_avg_sq] as Tensor[];
  const before = [p.version, expAvg.version, expAvgSq.version];
  opt.step();
  assert.ok(p.version > before[0] && expAvg.version > before[1] && expAvgSq.version > before[2]);
});
