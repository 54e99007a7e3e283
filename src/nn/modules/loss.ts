// src/nn/modules/loss.ts — loss modules: a reduction option and a call to nn.functional.
import type { Tensor } from '../../tensor/tensor.js';
import { checkReduction, mseLoss, type Reduction } from '../functional/loss.js';
import { Module } from './module.js';

/** Base of the losses: holds the reduction ('mean' by default). */
export abstract class Loss extends Module {
  readonly reduction: Reduction;
  constructor({ reduction = 'mean' }: { reduction?: Reduction } = {}) {
    super();
    checkReduction(this.constructor.name, reduction);
    this.reduction = reduction;
  }
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/** Mean squared error between input and target. */
export class MSELoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}
