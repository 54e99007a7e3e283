// test/opinfo/everyday.ts — entries for scans and orderings (cumsum, cumprod, sort, argsort, topk),
// rearranging (flip, roll, repeat, tile, tril, triu) and numeric tests (lerp, isfinite, isclose, nanToNum).
import * as torch from 'kindling';
import type { InputSpec, OpInfo, Sample } from './types.js';

const f = (shape: number[], extra: Partial<InputSpec> = {}): InputSpec => ({ shape, ...extra });
const s = (name: string, ...inputs: InputSpec[]): Sample => ({ name, inputs });
const T = { transposed: true };
const ints = (shape: number[], lo: number, hi: number): InputSpec => ({ shape, kind: 'int64', range: [lo, hi], grad: false });
const FLOAT_INT: torch.DType[] = ['float32', 'float64', 'int64'];

export const scanSortInfos: OpInfo[] = [
  {
    name: 'cumsum', call: (a) => torch.cumsum(a, 1), py: 'torch.cumsum(a, 1)',
    samples: [s('matrix', f([3, 4])), s('transposed', f([4, 3], T)), s('cube', f([2, 3, 2])), s('empty', f([0, 3]))],
    dtypes: FLOAT_INT,
    errors: [{ name: 'dim', run: () => torch.cumsum(torch.zeros(2, 3), 2), match: /Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/ }],
  },
  { name: 'cumsum.dim0', call: (a) => a.cumsum(0), py: 'a.cumsum(0)', samples: [s('vector', f([6])), s('scalar', f([])), s('transposed', f([3, 5], T))] },
  { name: 'cumsum.dtype', call: (a) => torch.cumsum(a, -1, { dtype: 'float64' }), py: 'torch.cumsum(a, -1, dtype=torch.float64)', samples: [s('matrix', f([2, 5]))], dtypes: ['float32', 'int64'] },
  {
    name: 'cumprod', call: (a) => torch.cumprod(a, 1), py: 'torch.cumprod(a, 1)',
    samples: [s('matrix', f([3, 4], { range: [0.5, 1.5] })), s('transposed', f([4, 3], { range: [-1.5, 1.5], ...T })), s('empty', f([2, 0]))],
    dtypes: FLOAT_INT,
  },
  {
    // Values with zeros (a's floor) and a's gradient: PyTorch's cumprod gradient at and after a zero.
    name: 'cumprod.zeros', call: (a) => torch.cumprod(a.sub(a.detach()).add(a.detach().floor()), -1), py: 'torch.cumprod(a - a.detach() + a.detach().floor(), -1)',
    samples: [s('rows', f([4, 5], { range: [-1.5, 2.5] })), s('vector', f([6], { range: [-0.9, 2.5] })), s('scalar', f([], { range: [-0.5, 2.5] }))],
    gradcheckMaxNumel: 0, // gradcheck's perturbation passes through detach(); test/ops/everyday.test.ts checks zeros
  },
  {
    name: 'sort', call: (a) => a.sort(1).values, py: 'a.sort(1).values',
    samples: [s('matrix', f([3, 5])), s('transposed', f([4, 3], T)), s('empty', f([2, 0])), s('scalar_rows', f([3, 1]))],
    errors: [{ name: 'dim', run: () => torch.sort(torch.zeros(2, 3), 2), match: /Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/ }],
  },
  { name: 'sort.descending', call: (a) => torch.sort(a, 0, true).values, py: 'torch.sort(a, 0, True).values', samples: [s('matrix', f([4, 3])), s('vector', f([7])), s('scalar', f([]))] },
  {
    name: 'sort.indices', call: (a) => torch.sort(a, { dim: 0, descending: true, stable: true }).indices, py: 'torch.sort(a, dim=0, descending=True, stable=True).indices',
    samples: [s('ties', ints([6, 3], -2, 2)), s('transposed', f([4, 3], T))], dtypes: FLOAT_INT, differentiable: false,
  },
  {
    name: 'argsort', call: (a) => a.argsort(), py: 'torch.sort(a, stable=True).indices',
    samples: [s('ties', ints([3, 7], 0, 3)), s('matrix', f([3, 4]))], dtypes: FLOAT_INT, differentiable: false,
  },
  {
    name: 'topk', call: (a) => a.topk(2, 1).values, py: 'a.topk(2, 1).values',
    samples: [s('matrix', f([3, 5])), s('transposed', f([4, 3], T))],
    errors: [
      { name: 'k', run: () => torch.topk(torch.zeros(3), 4), match: /selected index k out of range/ },
      { name: 'negative k', run: () => torch.topk(torch.zeros(3), -1), match: /selected index k out of range/ },
    ],
  },
  { name: 'topk.smallest', call: (a) => torch.topk(a, 3, { largest: false }).values, py: 'torch.topk(a, 3, largest=False).values', samples: [s('vector', f([7])), s('cube', f([2, 2, 4]))] },
  {
    name: 'topk.indices', call: (a) => torch.topk(a, 2, 0).indices, py: 'torch.topk(a, 2, 0).indices',
    samples: [s('matrix', f([5, 3])), s('transposed', f([4, 3], T))], differentiable: false,
  },
];

