// test/opinfo/selection.ts — entries for fmod and the special functions (erfinv, lgamma, digamma), ops whose
// size depends on the values (nonzero, argwhere, unique, bincount), searches (searchsorted, bucketize),
// countNonzero and cdist.
import * as torch from 'kindling';
import type { InputSpec, OpInfo, Sample } from './types.js';
import { binarySamples, unarySamples } from './samples.js';

const f = (shape: number[], extra: Partial<InputSpec> = {}): InputSpec => ({ shape, ...extra });
const s = (name: string, ...inputs: InputSpec[]): Sample => ({ name, inputs });
const T = { transposed: true };
const ints = (shape: number[], lo: number, hi: number): InputSpec => ({ shape, kind: 'int64', range: [lo, hi], grad: false });
const INTS_ONLY = { dtypes: ['float32'] as torch.DType[], differentiable: false };

export const specialInfos: OpInfo[] = [
  {
    name: 'fmod', call: (a, b) => torch.fmod(a, b), py: 'torch.fmod(a, b)', samples: binarySamples([-5, 5], [0.5, 2]),
    errors: [{ name: 'zero', run: () => torch.fmod(torch.tensor([5], { dtype: 'int64' }), torch.tensor([0], { dtype: 'int64' })), match: /ZeroDivisionError/ }],
  },
  { name: 'fmod.negative', call: (a, b) => a.fmod(b), py: 'a.fmod(b)', samples: [s('same', f([3, 4], { range: [-5, 5] }), f([3, 4], { range: [-2, -0.5] }))] },
  { name: 'fmod.scalar', call: (a) => a.fmod(1.5), py: 'a.fmod(1.5)', samples: [s('matrix', f([3, 4], { range: [-5, 5] }))], dtypes: ['float32', 'float64'] },
  { name: 'fmod.int', call: (a, b) => torch.fmod(a, b), py: 'torch.fmod(a, b)', samples: [s('ints', ints([4, 5], -9, 9), ints([4, 5], 1, 4))], ...INTS_ONLY },
  { name: 'fmod_', call: (a, b) => a.clone().fmod_(b), py: 'a.clone().fmod_(b)', samples: [s('same', f([3, 4], { range: [-5, 5] }), f([4], { range: [0.5, 2] }))] },
  { name: 'erfinv', call: (a) => torch.erfinv(a), py: 'torch.erfinv(a)', samples: unarySamples([-0.95, 0.95]) },
  { name: 'erfinv.edges', call: (a) => a.mul(1.2).clamp(-1, 1).erfinv(), py: 'a.mul(1.2).clamp(-1, 1).erfinv()', samples: [s('edges', f([12], { range: [-1, 1] }))], differentiable: false },
  { name: 'lgamma', call: (a) => torch.lgamma(a), py: 'torch.lgamma(a)', samples: unarySamples([0.1, 6]), atol: 1e-5 },
  { name: 'lgamma.negative', call: (a) => a.lgamma(), py: 'a.lgamma()', samples: [s('negative', f([3, 4], { range: [-3.9, -0.1] })), s('large', f([5], { range: [8, 300] }))], atol: 1e-5 },
  { name: 'lgamma.int', call: (a) => torch.lgamma(a), py: 'torch.lgamma(a)', samples: [s('ints', ints([6], -2, 10))], ...INTS_ONLY },
  { name: 'lgamma_', call: (a) => a.clone().lgamma_(), py: 'a.clone().lgamma_()', samples: [s('matrix', f([3, 4], { range: [0.5, 4] }))], atol: 1e-5 },
  { name: 'digamma', call: (a) => torch.digamma(a), py: 'torch.digamma(a)', samples: unarySamples([0.2, 12]), atol: 1e-5 },
  { name: 'digamma.negative', call: (a) => a.digamma(), py: 'a.digamma()', samples: [s('negative', f([3, 4], { range: [-2.9, -0.1] }))], atol: 1e-4, rtol: 1e-4 },
  { name: 'digamma.int', call: (a) => torch.digamma(a), py: 'torch.digamma(a)', samples: [s('ints', ints([6], -2, 10))], ...INTS_ONLY },
];

