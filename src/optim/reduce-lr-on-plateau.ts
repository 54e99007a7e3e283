// src/optim/reduce-lr-on-plateau.ts — ReduceLROnPlateau: lowers the learning rate when a metric
// stops improving (PyTorch 1.13's thresholds, patience and cooldown).
import { isOneOf, ValueError } from '../core/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { type AnyOptimizer, checkOptimizer, packFields, type SchedulerStateDict, unpackFields } from './scheduler-base.js';

/** ReduceLROnPlateau's options (PyTorch's keywords in camelCase). */
export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number | readonly number[];
  eps?: number;
}

/**
 * Multiplies the lr by `factor` when a metric has stopped improving for `patience` epochs.
 * @example
 * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 5 });
 * sched.step(validationLoss);
 */
export class ReduceLROnPlateau {
  factor: number;
  minLrs: number[];
  patience: number;
  cooldown: number;
  cooldownCounter = 0;
  mode: 'min' | 'max';
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  best = Infinity;
  numBadEpochs = 0;
  modeWorse = Infinity;
  eps: number;
  lastEpoch = 0;
  protected _lastLr: number[];

  constructor(readonly optimizer: AnyOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const { mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8 } = options;
    if (factor >= 1.0) throw new ValueError('Factor should be < 1.0.');
    this.factor = factor;
    checkOptimizer(optimizer);
    const n = optimizer.paramGroups.length;
    if (typeof minLr !== 'number' && minLr.length !== n) throw new ValueError(`expected ${n} min_lrs, got ${minLr.length}`);
    this.minLrs = typeof minLr === 'number' ? new Array<number>(n).fill(minLr) : [...minLr];
    this.patience = patience;
    this.cooldown = cooldown;
    this.mode = mode;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.eps = eps;
    this.initIsBetter();
    this.reset();
    this._lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private reset(): void {
    this.best = this.modeWorse;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
  }

  private initIsBetter(): void {
    if (!isOneOf(this.mode, ['min', 'max'])) throw new ValueError(`mode ${String(this.mode)} is unknown!`);
    if (!isOneOf(this.thresholdMode, ['rel', 'abs'])) {
      throw new ValueError(`threshold mode ${String(this.thresholdMode)} is unknown!`);
    }
    this.modeWorse = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether the scheduler is in its cooldown after a reduction. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /** Records one epoch's metric (a number or a one-element tensor) and reduces the lr if it plateaued. */
  step(metrics: number | Tensor, epoch?: number): void {
    const current = metrics instanceof Tensor ? metrics.item() : metrics;
    this.lastEpoch = epoch ?? this.lastEpoch + 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;  // bad epochs during the cooldown don't count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]);
      // Changes smaller than eps are ignored, so the lr stops once it is tiny.
      if (oldLr - newLr > this.eps) group.lr = newLr;
    });
  }

  /** The learning rates after the last `step()` (the groups' current ones before any step). */
  getLastLr(): number[] {
    return this._lastLr;
  }

  /** The scheduler's fields, snake_case keys, without the optimizer. */
  stateDict(): SchedulerStateDict {
    return packFields(this);
  }

  /** Restores fields saved by `stateDict()`. */
  loadStateDict(state: SchedulerStateDict): void {
    unpackFields(this, state);
    this.initIsBetter();
  }
}
