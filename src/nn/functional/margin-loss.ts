// src/nn/functional/margin-loss.ts — margin, embedding and likelihood losses (F.marginRankingLoss,
// F.hingeEmbeddingLoss, F.softMarginLoss, F.cosineEmbeddingLoss, F.tripletMarginLoss, F.poissonNllLoss,
// F.gaussianNllLoss, F.multilabelSoftMarginLoss, F.multiMarginLoss) composed as PyTorch composes them.
import { RuntimeError, ValueError } from '../../core/errors.js';
import { fmtShape, numelOf } from '../../core/shape.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { add, clamp, eq, exp, gt, le, log, log1p, mul, ne, neg, sqrt, sub, where } from '../../ops/elementwise.js';
import { gather, indexSelect } from '../../ops/indexing.js';
import { sum } from '../../ops/reduce.js';
import { reshape, unsqueeze } from '../../ops/views.js';
import type { Tensor } from '../../tensor/tensor.js';
import { logsigmoid } from './activation.js';
import { pairwiseDistance } from './distance.js';
import { oneHot } from './shape.js';
import { applyReduction, checkReduction, type ReductionOptions } from './loss.js';

const sizeRepr = (t: Tensor): string => `torch.Size([${t.dims.join(', ')}])`;

/** max(0, −y·(x1 − x2) + margin) (F.margin_ranking_loss). */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, { margin = 0, reduction = 'mean' }: ReductionOptions & { margin?: number } = {}): Tensor {
  checkReduction('margin_ranking_loss', reduction);
  if (input1.dim() !== input2.dim() || input1.dim() !== target.dim()) {
    throw new RuntimeError(
      `margin_ranking_loss: margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: ${sizeRepr(input1)}, input2: ${sizeRepr(input2)}, target: ${sizeRepr(target)} `,
    );
  }
  return applyReduction(clamp(add(mul(neg(target), sub(input1, input2)), margin), 0), reduction);
}

/** x where y = 1, max(0, margin − x) where y = −1 (F.hinge_embedding_loss). */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, { margin = 1, reduction = 'mean' }: ReductionOptions & { margin?: number } = {}): Tensor {
  checkReduction('hinge_embedding_loss', reduction);
  const marginClamp = clamp(sub(margin, input), 0);
  return applyReduction(add(where(ne(target, 1), marginClamp, 0), where(ne(target, -1), input, 0)), reduction);
}

/** log(1 + exp(−y·x)) (F.soft_margin_loss). */
export function softMarginLoss(input: Tensor, target: Tensor, { reduction = 'mean' }: ReductionOptions = {}): Tensor {
  checkReduction('soft_margin_loss', reduction);
  return applyReduction(log1p(exp(mul(neg(input), target))), reduction);
}

const EPSILON = 1e-12;

/** 1 − cos(x1, x2) where y = 1, max(0, cos − margin) where y = −1 (F.cosine_embedding_loss). */
export function cosineEmbeddingLoss(input1: Tensor, input2: Tensor, target: Tensor, { margin = 0, reduction = 'mean' }: ReductionOptions & { margin?: number } = {}): Tensor {
  const op = 'cosine_embedding_loss';
  checkReduction(op, reduction);
  if (target.dim() > 1) throw new RuntimeError(`${op}: 0D or 1D target tensor expected, multi-target not supported`);
  if (target.dim() === 1 && (input1.dim() !== 2 || input2.dim() !== 2)) {
    throw new RuntimeError(`${op}: 1D target tensor expects 2D input tensors, but found inputs with sizes ${fmtShape(input1.dims)} and ${fmtShape(input2.dims)}.`);
  }
  if (target.dim() === 0 && (input1.dim() !== 1 || input2.dim() !== 1)) {
    throw new RuntimeError(`${op}: 0D target tensor expects 1D input tensors, but found inputs with sizes ${fmtShape(input1.dims)} and ${fmtShape(input2.dims)}.`);
  }
  const d = target.dim();
  const prod = sum(mul(input1, input2), d);
  const denom = sqrt(mul(add(sum(mul(input1, input1), d), EPSILON), add(sum(mul(input2, input2), d), EPSILON)));
  const cos = prod.div(denom);
  const loss = add(where(eq(target, 1), sub(1, cos), 0), where(eq(target, -1), clamp(sub(cos, margin), 0), 0));
  return applyReduction(loss, reduction);
}

export interface TripletMarginOptions extends ReductionOptions {
  margin?: number;
  p?: number;
  eps?: number;
  swap?: boolean;
}

/** max(0, margin + d(a, p) − d(a, n)) with pairwise p-norm distances (F.triplet_margin_loss). */
export function tripletMarginLoss(anchor: Tensor, positive: Tensor, negative: Tensor, { margin = 1, p = 2, eps = 1e-6, swap = false, reduction = 'mean' }: TripletMarginOptions = {}): Tensor {
  const op = 'triplet_margin_loss';
  checkReduction(op, reduction);
  if (anchor.dim() !== positive.dim() || anchor.dim() !== negative.dim()) {
    throw new RuntimeError(`${op}: All inputs should have same dimension but got ${anchor.dim()}D, ${positive.dim()}D and ${negative.dim()}D inputs.`);
  }
  const distPos = pairwiseDistance(anchor, positive, { p, eps });
  let distNeg = pairwiseDistance(anchor, negative, { p, eps });
  if (swap) distNeg = distNeg.minimum(pairwiseDistance(positive, negative, { p, eps }));
  return applyReduction(clamp(sub(add(distPos, margin), distNeg), 0), reduction);
}

