// test/opinfo/nn-losses2.ts — entries for margin, embedding and likelihood losses under each reduction,
// with their options and PyTorch's errors.
import * as torch from 'kindling';
import { F } from 'kindling';
import type { InputSpec, OpInfo, Sample } from './types.js';

const f = (shape: number[], extra: Partial<InputSpec> = {}): InputSpec => ({ shape, ...extra });
const s = (name: string, ...inputs: InputSpec[]): Sample => ({ name, inputs });
const fixed = (shape: number[], range: [number, number] = [-2, 2]): InputSpec => ({ shape, range, grad: false });
const classes = (shape: number[], hi: number): InputSpec => ({ shape, kind: 'int64', range: [0, hi], grad: false });
/** A ±1 target, as the embedding losses take: drawn from [0, 2) as int64, mapped by 2y − 1 in the call. */
const signs = (shape: number[]): InputSpec => classes(shape, 2);
const pm = (y: torch.Tensor): torch.Tensor => y.mul(2).sub(1).to('float32');
const REDUCTIONS = ['mean', 'sum', 'none'] as const;

const perReduction = (make: (r: (typeof REDUCTIONS)[number]) => OpInfo): OpInfo[] => REDUCTIONS.map(make);

export const nnLoss2Infos: OpInfo[] = [
  ...perReduction((r) => ({
    name: `F.marginRankingLoss.${r}`, call: (a, b, c) => F.marginRankingLoss(a, b, pm(c).to(a.dtype), { margin: 0.3, reduction: r }),
    py: `F.margin_ranking_loss(a, b, (c * 2 - 1).to(a.dtype), margin=0.3, reduction='${r}')`,
    samples: [s('vector', f([6]), f([6]), signs([6])), s('matrix', f([2, 3]), f([2, 3]), signs([2, 3]))],
    errors: r === 'mean' ? [{ name: 'dims', run: () => F.marginRankingLoss(torch.ones(3, 1), torch.ones(3), torch.ones(3)), match: /All input tensors should have same dimension but got sizes: input1: torch\.Size\(\[3, 1\]\), input2: torch\.Size\(\[3\]\), target: torch\.Size\(\[3\]\)/ }] : [],
  })),
  ...perReduction((r) => ({
    name: `F.hingeEmbeddingLoss.${r}`, call: (a, b) => F.hingeEmbeddingLoss(a, pm(b).to(a.dtype), { margin: 0.5, reduction: r }),
    py: `F.hinge_embedding_loss(a, (b * 2 - 1).to(a.dtype), margin=0.5, reduction='${r}')`, samples: [s('matrix', f([3, 4]), signs([3, 4]))],
  })),
  ...perReduction((r) => ({
    name: `F.softMarginLoss.${r}`, call: (a, b) => F.softMarginLoss(a, pm(b).to(a.dtype), { reduction: r }),
    py: `F.soft_margin_loss(a, (b * 2 - 1).to(a.dtype), reduction='${r}')`, samples: [s('matrix', f([3, 4]), signs([3, 4])), s('transposed', f([3, 4], { transposed: true }), signs([3, 4]))],
  })),
  ...perReduction((r) => ({
    name: `F.cosineEmbeddingLoss.${r}`, call: (a, b, c) => F.cosineEmbeddingLoss(a, b, pm(c).to(a.dtype), { margin: 0.1, reduction: r }),
    py: `F.cosine_embedding_loss(a, b, (c * 2 - 1).to(a.dtype), margin=0.1, reduction='${r}')`,
    samples: [s('batch', f([4, 3]), f([4, 3]), signs([4])), s('single', f([5]), f([5]), signs([]))],
    errors: r === 'mean' ? [
      { name: 'multi-target', run: () => F.cosineEmbeddingLoss(torch.ones(3, 4), torch.ones(3, 4), torch.ones(3, 1)), match: /0D or 1D target tensor expected, multi-target not supported/ },
      { name: '1-d inputs', run: () => F.cosineEmbeddingLoss(torch.ones(4), torch.ones(4), torch.ones(1)), match: /1D target tensor expects 2D input tensors, but found inputs with sizes \[4\] and \[4\]\./ },
    ] : [],
  })),
  ...perReduction((r) => ({
    name: `F.tripletMarginLoss.${r}`, call: (a, b, c) => F.tripletMarginLoss(a, b, c, { reduction: r }), py: `F.triplet_margin_loss(a, b, c, reduction='${r}')`,
    samples: [s('batch', f([4, 3]), f([4, 3]), f([4, 3])), s('single', f([5]), f([5]), f([5]))],
    errors: r === 'mean' ? [{ name: 'dims', run: () => F.tripletMarginLoss(torch.ones(3, 4), torch.ones(4), torch.ones(3, 4)), match: /All inputs should have same dimension but got 2D, 1D and 2D inputs\./ }] : [],
  })),
  { name: 'F.tripletMarginLoss.options', call: (a, b, c) => F.tripletMarginLoss(a, b, c, { margin: 2, p: 1, eps: 0.01, swap: true }), py: 'F.triplet_margin_loss(a, b, c, margin=2.0, p=1, eps=0.01, swap=True)',
    samples: [s('batch', f([4, 3]), f([4, 3]), f([4, 3]))] },
  ...perReduction((r) => ({
    name: `F.poissonNllLoss.${r}`, call: (a, b) => F.poissonNllLoss(a, b, { reduction: r }), py: `F.poisson_nll_loss(a, b, reduction='${r}')`,
    samples: [s('matrix', f([3, 4]), fixed([3, 4], [0, 5]))],
  })),
  { name: 'F.poissonNllLoss.full', call: (a, b) => F.poissonNllLoss(a, b, { logInput: false, full: true, eps: 1e-4 }), py: 'F.poisson_nll_loss(a, b, log_input=False, full=True, eps=1e-4)',
    samples: [s('matrix', f([3, 4], { range: [0.1, 3] }), fixed([3, 4], [0, 5]))] },
  ...perReduction((r) => ({
    name: `F.gaussianNllLoss.${r}`, call: (a, b, c) => F.gaussianNllLoss(a, b, c, { reduction: r }), py: `F.gaussian_nll_loss(a, b, c, reduction='${r}')`,
    samples: [s('full', f([3, 4]), fixed([3, 4]), f([3, 4], { range: [0.1, 2] })), s('homoscedastic', f([3, 4]), fixed([3, 4]), f([3], { range: [0.1, 2] })), s('last_one', f([3, 4]), fixed([3, 4]), f([3, 1], { range: [0.1, 2] }))],
    errors: r === 'mean' ? [
      { name: 'size', run: () => F.gaussianNllLoss(torch.ones(3, 4), torch.ones(3, 4), torch.ones(3, 5)), match: /var is of incorrect size/ },
      { name: 'negative', run: () => F.gaussianNllLoss(torch.ones(3, 4), torch.ones(3, 4), torch.full([3, 4], -1)), match: /var has negative entry\/entries/ },
    ] : [],
  })),
  { name: 'F.gaussianNllLoss.full_eps', call: (a, b, c) => F.gaussianNllLoss(a, b, c, { full: true, eps: 0.5 }), py: 'F.gaussian_nll_loss(a, b, c, full=True, eps=0.5)',
    samples: [s('clamped', f([3, 4]), fixed([3, 4]), f([3, 4], { range: [0.1, 1] }))],
    gradcheckMaxNumel: 0 }, // PyTorch's gradient in var ignores the clamp (it clamps under no_grad): not the derivative where it acts
  ...perReduction((r) => ({
    name: `F.multilabelSoftMarginLoss.${r}`, call: (a, b) => F.multilabelSoftMarginLoss(a, b.to(a.dtype), { reduction: r }), py: `F.multilabel_soft_margin_loss(a, b.to(a.dtype), reduction='${r}')`,
    samples: [s('matrix', f([3, 4]), classes([3, 4], 2))],
  })),
  { name: 'F.multilabelSoftMarginLoss.weight', call: (a, b, c) => F.multilabelSoftMarginLoss(a, b.to(a.dtype), { weight: c }), py: 'F.multilabel_soft_margin_loss(a, b.to(a.dtype), weight=c)',
    samples: [s('matrix', f([3, 4]), classes([3, 4], 2), fixed([4], [0, 2]))] },
  ...perReduction((r) => ({
    name: `F.multiMarginLoss.${r}`, call: (a, b) => F.multiMarginLoss(a, b, { reduction: r }), py: `F.multi_margin_loss(a, b, reduction='${r}')`,
    samples: [s('batch', f([4, 5]), classes([4], 5)), s('single', f([5]), classes([], 5))],
    errors: r === 'mean' ? [
      { name: 'p', run: () => F.multiMarginLoss(torch.ones(3, 4), torch.zeros([3], { dtype: 'int64' }), { p: 3 as 2 }), match: /only p == 1 and p == 2 supported/ },
      { name: 'range', run: () => F.multiMarginLoss(torch.ones(3, 4), torch.tensor([0, 4, 1], { dtype: 'int64' })), match: /target out of range/ },
      { name: 'size', run: () => F.multiMarginLoss(torch.ones(3, 4), torch.tensor([0, 3], { dtype: 'int64' })), match: /inconsistent target size, got: \[2\]/ },
    ] : [],
  })),
  { name: 'F.multiMarginLoss.options', call: (a, b, c) => F.multiMarginLoss(a, b, { p: 2, margin: 0.7, weight: c }), py: 'F.multi_margin_loss(a, b, p=2, margin=0.7, weight=c)',
    samples: [s('batch', f([4, 5]), classes([4], 5), fixed([5], [0.1, 2]))] },
];
