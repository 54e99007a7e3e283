// src/optim/adagrad.ts — torch.optim.Adagrad: learning-rate decay, weight decay, initial
// accumulator value, maximize (PyTorch 1.13's single-tensor algorithm, step for step).
import { ValueError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { fullLike } from '../tensor/creation.js';
import { Optimizer, type ParamGroup, type Params } from './optimizer.js';

/** Adagrad's options (PyTorch's keywords in camelCase). */
export interface AdagradOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

/**
 * Adagrad (torch.optim.Adagrad): scales each coordinate by the root of its summed squared gradients.
 * @example
 * const opt = new optim.Adagrad(model.parameters(), { lr: 0.1 });
 */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    const { lr = 1e-2, lrDecay = 0, weightDecay = 0, initialAccumulatorValue = 0, eps = 1e-10, maximize = false } = options;
    if (!(lr >= 0)) throw new ValueError(`Adagrad: Invalid learning rate: ${lr}`);
    if (!(lrDecay >= 0)) throw new ValueError(`Adagrad: Invalid lr_decay value: ${lrDecay}`);
    if (!(weightDecay >= 0)) throw new ValueError(`Adagrad: Invalid weight_decay value: ${weightDecay}`);
    if (!(initialAccumulatorValue >= 0)) {
      throw new ValueError(`Adagrad: Invalid initial_accumulator_value value: ${initialAccumulatorValue}`);
    }
    if (!(eps >= 0)) throw new ValueError(`Adagrad: Invalid epsilon value: ${eps}`);
    super(params, { lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize });
    // PyTorch creates the state eagerly, so a state dict taken before the first step has it.
    for (const group of this.paramGroups) for (const p of group.params) this.initState(p, group);
  }

  private initState(p: Tensor, group: ParamGroup<AdagradOptions>): void {
    const state = this.stateOf(p);
    state.step = 0;
    state.sum = fullLike(p, group.initialAccumulatorValue);
  }

  protected updateGroup(group: ParamGroup<AdagradOptions>): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    for (const p of group.params) {
      if (p.grad === null) continue;
      // Groups added after construction get their state here (PyTorch would fail on them).
      if (this.state.get(p)?.sum === undefined) this.initState(p, group);
      const state = this.stateOf(p);
      const step = (state.step as number) + 1;
      state.step = step;
      let grad: Tensor = maximize ? p.grad.neg() : p.grad;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const clr = lr / (1 + (step - 1) * lrDecay);
      const sum = state.sum as Tensor;
      sum.addcmul_(grad, grad, { value: 1 });
      const std = sum.sqrt().add_(eps);
      p.addcdiv_(grad, std, { value: -clr });
    }
  }
}
