// src/nn/modules/linear.ts — y = x·Wᵀ + b. The module holds parameters; F.linear holds the math.
import { empty } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { bilinear, linear } from '../functional/linear.js';
import * as init from '../init.js';
import { Parameter } from '../parameter.js';
import { Module } from './module.js';

/** A fully connected layer from inFeatures to outFeatures, initialised as torch.nn.Linear. */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  constructor(readonly inFeatures: number, readonly outFeatures: number, { bias = true }: { bias?: boolean } = {}) {
    super();
    this.weight = new Parameter(empty(outFeatures, inFeatures));
    this.bias = bias ? new Parameter(empty(outFeatures)) : null;
    this.resetParameters();
  }

  /** Same draws, in the same order, as torch.nn.Linear.reset_parameters. */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}

/** y = x1ᵀ·A·x2 + b from in1Features and in2Features to outFeatures, initialised as torch.nn.Bilinear. */
export class Bilinear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  constructor(
    readonly in1Features: number,
    readonly in2Features: number,
    readonly outFeatures: number,
    { bias = true }: { bias?: boolean } = {},
  ) {
    super();
    this.weight = new Parameter(empty(outFeatures, in1Features, in2Features));
    this.bias = bias ? new Parameter(empty(outFeatures)) : null;
    this.resetParameters();
  }

  /** U(−1/√in1, 1/√in1) for weight then bias, as torch.nn.Bilinear.reset_parameters. */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.in1Features);
    init.uniform_(this.weight, -bound, bound);
    if (this.bias) init.uniform_(this.bias, -bound, bound);
  }

  override forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}
