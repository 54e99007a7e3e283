// src/nn/modules/loss-more.ts — margin, embedding and likelihood loss modules: options and a call to
// nn.functional (F.marginRankingLoss …); like PyTorch's, they print with no arguments.
import { ValueError } from '../../core/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Reduction } from '../functional/loss.js';
import * as M from '../functional/margin-loss.js';
import { Loss } from './loss.js';
import { Module } from './module.js';

/** The reduction of a three-input loss, checked as Loss checks its own. */
function reductionOf(name: string, reduction: Reduction | undefined): Reduction {
  const r: string = reduction ?? 'mean';
  if (r !== 'mean' && r !== 'sum' && r !== 'none') throw new ValueError(`${name}: ${r} is not a valid value for reduction`);
  return r;
}

/** max(0, −y·(x1 − x2) + margin) (torch.nn.MarginRankingLoss). */
export class MarginRankingLoss extends Module {
  readonly margin: number;
  readonly reduction: Reduction;
  constructor({ margin = 0, reduction }: { margin?: number; reduction?: Reduction } = {}) {
    super();
    this.margin = margin;
    this.reduction = reductionOf(new.target.name, reduction);
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return M.marginRankingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** x where y = 1, max(0, margin − x) where y = −1 (torch.nn.HingeEmbeddingLoss). */
export class HingeEmbeddingLoss extends Loss {
  readonly margin: number;
  constructor({ margin = 1, ...options }: { margin?: number; reduction?: Reduction } = {}) {
    super(options);
    this.margin = margin;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return M.hingeEmbeddingLoss(input, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** log(1 + exp(−y·x)) (torch.nn.SoftMarginLoss). */
export class SoftMarginLoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return M.softMarginLoss(input, target, { reduction: this.reduction });
  }
}

/** 1 − cos where y = 1, max(0, cos − margin) where y = −1 (torch.nn.CosineEmbeddingLoss). */
export class CosineEmbeddingLoss extends Module {
  readonly margin: number;
  readonly reduction: Reduction;
  constructor({ margin = 0, reduction }: { margin?: number; reduction?: Reduction } = {}) {
    super();
    this.margin = margin;
    this.reduction = reductionOf(new.target.name, reduction);
  }
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return M.cosineEmbeddingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** max(0, margin + d(a, p) − d(a, n)) (torch.nn.TripletMarginLoss). */
export class TripletMarginLoss extends Module {
  readonly margin: number;
  readonly p: number;
  readonly eps: number;
  readonly swap: boolean;
  readonly reduction: Reduction;
  constructor({ margin = 1, p = 2, eps = 1e-6, swap = false, reduction }: M.TripletMarginOptions = {}) {
    super();
    this.margin = margin;
    this.p = p;
    this.eps = eps;
    this.swap = swap;
    this.reduction = reductionOf(new.target.name, reduction);
  }
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    const { margin, p, eps, swap, reduction } = this;
    return M.tripletMarginLoss(anchor, positive, negative, { margin, p, eps, swap, reduction });
  }
}

/** Poisson negative log-likelihood (torch.nn.PoissonNLLLoss). */
export class PoissonNLLLoss extends Loss {
  readonly logInput: boolean;
  readonly full: boolean;
  readonly eps: number;
  constructor({ logInput = true, full = false, eps = 1e-8, ...options }: M.PoissonNllOptions = {}) {
    super(options);
    this.logInput = logInput;
    this.full = full;
    this.eps = eps;
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return M.poissonNllLoss(input, target, { logInput: this.logInput, full: this.full, eps: this.eps, reduction: this.reduction });
  }
}

/** Gaussian negative log-likelihood with a predicted variance (torch.nn.GaussianNLLLoss). */
export class GaussianNLLLoss extends Module {
  readonly full: boolean;
  readonly eps: number;
  readonly reduction: Reduction;
  constructor({ full = false, eps = 1e-6, reduction }: M.GaussianNllOptions = {}) {
    super();
    this.full = full;
    this.eps = eps;
    this.reduction = reductionOf(new.target.name, reduction);
  }
  forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return M.gaussianNllLoss(input, target, variance, { full: this.full, eps: this.eps, reduction: this.reduction });
  }
}

/** Multi-label one-versus-all logistic loss; `weight` is a buffer (torch.nn.MultiLabelSoftMarginLoss). */
export class MultiLabelSoftMarginLoss extends Loss {
  declare readonly weight: Tensor | null;
  constructor({ weight = null, ...options }: { weight?: Tensor | null; reduction?: Reduction } = {}) {
    super(options);
    this.registerBuffer('weight', weight);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return M.multilabelSoftMarginLoss(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** Multi-class hinge loss; `weight` is a buffer (torch.nn.MultiMarginLoss). */
export class MultiMarginLoss extends Loss {
  readonly p: 1 | 2;
  readonly margin: number;
  declare readonly weight: Tensor | null;
  constructor({ p = 1, margin = 1, weight = null, ...options }: M.MultiMarginOptions = {}) {
    super(options);
    const power: number = p;
    if (power !== 1 && power !== 2) throw new ValueError(`${new.target.name}: only p == 1 and p == 2 supported`);
    this.p = p;
    this.margin = margin;
    this.registerBuffer('weight', weight);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return M.multiMarginLoss(input, target, { p: this.p, margin: this.margin, weight: this.weight, reduction: this.reduction });
  }
}