export interface PoissonNllOptions extends ReductionOptions {
  logInput?: boolean;
  full?: boolean;
  eps?: number;
}

/** Poisson negative log-likelihood: exp(x) − y·x, or x − y·log(x + eps), plus Stirling's term when `full` (F.poisson_nll_loss). */
export function poissonNllLoss(input: Tensor, target: Tensor, { logInput = true, full = false, eps = 1e-8, reduction = 'mean' }: PoissonNllOptions = {}): Tensor {
  checkReduction('poisson_nll_loss', reduction);
  let loss = logInput ? sub(exp(input), mul(target, input)) : sub(input, mul(target, log(add(input, eps))));
  if (full) {
    const stirling = add(sub(mul(target, log(target)), target), mul(log(mul(target, 2 * Math.PI)), 0.5));
    loss = add(loss, where(le(target, 1), 0, stirling));
  }
  return applyReduction(loss, reduction);
}

export interface GaussianNllOptions extends ReductionOptions {
  full?: boolean;
  eps?: number;
}

const sameDims = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((n, i) => n === b[i]);

/** ½·(log var + (x − y)²/var), var clamped to eps with its gradient kept (F.gaussian_nll_loss). */
export function gaussianNllLoss(input: Tensor, target: Tensor, variance: Tensor, { full = false, eps = 1e-6, reduction = 'mean' }: GaussianNllOptions = {}): Tensor {
  let v = variance;
  if (!sameDims(v.dims, input.dims)) {
    const lead = input.dims.slice(0, -1);
    if (sameDims(lead, v.dims)) v = unsqueeze(v, -1);
    else if (!(sameDims(lead, v.dims.slice(0, -1)) && v.dims[v.dim() - 1] === 1)) throw new ValueError('gaussian_nll_loss: var is of incorrect size');
  }
  const r: string = reduction; // untyped callers may pass anything
  if (r !== 'none' && r !== 'mean' && r !== 'sum') throw new ValueError(`gaussian_nll_loss: ${r} is not valid`);
  if (noGrad(() => v.lt(0).any().item()) !== 0) throw new ValueError('gaussian_nll_loss: var has negative entry/entries');
  // PyTorch clamps a clone in place under no_grad: the value is clamped, the gradient passes as if it were not.
  const clamped = add(v, noGrad(() => sub(clamp(v, eps), v)));
  let loss = mul(add(log(clamped), sub(input, target).pow(2).div(clamped)), 0.5);
  if (full) loss = add(loss, 0.5 * Math.log(2 * Math.PI));
  return applyReduction(loss, reduction);
}

/** −(y·logσ(x) + (1 − y)·logσ(−x)), weighted, averaged over classes (F.multilabel_soft_margin_loss). */
export function multilabelSoftMarginLoss(input: Tensor, target: Tensor, { weight = null, reduction = 'mean' }: ReductionOptions & { weight?: Tensor | null } = {}): Tensor {
  checkReduction('multilabel_soft_margin_loss', reduction);
  let loss = neg(add(mul(target, logsigmoid(input)), mul(sub(1, target), logsigmoid(neg(input)))));
  if (weight !== null) loss = mul(loss, weight);
  const classDim = input.dim() - 1;
  return applyReduction(sum(loss, classDim).div(input.dims[classDim]), reduction);
}

export interface MultiMarginOptions extends ReductionOptions {
  p?: 1 | 2;
  margin?: number;
  weight?: Tensor | null;
}

/** Σ_{j≠y} max(0, margin − x[y] + x[j])^p / C, scaled by weight[y] (F.multi_margin_loss). */
export function multiMarginLoss(input: Tensor, target: Tensor, { p = 1, margin = 1, weight = null, reduction = 'mean' }: MultiMarginOptions = {}): Tensor {
  const op = 'multi_margin_loss';
  checkReduction(op, reduction);
  const power: number = p; // untyped callers may pass anything
  if (power !== 1 && power !== 2) throw new ValueError(`${op}: only p == 1 and p == 2 supported`);
  const x = input.dim() <= 1 ? reshape(input, [1, -1]) : input;
  const [n, c] = x.dims as [number, number];
  if (input.dim() > 2 || (input.dim() === 2 && input.dims[1] === 0)) {
    throw new RuntimeError(`${op}: Expected non-empty vector or matrix with optional 0-dim batch size, but got: ${fmtShape(input.dims)}`);
  }
  if (target.dim() > 1 || target.numel() !== n) throw new RuntimeError(`${op}: inconsistent target size, got: ${fmtShape(target.dims)}`);
  if (weight !== null && numelOf(weight.dims) !== c) throw new RuntimeError(`${op}: inconsistent weight size, expected ${c} but got ${fmtShape(weight.dims)}`);
  const y = reshape(target, [n]);
  if (y.device.type === 'cpu' && n > 0 && noGrad(() => y.lt(0).any().item() !== 0 || y.ge(c).any().item() !== 0)) throw new RuntimeError(`${op}: target out of range`);
  const picked = gather(x, 1, unsqueeze(y, 1));
  let z = clamp(add(sub(margin, picked), x), 0);
  if (p === 2) z = mul(z, z);
  if (weight !== null) z = mul(z, unsqueeze(indexSelect(weight, 0, y), 1));
  const others = where(gt(oneHot(y, c), 0), 0, z);
  const loss = sum(others, 1).div(c);
  return applyReduction(input.dim() <= 1 ? reshape(loss, []) : loss, reduction);
}