export const rearrangeInfos: OpInfo[] = [
  {
    name: 'flip', call: (a) => torch.flip(a, [0, -1]), py: 'torch.flip(a, [0, -1])',
    samples: [s('matrix', f([3, 4])), s('transposed', f([4, 3], T)), s('cube', f([2, 3, 2])), s('empty', f([0, 2]))],
    dtypes: FLOAT_INT,
    errors: [{ name: 'repeated dim', run: () => torch.flip(torch.zeros(2, 3), [0, 0]), match: /dim 0 appears multiple times in the list of dims/ }],
  },
  { name: 'flip.method', call: (a) => a.flip(1), py: 'a.flip(1)', samples: [s('cube', f([2, 3, 2]))] },
  {
    name: 'fliplr', call: (a) => torch.fliplr(a), py: 'torch.fliplr(a)', samples: [s('matrix', f([3, 4]))],
    errors: [{ name: '1-d', run: () => torch.fliplr(torch.zeros(3)), match: /Input must be >= 2-d./ }],
  },
  {
    name: 'flipud', call: (a) => a.flipud(), py: 'a.flipud()', samples: [s('matrix', f([3, 4], T)), s('vector', f([5]))],
    errors: [{ name: '0-d', run: () => torch.flipud(torch.zeros()), match: /Input must be >= 1-d./ }],
  },
  {
    name: 'roll', call: (a) => torch.roll(a, 1, 0), py: 'torch.roll(a, 1, 0)',
    samples: [s('matrix', f([3, 4])), s('transposed', f([4, 3], T)), s('empty', f([0, 3]))],
    dtypes: FLOAT_INT,
    errors: [{ name: 'align', run: () => torch.roll(torch.zeros(3), [1, 2], [0]), match: /shifts and dimensions must align. shifts: 2, dims:1/ }],
  },
  { name: 'roll.dims', call: (a) => a.roll([-1, 5], [1, 0]), py: 'a.roll([-1, 5], [1, 0])', samples: [s('matrix', f([3, 4])), s('cube', f([2, 3, 2]))] },
  { name: 'roll.flat', call: (a) => torch.roll(a, -4), py: 'torch.roll(a, -4)', samples: [s('matrix', f([3, 4], T)), s('vector', f([3]))] },
  {
    name: 'repeat', call: (a) => a.repeat(2, 1, 3), py: 'a.repeat(2, 1, 3)',
    samples: [s('matrix', f([3, 2])), s('transposed', f([2, 3], T)), s('scalar', f([])), s('vector', f([4]))],
    dtypes: FLOAT_INT,
    errors: [{ name: 'fewer dims', run: () => torch.zeros(2, 3).repeat(2), match: /Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor/ }],
  },
  { name: 'repeat.zero', call: (a) => a.repeat([0, 2]), py: 'a.repeat([0, 2])', samples: [s('matrix', f([3, 2]))] },
  { name: 'tile', call: (a) => torch.tile(a, [2]), py: 'torch.tile(a, [2])', samples: [s('matrix', f([2, 3])), s('vector', f([3]))] },
  { name: 'tile.more', call: (a) => a.tile(2, 1, 2), py: 'a.tile(2, 1, 2)', samples: [s('matrix', f([2, 3], T))] },
  {
    name: 'tril', call: (a) => torch.tril(a), py: 'torch.tril(a)',
    samples: [s('square', f([4, 4])), s('wide', f([3, 5], T)), s('batched', f([2, 3, 3])), s('empty', f([0, 3]))],
    dtypes: [...FLOAT_INT, 'bool'],
    errors: [{ name: '1-d', run: () => torch.tril(torch.zeros(3)), match: /Dimension out of range \(expected to be in range of \[-1, 0\], but got -2\)/ }],
  },
  { name: 'tril.diagonal', call: (a) => a.tril(-1), py: 'a.tril(-1)', samples: [s('tall', f([5, 3])), s('square', f([3, 3]))] },
  { name: 'tril.above', call: (a) => torch.tril(a, 2), py: 'torch.tril(a, 2)', samples: [s('wide', f([3, 6]))] },
  { name: 'tril_', call: (a) => a.clone().tril_(1), py: 'a.clone().tril_(1)', samples: [s('square', f([4, 4]))] },
  { name: 'triu', call: (a) => torch.triu(a), py: 'torch.triu(a)', samples: [s('square', f([4, 4])), s('wide', f([3, 5], T)), s('batched', f([2, 3, 4]))], dtypes: FLOAT_INT },
  { name: 'triu.diagonal', call: (a) => a.triu(1), py: 'a.triu(1)', samples: [s('tall', f([5, 3])), s('square', f([3, 3]))] },
  { name: 'triu_', call: (a) => a.clone().triu_(-1), py: 'a.clone().triu_(-1)', samples: [s('square', f([4, 4]))] },
];

