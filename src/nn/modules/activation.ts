// src/nn/modules/activation.ts — activation modules wrapping nn.functional.
import type { Tensor } from '../../tensor/tensor.js';
import { relu } from '../functional/activation.js';
import { Module } from './module.js';

/** max(x, 0) elementwise. */
export class ReLU extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  forward(x: Tensor): Tensor {
    return relu(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}
