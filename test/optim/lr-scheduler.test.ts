// test/optim/lr-scheduler.test.ts — learning-rate schedulers against PyTorch 1.13's lr (and
// momentum) sequences; state dicts, closed forms and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as torch from 'kindling';
import { optim } from 'kindling';
import { assertClose, loadFixture, present } from '../helpers.js';

const { lrScheduler } = optim;
type Options = Record<string, number | boolean | string | number[]>;
interface SchedulerCase {
  name: string;
  scheduler: 'StepLR' | 'MultiStepLR' | 'ExponentialLR' | 'CosineAnnealingLR' | 'OneCycleLR' | 'ReduceLROnPlateau';
  options: Options;
  optimizer: 'SGD' | 'Adam';
  optimizerOptions: Options;
  groupLrs: number[];
  metrics: number[] | null;
  lrs: number[][];
  momenta: number[][];
}

const cases = (loadFixture('optim.json') as { schedulers: SchedulerCase[] }).schedulers;
const tolerance = { rtol: 1e-6, atol: 1e-12 };

interface Stepper {
  step(metric?: number): void;
  getLastLr(): number[];
}

function makeOptimizer(c: SchedulerCase): optim.Optimizer {
  const groups = c.groupLrs.map((lr) => ({ params: [torch.zeros(1).requiresGrad_()], lr }));
  return c.optimizer === 'SGD'
    ? new optim.SGD(groups, c.optimizerOptions)
    : new optim.Adam(groups, c.optimizerOptions);
}

function makeScheduler(c: SchedulerCase, opt: optim.Optimizer): Stepper {
  const o = c.options;
  const n = (key: string): number => o[key] as number;
  switch (c.scheduler) {
    case 'StepLR': return new lrScheduler.StepLR(opt, n('stepSize'), n('gamma'));
    case 'MultiStepLR': return new lrScheduler.MultiStepLR(opt, o.milestones as number[], n('gamma'));
    case 'ExponentialLR': return new lrScheduler.ExponentialLR(opt, n('gamma'));
    case 'CosineAnnealingLR': return new lrScheduler.CosineAnnealingLR(opt, n('tMax'), { etaMin: o.etaMin as number | undefined });
    case 'OneCycleLR': {
      const { maxLr, ...rest } = o;
      return new lrScheduler.OneCycleLR(opt, maxLr as number | number[], rest);
    }
    case 'ReduceLROnPlateau': {
      const plateau = new lrScheduler.ReduceLROnPlateau(opt, o);
      return { step: (metric) => { plateau.step(present(metric, 'metric')); }, getLastLr: () => plateau.getLastLr() };
    }
  }
}

const momentaOf = (opt: optim.Optimizer): number[] =>
  opt.paramGroups.map((g) => ('betas' in g ? (g.betas as number[])[0] : present((g as { momentum?: number }).momentum, 'momentum')));

for (const c of cases) {
  test(`${c.scheduler} (${c.name}) gives PyTorch 1.13's learning rates`, () => {
    const opt = makeOptimizer(c);
    const sched = makeScheduler(c, opt);
    assertClose(opt.paramGroups.map((g) => g.lr), c.lrs[0], { ...tolerance, what: 'initial lr' });
    assertClose(momentaOf(opt), c.momenta[0], { ...tolerance, what: 'initial momentum' });
    for (let i = 1; i < c.lrs.length; i++) {
      opt.step();
      sched.step(c.metrics?.[i - 1]);
      assertClose(sched.getLastLr(), c.lrs[i], { ...tolerance, what: `lr after step ${i}` });
      assertClose(opt.paramGroups.map((g) => g.lr), c.lrs[i], { ...tolerance, what: `group lr after step ${i}` });
      assertClose(momentaOf(opt), c.momenta[i], { ...tolerance, what: `momentum after step ${i}` });
    }
  });
}

test('a scheduler restored from stateDict continues the same sequence', () => {
  const c = present(cases.find((x) => x.scheduler === 'CosineAnnealingLR'), 'a CosineAnnealingLR case');
  const opt = makeOptimizer(c);
  const sched = new lrScheduler.CosineAnnealingLR(opt, 10, { etaMin: 0.001 });
  for (let i = 0; i < 7; i++) sched.step();
  const saved = sched.stateDict();
  assert.equal(saved.last_epoch, 7);
  assert.deepEqual(saved.base_lrs, [0.1, 0.05]);
  // PyTorch's resume order: build both, then load the optimizer's state and the scheduler's.
  const opt2 = makeOptimizer(c);
  const resumed = new lrScheduler.CosineAnnealingLR(opt2, 10, { etaMin: 0.001 });
  opt2.loadStateDict(opt.stateDict());
  resumed.loadStateDict(saved);
  for (let i = 8; i < c.lrs.length; i++) {
    resumed.step();
    assertClose(resumed.getLastLr(), c.lrs[i], { ...tolerance, what: `lr after step ${i}` });
  }
});

