// src/nn/modules/loss.ts — loss modules: options (reduction, weights …) and a call to nn.functional.
import { ValueError } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as C from '../functional/classification-loss.js';
import { huberLoss, type KLDivReduction, klDiv, l1Loss, mseLoss, type Reduction, smoothL1Loss } from '../functional/loss.js';
import { Module } from './module.js';

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/** Base of the losses: holds the reduction ('mean' by default). */
export abstract class Loss<R extends string = Reduction> extends Module {
  readonly reduction: R;
  constructor({ reduction }: { reduction?: R } = {}, valid: readonly string[] = REDUCTIONS) {
    super();
    const r = reduction ?? 'mean';
    if (!valid.includes(r)) throw new ValueError(`${this.constructor.name}: ${r} is not a valid value for reduction`);
    this.reduction = r as R;
  }
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/** Mean squared error between input and target. */
export class MSELoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error between input and target. */
export class L1Loss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Squared error below beta, absolute error above. */
export class SmoothL1Loss extends Loss {
  readonly beta: number;
  constructor({ beta = 1, ...options }: { reduction?: Reduction; beta?: number } = {}) {
    super(options);
    this.beta = beta;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** Squared error below delta, delta-scaled absolute error above. */
export class HuberLoss extends Loss {
  readonly delta: number;
  constructor({ delta = 1, ...options }: { reduction?: Reduction; delta?: number } = {}) {
    super(options);
    this.delta = delta;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/** Negative log-likelihood of class-index targets; `weight` is a buffer, as in PyTorch. */
export class NLLLoss extends Loss {
  declare readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  constructor({ weight = null, ignoreIndex = -100, ...options }: C.NLLLossOptions = {}) {
    super(options);
    this.registerBuffer('weight', weight);
    this.ignoreIndex = ignoreIndex;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return C.nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** Cross entropy of logits with class-index or class-probability targets. */
export class CrossEntropyLoss extends Loss {
  declare readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;
  constructor({ weight = null, ignoreIndex = -100, labelSmoothing = 0, ...options }: C.CrossEntropyOptions = {}) {
    super(options);
    this.registerBuffer('weight', weight);
    this.ignoreIndex = ignoreIndex;
    this.labelSmoothing = labelSmoothing;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    const { weight, ignoreIndex, reduction, labelSmoothing } = this;
    return C.crossEntropy(input, target, { weight, ignoreIndex, reduction, labelSmoothing });
  }
}

/** Binary cross entropy of probabilities. */
export class BCELoss extends Loss {
  declare readonly weight: Tensor | null;
  constructor({ weight = null, ...options }: { weight?: Tensor | null; reduction?: Reduction } = {}) {
    super(options);
    this.registerBuffer('weight', weight);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return C.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** Sigmoid and binary cross entropy in one stable step; `weight` and `posWeight` are buffers. */
export class BCEWithLogitsLoss extends Loss {
  declare readonly weight: Tensor | null;
  declare readonly posWeight: Tensor | null;
  constructor({ weight = null, posWeight = null, ...options }: C.BCEWithLogitsOptions = {}) {
    super(options);
    this.registerBuffer('weight', weight);
    this.registerBuffer('posWeight', posWeight);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return C.binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}

/** Kullback–Leibler divergence; reduction may also be 'batchmean'. */
export class KLDivLoss extends Loss<KLDivReduction> {
  readonly logTarget: boolean;
  constructor({ logTarget = false, ...options }: { reduction?: KLDivReduction; logTarget?: boolean } = {}) {
    super(options, [...REDUCTIONS, 'batchmean']);
    this.logTarget = logTarget;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
