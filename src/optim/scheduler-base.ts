// src/optim/scheduler-base.ts — the base of the epoch-based learning-rate schedulers (PyTorch's
// _LRScheduler) and the state-dict helpers all schedulers share.
import { ArgumentTypeError, constructorName, ValueError } from '../core/errors.js';
import { camelCase, Optimizer, snakeCase } from './optimizer.js';

/** Any optimizer, as schedulers see it: groups with an lr. */
export type AnyOptimizer = Optimizer;

/** A scheduler's state: its fields under PyTorch's snake_case names, without the optimizer. */
export type SchedulerStateDict = Record<string, unknown>;

/** Refuses what is not an optimizer, as PyTorch's schedulers do. */
export function checkOptimizer(optimizer: unknown): void {
  if (!(optimizer instanceof Optimizer)) {
    throw new ArgumentTypeError(`${constructorName(optimizer) ?? String(optimizer)} is not an Optimizer`);
  }
}

/** A scheduler's fields without the optimizer, snake_case keys (PyTorch's `__dict__`). */
export function packFields(scheduler: object): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const [key, value] of Object.entries(scheduler)) {
    if (key !== 'optimizer' && typeof value !== 'function') out[snakeCase(key)] = Array.isArray(value) ? [...(value as unknown[])] : (value as unknown);
  }
  return out;
}

/** Restores fields packed by packFields (PyTorch's `__dict__.update`). */
export function unpackFields(scheduler: object, state: SchedulerStateDict): void {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) fields[camelCase(key)] = Array.isArray(value) ? [...(value as unknown[])] : value;
  Object.assign(scheduler, fields);
}

/**
 * Base class of the epoch-based schedulers (PyTorch's _LRScheduler). Subclasses set their fields,
 * then call `initialStep()`, which sets the first learning rate (epoch 0) as PyTorch's constructor does.
 */
export abstract class LRScheduler {
  /** Each group's starting learning rate (its `initialLr`). */
  baseLrs: number[];
  /** The index of the last epoch; -1 before the initial step. */
  lastEpoch: number;
  protected _stepCount = 0;
  protected _lastLr: number[] = [];

  constructor(readonly optimizer: AnyOptimizer, lastEpoch = -1) {
    checkOptimizer(optimizer);
    this.baseLrs = optimizer.paramGroups.map((group, i) => {
      if (lastEpoch === -1) group.initialLr ??= group.lr;
      else if (group.initialLr === undefined) {
        throw new ValueError(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
      }
      return group.initialLr;
    });
    this.lastEpoch = lastEpoch;
  }

  protected initialStep(): void {
    this._stepCount = 0;
    this.step();
  }

  /** The learning rates of the next epoch, from the current ones (PyTorch's chainable form). */
  abstract getLr(): number[];

  /** The learning rates at `lastEpoch` from the base ones, used when `step(epoch)` names an epoch. */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** Advances one epoch (or jumps to `epoch`, deprecated in PyTorch) and sets each group's lr. */
  step(epoch?: number): void {
    this._stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.getLr();
    }
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = values[i];
    });
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rates the last `step()` set. */
  getLastLr(): number[] {
    return this._lastLr;
  }

  /** The scheduler's fields (PyTorch's `__dict__` without the optimizer), snake_case keys. */
  stateDict(): SchedulerStateDict {
    return packFields(this);
  }

  /** Restores fields saved by `stateDict()`. */
  loadStateDict(state: SchedulerStateDict): void {
    unpackFields(this, state);
  }

  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}