test('ReduceLROnPlateau round-trips its counters through stateDict and accepts tensor metrics', () => {
  const opt = new optim.SGD([torch.zeros(1).requiresGrad_()], { lr: 1 });
  const sched = new lrScheduler.ReduceLROnPlateau(opt, { patience: 1, factor: 0.5 });
  sched.step(torch.tensor(1.0));
  sched.step(2);
  const saved = sched.stateDict();
  assert.equal(saved.num_bad_epochs, 1);
  assert.equal(saved.best, 1);
  const other = new lrScheduler.ReduceLROnPlateau(opt, { patience: 1, factor: 0.5 });
  other.loadStateDict(saved);
  other.step(3);
  assert.deepEqual(other.getLastLr(), [0.5]);
});

test('step(epoch) uses the closed form', () => {
  const opt = new optim.SGD([torch.zeros(1).requiresGrad_()], { lr: 1 });
  const step = new lrScheduler.StepLR(opt, 5, 0.5);
  step.step(12);
  assert.deepEqual(step.getLastLr(), [0.25]);
  assert.equal(step.lastEpoch, 12);
  const multi = new lrScheduler.MultiStepLR(new optim.SGD([torch.zeros(1).requiresGrad_()], { lr: 1 }), [2, 4, 4], 0.5);
  multi.step(4);
  assert.deepEqual(multi.getLastLr(), [0.125]);
});

test('the constructor sets initialLr and the epoch-0 learning rate', () => {
  const opt = new optim.SGD([torch.zeros(1).requiresGrad_()], { lr: 0.1, momentum: 0.9 });
  const sched = new lrScheduler.OneCycleLR(opt, 1, { totalSteps: 10 });
  assert.equal(sched.lastEpoch, 0);
  assert.equal(opt.paramGroups[0].initialLr, 0.04);
  assert.equal(opt.paramGroups[0].maxLr, 1);
  assert.deepEqual(sched.getLastLr(), [0.040000000000000036]);  // PyTorch's value, rounding included
  assert.equal(opt.stateDict().param_groups[0].initial_lr, 0.04);
});

test('schedulers throw PyTorch\'s errors', () => {
  const sgd = (): optim.SGD => new optim.SGD([torch.zeros(1).requiresGrad_()], { lr: 0.1, momentum: 0.9 });
  assert.throws(() => new lrScheduler.OneCycleLR(sgd(), 0.1), { name: 'ValueError', message: 'You must define either total_steps OR (epochs AND steps_per_epoch)' });
  assert.throws(() => new lrScheduler.OneCycleLR(sgd(), 0.1, { totalSteps: 0 }), { message: 'Expected positive integer total_steps, but got 0' });
  assert.throws(() => new lrScheduler.OneCycleLR(sgd(), 0.1, { totalSteps: 10, pctStart: 1.5 }), { message: 'Expected float between 0 and 1 pct_start, but got 1.5' });
  assert.throws(() => new lrScheduler.OneCycleLR(sgd(), [0.1, 0.2], { totalSteps: 10 }), { message: 'expected 1 values for max_lr, got 2' });
  assert.throws(() => new lrScheduler.OneCycleLR(new optim.Adagrad([torch.zeros(1).requiresGrad_()]), 0.1, { totalSteps: 10 }), {
    message: 'optimizer must support momentum with `cycle_momentum` option enabled',
  });
  const once = new lrScheduler.OneCycleLR(sgd(), 0.1, { totalSteps: 2 });
  once.step();
  once.step();
  assert.throws(() => { once.step(); }, { message: 'Tried to step 4 times. The specified number of total steps is 2' });
  assert.throws(() => new lrScheduler.StepLR(sgd(), 3, 0.1, 5), {
    message: "param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer",
  });
  assert.throws(() => new lrScheduler.ReduceLROnPlateau(sgd(), { factor: 1 }), { name: 'ValueError', message: 'Factor should be < 1.0.' });
  assert.throws(() => new lrScheduler.ReduceLROnPlateau(sgd(), { minLr: [0, 0] }), { message: 'expected 1 min_lrs, got 2' });
  assert.throws(() => new lrScheduler.ReduceLROnPlateau(sgd(), { mode: 'up' as 'min' }), { message: 'mode up is unknown!' });
  assert.throws(() => new lrScheduler.ReduceLROnPlateau(sgd(), { thresholdMode: 'x' as 'abs' }), { message: 'threshold mode x is unknown!' });
});
