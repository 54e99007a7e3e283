// src/optim/rmsprop.ts — torch.optim.RMSprop: smoothing constant alpha, momentum, centered
// variant, weight decay, maximize (PyTorch 1.13's single-tensor algorithm, step for step).
import { ValueError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { zerosLike } from '../tensor/creation.js';
import { Optimizer, type ParamGroup, type Params } from './optimizer.js';

/** RMSprop's options (PyTorch's keywords in camelCase). */
export interface RMSpropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/**
 * RMSprop (torch.optim.RMSprop): divides the gradient by a running root mean square.
 * @example
 * const opt = new optim.RMSprop(model.parameters(), { lr: 0.01, momentum: 0.9 });
 */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: Params<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    const { lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false, maximize = false } = options;
    if (!(lr >= 0)) throw new ValueError(`RMSprop: Invalid learning rate: ${lr}`);
    if (!(eps >= 0)) throw new ValueError(`RMSprop: Invalid epsilon value: ${eps}`);
    if (!(momentum >= 0)) throw new ValueError(`RMSprop: Invalid momentum value: ${momentum}`);
    if (!(weightDecay >= 0)) throw new ValueError(`RMSprop: Invalid weight_decay value: ${weightDecay}`);
    if (!(alpha >= 0)) throw new ValueError(`RMSprop: Invalid alpha value: ${alpha}`);
    super(params, { lr, alpha, eps, weightDecay, momentum, centered, maximize });
  }

  protected updateGroup(group: ParamGroup<RMSpropOptions>): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.square_avg = zerosLike(p);
        if (momentum > 0) state.momentum_buffer = zerosLike(p);
        if (centered) state.grad_avg = zerosLike(p);
      }
      state.step = (state.step as number) + 1;
      let grad: Tensor = maximize ? p.grad.neg() : p.grad;
      if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
      const squareAvg = state.square_avg as Tensor;
      squareAvg.mul_(alpha).addcmul_(grad, grad, { value: 1 - alpha });
      let avg: Tensor;
      if (centered) {
        const gradAvg = state.grad_avg as Tensor;
        gradAvg.mul_(alpha).add_(grad, { alpha: 1 - alpha });
        avg = squareAvg.addcmul(gradAvg, gradAvg, { value: -1 }).sqrt_();
      } else {
        avg = squareAvg.sqrt();
      }
      avg.add_(eps);
      if (momentum > 0) {
        const buf = state.momentum_buffer as Tensor;
        buf.mul_(momentum).addcdiv_(grad, avg);
        p.add_(buf, { alpha: -lr });
      } else {
        p.addcdiv_(grad, avg, { value: -lr });
      }
    }
  }
}
