// src/optim/one-cycle-lr.ts — OneCycleLR: the 1cycle policy with PyTorch 1.13's phases and
// annealing, cycling SGD's momentum or Adam's beta1 against the learning rate.
import { isOneOf, ValueError } from '../core/errors.js';
import { type ParamGroup, type SchedulerFields, snakeCase } from './optimizer.js';
import { type AnyOptimizer, checkOptimizer, LRScheduler } from './scheduler-base.js';

/** OneCycleLR's options (PyTorch's keywords in camelCase). */
export interface OneCycleOptions {
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  cycleMomentum?: boolean;
  baseMomentum?: number | readonly number[];
  maxMomentum?: number | readonly number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: 'initialLr' | 'maxLr' | 'minLr';
  endLr: 'initialLr' | 'maxLr' | 'minLr';
  startMomentum: 'maxMomentum' | 'baseMomentum';
  endMomentum: 'maxMomentum' | 'baseMomentum';
}

/** A group whose optimizer has SGD's `momentum` or Adam's `betas`. */
type MomentumGroup = ParamGroup & { momentum?: number; betas?: [number, number] };

function formatParam(name: string, optimizer: AnyOptimizer, value: number | readonly number[]): number[] {
  const n = optimizer.paramGroups.length;
  if (typeof value === 'number') return new Array<number>(n).fill(value);
  if (value.length !== n) throw new ValueError(`expected ${n} values for ${name}, got ${value.length}`);
  return [...value];
}

const isPositiveInt = (x: number): boolean => Number.isInteger(x) && x > 0;

/**
 * The 1cycle policy: lr rises from maxLr/divFactor to maxLr, then falls to
 * initialLr/finalDivFactor, while momentum (SGD) or beta1 (Adam) moves the other way. Step it
 * after every batch.
 * @example
 * const sched = new optim.lrScheduler.OneCycleLR(opt, 0.01, { totalSteps: 1000 });
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  useBeta1: boolean;
  protected phases: Phase[];

  constructor(optimizer: AnyOptimizer, maxLr: number | readonly number[], options: OneCycleOptions = {}) {
    const {
      totalSteps, epochs, stepsPerEpoch, pctStart = 0.3, annealStrategy = 'cos', cycleMomentum = true,
      baseMomentum = 0.85, maxMomentum = 0.95, divFactor = 25, finalDivFactor = 1e4, threePhase = false, lastEpoch = -1,
    } = options;
    checkOptimizer(optimizer);
    let total: number;
    if (totalSteps !== undefined) {
      if (!isPositiveInt(totalSteps)) throw new ValueError(`Expected positive integer total_steps, but got ${totalSteps}`);
      total = totalSteps;
    } else if (epochs !== undefined && stepsPerEpoch !== undefined) {
      if (!isPositiveInt(epochs)) throw new ValueError(`Expected positive integer epochs, but got ${epochs}`);
      if (!isPositiveInt(stepsPerEpoch)) throw new ValueError(`Expected positive integer steps_per_epoch, but got ${stepsPerEpoch}`);
      total = epochs * stepsPerEpoch;
    } else {
      throw new ValueError('You must define either total_steps OR (epochs AND steps_per_epoch)');
    }
    if (!(pctStart >= 0 && pctStart <= 1)) throw new ValueError(`Expected float between 0 and 1 pct_start, but got ${pctStart}`);
    if (!isOneOf(annealStrategy, ['cos', 'linear'])) {
      throw new ValueError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${String(annealStrategy)}`);
    }
    const maxLrs = formatParam('max_lr', optimizer, maxLr);
    if (lastEpoch === -1) {
      optimizer.paramGroups.forEach((group, i) => {
        group.initialLr = maxLrs[i] / divFactor;
        group.maxLr = maxLrs[i];
        group.minLr = group.initialLr / finalDivFactor;
      });
    }
    const useBeta1 = 'betas' in optimizer.defaults;
    if (cycleMomentum) {
      if (!('momentum' in optimizer.defaults) && !useBeta1) {
        throw new ValueError('optimizer must support momentum with `cycle_momentum` option enabled');
      }
      const maxMomenta = formatParam('max_momentum', optimizer, maxMomentum);
      const baseMomenta = formatParam('base_momentum', optimizer, baseMomentum);
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((group, i) => {
          setMomentum(group, useBeta1, maxMomenta[i]);
          group.maxMomentum = maxMomenta[i];
          group.baseMomentum = baseMomenta[i];
        });
      }
    }
    super(optimizer, lastEpoch);
    this.totalSteps = total;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    const up: Phase = { endStep: pctStart * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' };
    this.phases = threePhase
      ? [
          up,
          { endStep: 2 * pctStart * total - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: total - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [up, { endStep: total - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' }];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2.0) * cosOut;
  }

  getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new ValueError(`Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.totalSteps}`);
    }
    return this.optimizer.paramGroups.map((group, g) => {
      let startStep = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i];
        if (stepNum <= phase.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (phase.endStep - startStep);
          const lr = this.anneal(scheduleValue(group, g, phase.startLr), scheduleValue(group, g, phase.endLr), pct);
          if (this.cycleMomentum) {
            const momentum = this.anneal(scheduleValue(group, g, phase.startMomentum), scheduleValue(group, g, phase.endMomentum), pct);
            setMomentum(group, this.useBeta1, momentum);
          }
          return lr;
        }
        startStep = phase.endStep;
      }
      return group.lr;  // unreachable: the last phase always matches
    });
  }
}

/**
 * A value the constructor stores in each group (`max_lr`, `base_momentum` …). Resuming with
 * lastEpoch ≥ 0 takes them from the optimizer's groups instead, which may lack them.
 */
function scheduleValue(group: ParamGroup, index: number, key: keyof SchedulerFields): number {
  const value = group[key];
  if (value === undefined) throw new ValueError(`param '${snakeCase(key)}' is not specified in param_groups[${index}]`);
  return value;
}

function setMomentum(group: ParamGroup & SchedulerFields, useBeta1: boolean, value: number): void {
  const g = group as MomentumGroup;
  if (useBeta1) {
    if (g.betas === undefined) throw new ValueError("optimizer param group has no 'betas' to cycle beta1 in");
    g.betas = [value, g.betas[1]];
  } else {
    g.momentum = value;
  }
}
