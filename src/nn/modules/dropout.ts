// src/nn/modules/dropout.ts — nn.Dropout and nn.Dropout2d: active in training mode, the identity in eval.
import { ValueError } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { dropout, dropout2d } from '../functional/dropout.js';
import { reprFloat } from './conv.js';
import { Module } from './module.js';

abstract class DropoutNd extends Module {
  constructor(readonly p = 0.5, readonly inplace = false) {
    super();
    if (p < 0 || p > 1) throw new ValueError(`${this.constructor.name}: dropout probability has to be between 0 and 1, but got ${p}`);
  }
  override extraRepr(): string {
    return `p=${reprFloat(this.p)}, inplace=${this.inplace ? 'True' : 'False'}`;
  }
}

/** Zeroes elements with probability p while training and scales the rest by 1/(1 − p) (torch.nn.Dropout). */
export class Dropout extends DropoutNd {
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, { inplace: this.inplace });
  }
}

/** Zeroes whole channels with probability p while training (torch.nn.Dropout2d). */
export class Dropout2d extends DropoutNd {
  forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, this.training, { inplace: this.inplace });
  }
}
