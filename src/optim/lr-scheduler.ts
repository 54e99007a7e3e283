// src/optim/lr-scheduler.ts — torch.optim.lr_scheduler (kindling's optim.lrScheduler): StepLR,
// MultiStepLR, ExponentialLR and CosineAnnealingLR here, with PyTorch 1.13's recursive (chainable)
// and closed forms so the learning rates equal PyTorch's step for step; OneCycleLR and
// ReduceLROnPlateau in their own files, re-exported.
import { type AnyOptimizer, LRScheduler } from './scheduler-base.js';

export { LRScheduler, type SchedulerStateDict } from './scheduler-base.js';
export { OneCycleLR, type OneCycleOptions } from './one-cycle-lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau.js';

/**
 * Multiplies each group's lr by `gamma` every `stepSize` epochs.
 * @example
 * const sched = new optim.lrScheduler.StepLR(opt, 30, 0.1);  // lr 0.05 for epochs 0–29, 0.005 for 30–59 …
 */
export class StepLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, public stepSize: number, public gamma = 0.1, lastEpoch = -1) {
    super(optimizer, lastEpoch);
    this.initialStep();
  }

  getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}

/**
 * Multiplies each group's lr by `gamma` at each milestone (a repeated milestone multiplies again).
 * @example
 * const sched = new optim.lrScheduler.MultiStepLR(opt, [30, 80], 0.1);
 */
export class MultiStepLR extends LRScheduler {
  milestones: number[];

  constructor(optimizer: AnyOptimizer, milestones: readonly number[], public gamma = 0.1, lastEpoch = -1) {
    super(optimizer, lastEpoch);
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.initialStep();
  }

  getLr(): number[] {
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (count === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma ** count);
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;  // bisect_right
    return this.baseLrs.map((lr) => lr * this.gamma ** passed);
  }
}

/**
 * Multiplies each group's lr by `gamma` every epoch.
 * @example
 * const sched = new optim.lrScheduler.ExponentialLR(opt, 0.9);
 */
export class ExponentialLR extends LRScheduler {
  constructor(optimizer: AnyOptimizer, public gamma: number, lastEpoch = -1) {
    super(optimizer, lastEpoch);
    this.initialStep();
  }

  getLr(): number[] {
    if (this.lastEpoch === 0) return this.groupLrs();
    return this.groupLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.gamma ** this.lastEpoch);
  }
}

/** CosineAnnealingLR's options: `etaMin` is PyTorch's eta_min. */
export interface CosineAnnealingOptions {
  etaMin?: number;
  lastEpoch?: number;
}

/**
 * Anneals each group's lr from its initial value to `etaMin` along a half cosine over `tMax`
 * epochs (PyTorch's T_max), then back up, with PyTorch's recursive formula.
 * @example
 * const sched = new optim.lrScheduler.CosineAnnealingLR(opt, 100, { etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LRScheduler {
  etaMin: number;

  constructor(optimizer: AnyOptimizer, public tMax: number, { etaMin = 0, lastEpoch = -1 }: CosineAnnealingOptions = {}) {
    super(optimizer, lastEpoch);
    this.etaMin = etaMin;
    this.initialStep();
  }

  getLr(): number[] {
    const { lastEpoch: e, tMax: t, etaMin } = this;
    if (e === 0) return this.groupLrs();
    if (this._stepCount === 1 && e > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((e * Math.PI) / t))) / 2);
    }
    // Python's % takes the divisor's sign; the restart point is where the cosine turns upwards.
    if ((((e - 1 - t) % (2 * t)) + 2 * t) % (2 * t) === 0) {
      return this.optimizer.paramGroups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / t))) / 2);
    }
    return this.groupLrs().map(
      (lr) => ((1 + Math.cos((Math.PI * e) / t)) / (1 + Math.cos((Math.PI * (e - 1)) / t))) * (lr - etaMin) + etaMin,
    );
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: e, tMax: t, etaMin } = this;
    return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * e) / t))) / 2);
  }
}
