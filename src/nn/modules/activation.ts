// src/nn/modules/activation.ts — activation modules wrapping nn.functional, printed as PyTorch prints them.
import { AssertionError } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as A from '../functional/activation.js';
import { Module } from './module.js';

/**
 * A number as Python's repr prints a float (`1.0`, `0.01`, `1e-05`). JS numbers carry no
 * int/float distinction, so parameters PyTorch declares as floats always print this way.
 */
export function pyFloat(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

const inplaceRepr = (inplace: boolean): string => (inplace ? ', inplace=True' : '');

/** max(x, 0) elementwise. */
export class ReLU extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.relu(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** x for x > 0, negativeSlope·x otherwise. */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01, readonly inplace = false) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.leakyRelu(x, { negativeSlope: this.negativeSlope, inplace: this.inplace });
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}${inplaceRepr(this.inplace)}`;
  }
}

/** x for x > 0, alpha·(exp(x) − 1) otherwise. */
export class ELU extends Module {
  constructor(readonly alpha = 1, readonly inplace = false) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.elu(x, { alpha: this.alpha, inplace: this.inplace });
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${inplaceRepr(this.inplace)}`;
  }
}

/** x·Φ(x), exact (erf) or with the tanh approximation. */
export class GELU extends Module {
  constructor(readonly approximate: A.GeluApproximate = 'none') {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.gelu(x, { approximate: this.approximate });
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** x·sigmoid(x). */
export class SiLU extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.silu(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** 1/(1 + exp(−x)). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return A.sigmoid(x);
  }
}

/** Hyperbolic tangent. */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return A.tanh(x);
  }
}

/** Softmax along `dim` (null: PyTorch's implicit dim). */
export class Softmax extends Module {
  constructor(readonly dim: number | null = null) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.softmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/** Log-softmax along `dim` (null: PyTorch's implicit dim). */
export class LogSoftmax extends Module {
  constructor(readonly dim: number | null = null) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.logSoftmax(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/** log(1 + exp(β·x))/β, linear where β·x > threshold. */
export class Softplus extends Module {
  constructor(readonly beta = 1, readonly threshold = 20) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.softplus(x, { beta: this.beta, threshold: this.threshold });
  }
  override extraRepr(): string {
    // PyTorch's defaults here are ints (beta=1, threshold=20), so they print without '.0'.
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** x clamped to [minVal, maxVal]. */
export class Hardtanh extends Module {
  constructor(readonly minVal = -1, readonly maxVal = 1, readonly inplace = false) {
    super();
    if (!(maxVal > minVal)) throw new AssertionError(`Hardtanh: max_val (${maxVal}) must be greater than min_val (${minVal})`);
  }
  forward(x: Tensor): Tensor {
    return A.hardtanh(x, { minVal: this.minVal, maxVal: this.maxVal, inplace: this.inplace });
  }
  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}${inplaceRepr(this.inplace)}`;
  }
}

/** x·relu6(x + 3)/6 (torch.nn.Hardswish; PyTorch prints no inplace flag). */
export class Hardswish extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.hardswish(x, { inplace: this.inplace });
  }
}

/** relu6(x + 3)/6 (torch.nn.Hardsigmoid; PyTorch prints no inplace flag). */
export class Hardsigmoid extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.hardsigmoid(x, { inplace: this.inplace });
  }
}

/** x·tanh(softplus(x)) (torch.nn.Mish). */
export class Mish extends Module {
  constructor(readonly inplace = false) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.mish(x, { inplace: this.inplace });
  }
  override extraRepr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** The gated linear unit a·sigmoid(b) over the halves of `dim` (torch.nn.GLU). */
export class GLU extends Module {
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return A.glu(x, this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** log(sigmoid(x)) (torch.nn.LogSigmoid). */
export class LogSigmoid extends Module {
  forward(x: Tensor): Tensor {
    return A.logsigmoid(x);
  }
}
