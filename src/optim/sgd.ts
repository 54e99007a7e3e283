// src/optim/sgd.ts — torch.optim.SGD: momentum, dampening, Nesterov, weight decay, maximize
// (PyTorch 1.13's single-tensor algorithm, step for step).
import { ValueError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { sgdStep } from '../ops/fused-updates.js';
import { Optimizer, type ParamGroup, type Params } from './optimizer.js';

/** SGD's options (PyTorch's keywords in camelCase). */
export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/**
 * Stochastic gradient descent, optionally with momentum (torch.optim.SGD). `lr` has no default:
 * give it here or in every group.
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> = {}) {
    const { lr, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false, maximize = false } = options;
    if (lr !== undefined && lr < 0) throw new ValueError(`SGD: Invalid learning rate: ${lr}`);
    if (momentum < 0) throw new ValueError(`SGD: Invalid momentum value: ${momentum}`);
    if (weightDecay < 0) throw new ValueError(`SGD: Invalid weight_decay value: ${weightDecay}`);
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new ValueError('SGD: Nesterov momentum requires a momentum and zero dampening');
    }
    // An undefined lr stays in the defaults so that a group without one is refused, as in PyTorch.
    super(params, { lr: lr as number, momentum, dampening, weightDecay, nesterov, maximize });
  }

  protected updateGroup(group: ParamGroup<SGDOptions>): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    for (const p of group.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      if (momentum !== 0) {
        const buffer = sgdStep(p, p.grad, (state.momentum_buffer ?? null) as Tensor | null, { maximize, lr, momentum, dampening, weightDecay, nesterov });
        if (buffer !== null) {
          state.momentum_buffer = buffer;
          continue;
        }
      }
      let d: Tensor = maximize ? p.grad.neg() : p.grad;
      if (weightDecay !== 0) d = d.add(p, { alpha: weightDecay });
      let buf = (state.momentum_buffer ?? null) as Tensor | null;
      if (momentum !== 0) {
        if (buf === null) buf = d.clone().detach();
        else buf.mul_(momentum).add_(d, { alpha: 1 - dampening });
        d = nesterov ? d.add(buf, { alpha: momentum }) : buf;
      }
      state.momentum_buffer = buf;
      p.add_(d, { alpha: -lr });
    }
  }
}
