// src/optim/adam.ts — torch.optim.Adam and AdamW (decoupled weight decay), with AMSGrad and
// maximize (PyTorch 1.13's single-tensor algorithm, step for step).
import { ValueError } from '../core/errors.js';
import type { AdamConstants } from '../backends/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import { zerosLike } from '../tensor/creation.js';
import { adamStep } from '../ops/fused-updates.js';
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
    const decoupled = this.decoupled && weightDecay !== 0;
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.exp_avg = zerosLike(p);
        state.exp_avg_sq = zerosLike(p);
        if (amsgrad) state.max_exp_avg_sq = zerosLike(p);
      }
      const step = (state.step as number) + 1;
      state.step = step;
      const moments: Moments = [state.exp_avg as Tensor, state.exp_avg_sq as Tensor, amsgrad ? (state.max_exp_avg_sq as Tensor) : null];
      const c: AdamConstants = {
        maximize, decay: decoupled ? 1 - lr * weightDecay : 1, weightDecay: decoupled ? 0 : weightDecay, beta1, beta2, eps,
        stepSize: lr / (1 - beta1 ** step), biasCorrection2Sqrt: Math.sqrt(1 - beta2 ** step),
      };
      if (!adamStep(p, p.grad, ...moments, c)) adamOps(p, p.grad, moments, c);
    }
  }
}

/** exp_avg, exp_avg_sq and, with AMSGrad, max_exp_avg_sq. */
type Moments = [Tensor, Tensor, Tensor | null];

/** The step as PyTorch 1.13 writes it, op by op, for backends without a fused kernel. */
function adamOps(p: Tensor, g: Tensor, [expAvg, expAvgSq, maxSq]: Moments, c: AdamConstants): void {
  let grad = c.maximize ? g.neg() : g;
  if (c.decay !== 1) p.mul_(c.decay);
  if (c.weightDecay !== 0) grad = grad.add(p, { alpha: c.weightDecay });
  expAvg.mul_(c.beta1).add_(grad, { alpha: 1 - c.beta1 });
  expAvgSq.mul_(c.beta2).addcmul_(grad, grad, { value: 1 - c.beta2 });
  let second = expAvgSq;
  if (maxSq !== null) {
    maxSq.copy_(maxSq.maximum(expAvgSq));
    second = maxSq;
  }
  const denom = second.sqrt().div(c.biasCorrection2Sqrt).add_(c.eps);
  p.addcdiv_(expAvg, denom, { value: -c.stepSize });
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
