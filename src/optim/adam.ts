// src/optim/adam.ts — torch.optim.Adam and AdamW (decoupled weight decay), with AMSGrad and
// maximize (PyTorch 1.13's single-tensor algorithm, step for step).
import { ValueError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { zerosLike } from '../tensor/creation.js';
import { Optimizer, type ParamGroup, type Params } from './optimizer.js';

/** Adam's and AdamW's options (PyTorch's keywords in camelCase). */
export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

function adamDefaults(op: string, options: Partial<AdamOptions>, weightDecayDefault: number): AdamOptions {
  const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = weightDecayDefault, amsgrad = false, maximize = false } = options;
  if (!(lr >= 0)) throw new ValueError(`${op}: Invalid learning rate: ${lr}`);
  if (!(eps >= 0)) throw new ValueError(`${op}: Invalid epsilon value: ${eps}`);
  if (!(betas[0] >= 0 && betas[0] < 1)) throw new ValueError(`${op}: Invalid beta parameter at index 0: ${betas[0]}`);
  if (!(betas[1] >= 0 && betas[1] < 1)) throw new ValueError(`${op}: Invalid beta parameter at index 1: ${betas[1]}`);
  if (!(weightDecay >= 0)) throw new ValueError(`${op}: Invalid weight_decay value: ${weightDecay}`);
  return { lr, betas: [betas[0], betas[1]], eps, weightDecay, amsgrad, maximize };
}

/**
 * Adam (torch.optim.Adam): weight decay is added to the gradient (L2 regularisation).
 * @example
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends Optimizer<AdamOptions> {
  /** Whether weight decay shrinks the parameters directly (AdamW) instead of joining the gradient. */
  protected readonly decoupled: boolean = false;

  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, adamDefaults('Adam', options, 0));
  }

  protected updateGroup(group: ParamGroup<AdamOptions>): void {
    const { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad, maximize } = group;
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.exp_avg = zerosLike(p);
        state.exp_avg_sq = zerosLike(p);
        if (amsgrad) state.max_exp_avg_sq = zerosLike(p);
      }
      const expAvg = state.exp_avg as Tensor, expAvgSq = state.exp_avg_sq as Tensor;
      let grad: Tensor = maximize ? p.grad.neg() : p.grad;
      const step = (state.step as number) + 1;
      state.step = step;
      if (weightDecay !== 0) {
        if (this.decoupled) p.mul_(1 - lr * weightDecay);
        else grad = grad.add(p, { alpha: weightDecay });
      }
      expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      // addcmul_(grad, grad, value): self + value·grad·grad, multiplied in that order.
      expAvgSq.mul_(beta2).add_(grad.mul(1 - beta2).mul(grad));
      const biasCorrection1 = 1 - beta1 ** step;
      const biasCorrection2 = 1 - beta2 ** step;
      const stepSize = lr / biasCorrection1;
      const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
      let second = expAvgSq;
      if (amsgrad) {
        const maxSq = state.max_exp_avg_sq as Tensor;
        maxSq.copy_(maxSq.maximum(expAvgSq));
        second = maxSq;
      }
      const denom = second.sqrt().div(biasCorrection2Sqrt).add_(eps);
      // addcdiv_(expAvg, denom, value): self + value·expAvg/denom.
      p.add_(expAvg.mul(-stepSize).div(denom));
    }
  }
}

/**
 * AdamW (torch.optim.AdamW): Adam with decoupled weight decay (default 0.01), applied as
 * `p ← p·(1 − lr·weightDecay)` before the update.
 * @example
 * const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, adamDefaults('AdamW', options, 1e-2));
  }
}
