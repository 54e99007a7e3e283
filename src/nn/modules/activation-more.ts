// src/nn/modules/activation-more.ts — nn.ReLU6, nn.SELU, nn.CELU, nn.Softsign, nn.Tanhshrink, nn.Hardshrink,
// nn.Softshrink, nn.Threshold, nn.Softmin, nn.PReLU: wrappers of nn.functional, printed as PyTorch prints them.
import { full } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as A from '../functional/activation-more.js';
import { Parameter } from '../parameter.js';
import { pyFloat } from './activation.js';
import { Module } from './module.js';

/** min(max(x, 0), 6). */
export class ReLU6 extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.relu6(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** scale·elu(x, α) with the self-normalising constants. */
export class SELU extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.selu(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** max(0, x) + min(0, α·(exp(x/α) − 1)). */
export class CELU extends Module {
  constructor(readonly alpha = 1, readonly inplace = false) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.celu(x, { alpha: this.alpha, inplace: this.inplace });
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** x / (1 + |x|). */
export class Softsign extends Module {
  forward(x: Tensor): Tensor {
    return A.softsign(x);
  }
}

/** x − tanh(x). */
export class Tanhshrink extends Module {
  forward(x: Tensor): Tensor {
    return A.tanhshrink(x);
  }
}

/** x where |x| > λ, else 0. */
export class Hardshrink extends Module {
  constructor(readonly lambd = 0.5) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.hardshrink(x, this.lambd);
  }
  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}

/** x ∓ λ outside [−λ, λ], else 0. */
export class Softshrink extends Module {
  constructor(readonly lambd = 0.5) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.softshrink(x, this.lambd);
  }
  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}

/** x where x > threshold, else value (both printed as given). */
export class Threshold extends Module {
  constructor(readonly threshold: number, readonly value: number, readonly inplace = false) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.threshold(x, this.threshold, this.value, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return `threshold=${this.threshold}, value=${this.value}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** softmax(−x) along `dim` (null: PyTorch's implicit dim). */
export class Softmin extends Module {
  constructor(readonly dim: number | null = null) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.softmin(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/** x where x > 0, else a·x with a learnt slope a, shared or one per channel (weight initialised to `init`). */
export class PReLU extends Module {
  readonly weight: Parameter;
  constructor(readonly numParameters = 1, readonly init = 0.25) {
    super();
    this.weight = new Parameter(full([numParameters], init));
  }
  forward(x: Tensor): Tensor {
    return A.prelu(x, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}