export const selectionInfos: OpInfo[] = [
  {
    name: 'nonzero', call: (a) => torch.nonzero(a), py: 'torch.nonzero(a)',
    samples: [s('matrix', ints([4, 5], -1, 2)), s('cube', ints([2, 3, 2], 0, 2)), s('scalar', ints([], 0, 2)), s('empty', ints([0, 3], 0, 2))], ...INTS_ONLY,
  },
  { name: 'nonzero.tuple', call: (a) => a.nonzero({ asTuple: true })[1], py: 'a.nonzero(as_tuple=True)[1]', samples: [s('matrix', ints([4, 5], -1, 2))], ...INTS_ONLY },
  { name: 'nonzero.bool', call: (a) => torch.nonzero(a.gt(0)), py: 'torch.nonzero(a > 0)', samples: [s('matrix', f([3, 4]))], dtypes: ['float32'], differentiable: false },
  { name: 'argwhere', call: (a) => torch.argwhere(a), py: 'torch.argwhere(a)', samples: [s('matrix', ints([4, 5], -1, 2)), s('vector', ints([7], 0, 2))], ...INTS_ONLY },
  { name: 'countNonzero', call: (a) => torch.countNonzero(a), py: 'torch.count_nonzero(a)', samples: [s('matrix', ints([4, 5], -1, 2))], ...INTS_ONLY },
  { name: 'countNonzero.dim', call: (a) => a.countNonzero(1), py: 'a.count_nonzero(1)', samples: [s('matrix', ints([4, 5], -1, 2)), s('cube', ints([2, 3, 2], 0, 2))], ...INTS_ONLY },
  { name: 'unique', call: (a) => torch.unique(a), py: 'torch.unique(a)', samples: [s('ints', ints([12], -3, 3)), s('matrix', ints([3, 4], 0, 5))], ...INTS_ONLY },
  { name: 'unique.float', call: (a) => a.unique(), py: 'a.unique()', samples: [s('matrix', f([3, 4], { range: [-2, 2] })), s('transposed', f([3, 4], T))], differentiable: false },
  { name: 'unique.inverse', call: (a) => torch.unique(a, { returnInverse: true })[1], py: 'torch.unique(a, return_inverse=True)[1]', samples: [s('matrix', ints([3, 4], 0, 5))], ...INTS_ONLY },
  { name: 'unique.counts', call: (a) => torch.unique(a, { returnCounts: true })[1], py: 'torch.unique(a, return_counts=True)[1]', samples: [s('ints', ints([12], -3, 3))], ...INTS_ONLY },
  { name: 'unique.dim', call: (a) => torch.unique(a, { dim: 0 }), py: 'torch.unique(a, dim=0)', samples: [s('rows', ints([8, 2], 0, 2))], ...INTS_ONLY },
  {
    name: 'unique.dim_all', call: (a) => torch.cat(torch.unique(a, { dim: 1, returnInverse: true, returnCounts: true }).slice(1)), py: 'torch.cat(torch.unique(a, dim=1, return_inverse=True, return_counts=True)[1:])',
    samples: [s('columns', ints([2, 6], 0, 2))], ...INTS_ONLY,
  },
  {
    name: 'bincount', call: (a) => torch.bincount(a), py: 'torch.bincount(a)', samples: [s('ints', ints([10], 0, 5)), s('empty', ints([0], 0, 5))], ...INTS_ONLY,
    errors: [
      { name: 'negative', run: () => torch.bincount(torch.tensor([-1], { dtype: 'int64' })), match: /bincount only supports 1-d non-negative integral inputs./ },
      { name: 'float', run: () => torch.bincount(torch.tensor([1])), match: /"bincount_cpu" not implemented for 'Float'/ },
      { name: 'minlength', run: () => torch.bincount(torch.tensor([1], { dtype: 'int64' }), { minlength: -1 }), match: /minlength should be >= 0/ },
    ],
  },
  { name: 'bincount.minlength', call: (a) => a.bincount({ minlength: 8 }), py: 'a.bincount(minlength=8)', samples: [s('ints', ints([10], 0, 5))], ...INTS_ONLY },
  { name: 'bincount.weights', call: (a, b) => torch.bincount(a, { weights: b }), py: 'torch.bincount(a, weights=b)', samples: [s('ints', ints([10], 0, 5), f([10]))], differentiable: false },
  {
    name: 'searchsorted', call: (a, b) => torch.searchsorted(a.sort().values, b), py: 'torch.searchsorted(a.sort().values, b)',
    samples: [s('vector', f([6]), f([3, 4], { range: [-3, 3] })), s('ints', ints([8], 0, 6), ints([5], -1, 7))], differentiable: false,
    errors: [{ name: 'shapes', run: () => torch.searchsorted(torch.zeros(2, 3), torch.zeros(3, 1)), match: /boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor \[2, 3\] and input value tensor \[3, 1\]/ }],
  },
  {
    name: 'searchsorted.nan', call: (a, b) => torch.searchsorted(a.sort().values, b.log(), { right: true }), py: 'torch.searchsorted(a.sort().values, b.log(), right=True)',
    samples: [s('vector', f([6]), f([3, 4], { range: [-1, 3] }))], differentiable: false,
  },
  { name: 'searchsorted.nan_left', call: (a, b) => torch.bucketize(b.log(), a.sort().values), py: 'torch.bucketize(b.log(), a.sort().values)', samples: [s('vector', f([6]), f([3, 4], { range: [-1, 3] }))], differentiable: false },
  { name: 'searchsorted.right', call: (a, b) => torch.searchsorted(a.sort().values, b, { right: true, outInt32: true }), py: 'torch.searchsorted(a.sort().values, b, right=True, out_int32=True)', samples: [s('ints', ints([8], 0, 6), ints([5], -1, 7))], ...INTS_ONLY },
  { name: 'searchsorted.batched', call: (a, b) => torch.searchsorted(a.sort().values, b, { side: 'right' }), py: "torch.searchsorted(a.sort().values, b, side='right')", samples: [s('rows', ints([2, 6], 0, 4), ints([2, 3], -1, 5))], ...INTS_ONLY },
  {
    name: 'bucketize', call: (a, b) => torch.bucketize(b, a.sort().values), py: 'torch.bucketize(b, a.sort().values)', samples: [s('ints', ints([6], 0, 6), ints([3, 4], -1, 7))], ...INTS_ONLY,
    errors: [{ name: 'rank', run: () => torch.bucketize(torch.zeros(3), torch.zeros(2, 2)), match: /boundaries tensor must be 1 dimension, but got dim\(2\)/ }],
  },
  { name: 'bucketize.right', call: (a, b) => torch.bucketize(b, a.sort().values, { right: true }), py: 'torch.bucketize(b, a.sort().values, right=True)', samples: [s('floats', f([5]), f([7]))], differentiable: false },
  {
    name: 'cdist', call: (a, b) => torch.cdist(a, b), py: 'torch.cdist(a, b)', samples: [s('rows', f([3, 4]), f([5, 4])), s('batched', f([2, 3, 2]), f([2, 4, 2], T))],
    errors: [
      { name: 'rank', run: () => torch.cdist(torch.zeros(3), torch.zeros(2, 3)), match: /cdist only supports at least 2D tensors, X1 got: 1D/ },
      { name: 'columns', run: () => torch.cdist(torch.zeros(2, 3), torch.zeros(2, 4)), match: /X1 and X2 must have the same number of columns. X1: 3 X2: 4/ },
    ],
  },
  { name: 'cdist.p1', call: (a, b) => torch.cdist(a, b, 1), py: 'torch.cdist(a, b, 1)', samples: [s('rows', f([3, 4]), f([2, 4]))] },
  { name: 'cdist.p3', call: (a, b) => torch.cdist(a, b, 3), py: 'torch.cdist(a, b, 3)', samples: [s('rows', f([3, 4]), f([2, 4]))] },
  { name: 'cdist.inf', call: (a, b) => torch.cdist(a, b, Infinity), py: "torch.cdist(a, b, float('inf'))", samples: [s('rows', f([3, 4]), f([2, 4]))] },
];

export const selectionAndSpecialInfos: OpInfo[] = [...specialInfos, ...selectionInfos];
