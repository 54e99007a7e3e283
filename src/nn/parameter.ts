// src/nn/parameter.ts — nn.Parameter: a leaf tensor that modules register as a weight.
import { Tensor } from '../tensor/tensor.js';
import { formatTensor } from '../tensor/print.js';

/** A tensor known to be a module parameter; requiresGrad defaults to true. */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    super(data.storage, data.dims, data.strides, data.offset);
    this.requiresGrad_(requiresGrad);
  }

  /** Prints as PyTorch does: `Parameter containing:` then the tensor. */
  override toString(): string {
    return `Parameter containing:\n${formatTensor(this)}`;
  }

  /** The printed form with the values, on every device. */
  override async toStringAsync(): Promise<string> {
    return `Parameter containing:\n${formatTensor(this, { values: await this.data() })}`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