export const numericInfos: OpInfo[] = [
  {
    name: 'lerp', call: (a, b) => torch.lerp(a, b, 0.3), py: 'torch.lerp(a, b, 0.3)',
    samples: [s('same', f([3, 4]), f([3, 4])), s('broadcast', f([3, 4], T), f([4])), s('scalar', f([]), f([]))],
    errors: [{ name: 'dtype', run: () => torch.lerp(torch.zeros(2), torch.zeros([2], { dtype: 'float64' }), 0.5), match: /expected dtype float for `end` but got dtype double/ }],
  },
  { name: 'lerp.high', call: (a, b) => a.lerp(b, 0.75), py: 'a.lerp(b, 0.75)', samples: [s('same', f([3, 4]), f([3, 4]))] },
  {
    name: 'lerp.tensor', call: (a, b, c) => torch.lerp(a, b, c), py: 'torch.lerp(a, b, c)',
    samples: [s('same', f([3, 4]), f([3, 4]), f([3, 4], { range: [-1, 2] })), s('broadcast', f([3, 1]), f([4]), f([3, 4], { range: [0, 1] }))],
  },
  { name: 'lerp_', call: (a, b) => a.clone().lerp_(b, 0.6), py: 'a.clone().lerp_(b, 0.6)', samples: [s('same', f([3, 4]), f([3, 4]))] },
  { name: 'isfinite', call: (a, b) => torch.isfinite(a.div(b)), py: 'torch.isfinite(a / b)', samples: [s('ints', ints([4, 5], -2, 3), ints([4, 5], -1, 2))], dtypes: ['float32'], differentiable: false },
  { name: 'isfinite.int', call: (a) => a.isfinite(), py: 'a.isfinite()', samples: [s('ints', ints([3], -2, 3))], dtypes: ['float32'], differentiable: false },
  { name: 'isinf', call: (a, b) => torch.isinf(a.div(b)), py: 'torch.isinf(a / b)', samples: [s('ints', ints([4, 5], -2, 3), ints([4, 5], -1, 2))], dtypes: ['float32'], differentiable: false },
  { name: 'isposinf', call: (a, b) => a.div(b).isposinf(), py: 'torch.isposinf(a / b)', samples: [s('ints', ints([4, 5], -2, 3), ints([4, 5], -1, 2))], dtypes: ['float32'], differentiable: false },
  { name: 'isneginf', call: (a, b) => torch.isneginf(a.div(b)), py: 'torch.isneginf(a / b)', samples: [s('ints', ints([4, 5], -2, 3), ints([4, 5], -1, 2))], dtypes: ['float32'], differentiable: false },
  { name: 'nanToNum', call: (a, b) => torch.nanToNum(a.div(b)), py: 'torch.nan_to_num(a / b)', samples: [s('ints', ints([4, 5], -2, 3), ints([4, 5], -1, 2))], dtypes: ['float32'], differentiable: false },
  {
    name: 'nanToNum.options', call: (a, b) => a.div(b).double().nanToNum({ nan: 1.5, posinf: 100, neginf: -7 }), py: 'torch.nan_to_num((a / b).double(), nan=1.5, posinf=100, neginf=-7)',
    samples: [s('ints', ints([4, 5], -2, 3), ints([4, 5], -1, 2))], dtypes: ['float32'], differentiable: false,
  },
  { name: 'nanToNum.grad', call: (a) => torch.nanToNum(a.log()), py: 'torch.nan_to_num(a.log())', samples: [s('matrix', f([3, 4], { range: [-1, 2] }))] },
  { name: 'nanToNum_', call: (a) => a.log().nanToNum_({ nan: 2 }), py: 'a.log().nan_to_num_(nan=2)', samples: [s('matrix', f([3, 4], { range: [-1, 2] }))] },
  {
    name: 'isclose', call: (a, b) => torch.isclose(a, b, { rtol: 0.5, atol: 0.1 }), py: 'torch.isclose(a, b, rtol=0.5, atol=0.1)',
    samples: [s('same', f([4, 5]), f([4, 5])), s('broadcast', f([4, 5], T), f([5])), s('ints', ints([5, 4], -3, 3), ints([5, 4], -3, 3))],
    differentiable: false,
    errors: [{ name: 'dtype', run: () => torch.isclose(torch.zeros(2), torch.zeros([2], { dtype: 'float64' })), match: /Float did not match Double/ }],
  },
  {
    name: 'isclose.nan', call: (a, b) => torch.isclose(a.log(), b.log(), { equalNan: true, rtol: 0, atol: 0.3 }), py: 'torch.isclose(a.log(), b.log(), equal_nan=True, rtol=0, atol=0.3)',
    samples: [s('same', f([4, 5], { range: [-1, 2] }), f([4, 5], { range: [-1, 2] }))], differentiable: false,
  },
  { name: 'isclose.exact', call: (a, b) => a.isclose(b, { rtol: 0, atol: 0 }), py: 'a.isclose(b, rtol=0, atol=0)', samples: [s('ints', ints([5, 4], -1, 1), ints([5, 4], -1, 1))], differentiable: false },
];

export const everydayInfos: OpInfo[] = [...scanSortInfos, ...rearrangeInfos, ...numericInfos];
