// test/opinfo/products.ts — entries for einsum, the addmm family, diagonals and windows (diagonal, diag, trace,
// unfold), norms, scatter and indexFill, meshgrid, kron and cross.
import * as torch from 'kindling';
import type { InputSpec, OpInfo, Sample } from './types.js';

const f = (shape: number[], extra: Partial<InputSpec> = {}): InputSpec => ({ shape, ...extra });
const s = (name: string, ...inputs: InputSpec[]): Sample => ({ name, inputs });
const T = { transposed: true };
const idx = (shape: number[], hi: number, lo = 0): InputSpec => ({ shape, kind: 'int64', range: [lo, hi], grad: false });
const long = (values: number[]) => torch.tensor(values, { dtype: 'int64' });

const einsum = (name: string, eq: string, ...samples: Sample[]): OpInfo => ({
  name: `einsum.${name}`, call: (...xs) => torch.einsum(eq, ...xs), py: `torch.einsum('${eq}', ${samples[0].inputs.map((_, i) => 'abcd'[i]).join(', ')})`, samples,
});

export const einsumInfos: OpInfo[] = [
  {
    ...einsum('matmul', 'ij,jk->ik', s('matrices', f([3, 4]), f([4, 5])), s('transposed', f([3, 4], T), f([4, 2]))),
    errors: [
      { name: 'sizes', run: () => torch.einsum('ij,jk', torch.zeros(2, 3), torch.zeros(4, 5)), match: /einsum\(\): subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3/ },
      { name: 'operands', run: () => torch.einsum('ij,jk->ik', torch.zeros(2, 3)), match: /einsum\(\): fewer operands were provided than specified in the equation/ },
      { name: 'rank', run: () => torch.einsum('ijk,jk->ik', torch.zeros(2, 3), torch.zeros(3, 3)), match: /einsum\(\): the number of subscripts in the equation \(3\) does not match the number of dimensions \(2\) for operand 0 and no ellipsis was given/ },
      { name: 'output', run: () => torch.einsum('ij->k', torch.zeros(2, 3)), match: /einsum\(\): output subscript k does not appear in the equation for any input operand/ },
    ],
  },
  einsum('implicit', 'ij,jk', s('matrices', f([2, 3]), f([3, 4]))),
  einsum('batch', 'bij,bjk->bik', s('batches', f([2, 3, 4]), f([2, 4, 2])), s('transposed', f([2, 4, 3], T), f([2, 3, 2]))),
  einsum('trace', 'ii', s('square', f([4, 4]))),
  einsum('diagonal', 'ii->i', s('square', f([3, 3], T))),
  einsum('outer', 'i,j->ij', s('vectors', f([3]), f([4]))),
  einsum('ellipsis', '...ij,...jk->...ik', s('broadcast', f([2, 3, 4]), f([4, 5])), s('batched', f([2, 2, 3]), f([2, 3, 2]))),
  einsum('three', 'ij,jk,kl->il', s('chain', f([2, 3]), f([3, 4]), f([4, 2]))),
  einsum('sum', 'ijk->', s('cube', f([2, 3, 2]))),
  einsum('permute_sum', 'ijk->kj', s('cube', f([2, 3, 4]))),
  einsum('bilinear', 'bn,anm,bm->ba', s('bilinear', f([3, 2]), f([4, 2, 3]), f([3, 3]))),
  einsum('broadcast_one', 'ij,ij->i', s('row', f([3, 4]), f([1, 4]))),
  einsum('repeated_batch', 'bii,bi->bi', s('cube', f([2, 3, 3]), f([2, 3]))),
];

export const addmmFamilyInfos: OpInfo[] = [
  {
    name: 'baddbmm', call: (a, b, c) => torch.baddbmm(a, b, c, { beta: 0.5, alpha: 2 }), py: 'torch.baddbmm(a, b, c, beta=0.5, alpha=2)',
    samples: [s('batches', f([2, 3, 5]), f([2, 3, 4]), f([2, 4, 5])), s('broadcast', f([5]), f([2, 3, 4], T), f([2, 4, 5]))],
    errors: [{ name: 'sizes', run: () => torch.baddbmm(torch.zeros(2, 3, 4), torch.zeros(2, 3, 5), torch.zeros(2, 4, 4)), match: /Expected size for first two dimensions of batch2 tensor to be: \[2, 5\] but got: \[2, 4\]/ }],
  },
  { name: 'baddbmm.method', call: (a, b, c) => a.baddbmm(b, c), py: 'a.baddbmm(b, c)', samples: [s('batches', f([2, 2, 3]), f([2, 2, 4]), f([2, 4, 3]))] },
  { name: 'addbmm', call: (a, b, c) => torch.addbmm(a, b, c, { alpha: 0.5 }), py: 'torch.addbmm(a, b, c, alpha=0.5)', samples: [s('batches', f([3, 5]), f([2, 3, 4]), f([2, 4, 5])), s('broadcast', f([1, 5]), f([3, 3, 2]), f([3, 2, 5], T))] },
  { name: 'addmv', call: (a, b, c) => torch.addmv(a, b, c, { beta: 2 }), py: 'torch.addmv(a, b, c, beta=2)', samples: [s('vector', f([3]), f([3, 4]), f([4])), s('transposed', f([]), f([3, 4], T), f([4]))] },
  { name: 'addmv_', call: (a, b, c) => a.clone().addmv_(b, c), py: 'a.clone().addmv_(b, c)', samples: [s('vector', f([3]), f([3, 4]), f([4]))] },
];

export const diagonalInfos: OpInfo[] = [
  {
    name: 'diagonal', call: (a) => a.diagonal(), py: 'a.diagonal()',
    samples: [s('wide', f([3, 4])), s('tall', f([5, 2], T)), s('empty', f([0, 3]))], dtypes: ['float32', 'float64', 'int64'],
    errors: [{ name: 'same dims', run: () => torch.diagonal(torch.zeros(2, 2), 0, 0, 0), match: /diagonal dimensions cannot be identical 0, 0/ }],
  },
  { name: 'diagonal.offset', call: (a) => torch.diagonal(a, 1), py: 'torch.diagonal(a, 1)', samples: [s('wide', f([3, 4])), s('past_the_end', f([2, 1]))] },
  { name: 'diagonal.negative', call: (a) => torch.diagonal(a, -1, 2, 0), py: 'torch.diagonal(a, -1, 2, 0)', samples: [s('cube', f([3, 2, 4]))] },
  {
    name: 'diag', call: (a) => torch.diag(a), py: 'torch.diag(a)', samples: [s('vector', f([3])), s('matrix', f([3, 4], T))], dtypes: ['float32', 'float64', 'int64'],
    errors: [{ name: 'rank', run: () => torch.diag(torch.zeros(2, 2, 2)), match: /matrix or a vector expected/ }],
  },
  { name: 'diag.above', call: (a) => a.diag(2), py: 'a.diag(2)', samples: [s('vector', f([3])), s('matrix', f([3, 4]))] },
  { name: 'diag.below', call: (a) => torch.diag(a, -1), py: 'torch.diag(a, -1)', samples: [s('vector', f([4])), s('matrix', f([3, 3]))] },
  {
    name: 'trace', call: (a) => torch.trace(a), py: 'torch.trace(a)', samples: [s('square', f([3, 3])), s('wide', f([2, 4], T))],
    errors: [{ name: 'rank', run: () => torch.trace(torch.zeros(3)), match: /trace: expected a matrix, but got tensor with dim 1/ }],
  },
  {
    name: 'unfold', call: (a) => a.unfold(0, 2, 1), py: 'a.unfold(0, 2, 1)', samples: [s('overlapping', f([5, 3])), s('transposed', f([4, 3], T)), s('vector', f([6]))],
    dtypes: ['float32', 'float64', 'int64'],
    errors: [
      { name: 'size', run: () => torch.zeros(3).unfold(0, 4, 1), match: /maximum size for tensor at dimension 0 is 3 but size is 4/ },
      { name: 'step', run: () => torch.zeros(3).unfold(0, 2, 0), match: /step is 0 but must be > 0/ },
    ],
  },
  { name: 'unfold.strided', call: (a) => a.unfold(-1, 2, 3), py: 'a.unfold(-1, 2, 3)', samples: [s('rows', f([2, 8])), s('transposed', f([3, 7], T))] },
  { name: 'unfold.scalar', call: (a) => a.unfold(0, 1, 1), py: 'a.unfold(0, 1, 1)', samples: [s('scalar', f([]))] },
];

export const normInfos: OpInfo[] = [
  {
    name: 'norm', call: (a) => torch.norm(a), py: 'torch.norm(a)', samples: [s('matrix', f([3, 4])), s('transposed', f([4, 3], T)), s('scalar', f([]))],
    errors: [{ name: 'integer', run: () => torch.norm(torch.ones([2], { dtype: 'int64' })), match: /Expected a floating point or complex tensor as input. Got Long/ }],
  },
  { name: 'norm.dim', call: (a) => a.norm(2, 1, true), py: 'a.norm(2, 1, True)', samples: [s('matrix', f([3, 4]))] },
  { name: 'norm.p1', call: (a) => torch.norm(a, 1, 0), py: 'torch.norm(a, 1, 0)', samples: [s('matrix', f([3, 4], T))] },
  { name: 'norm.p3', call: (a) => torch.norm(a, 3, [0, 1]), py: 'torch.norm(a, 3, [0, 1])', samples: [s('cube', f([2, 3, 2]))] },
  { name: 'norm.inf', call: (a) => torch.norm(a, Infinity, -1), py: "torch.norm(a, float('inf'), -1)", samples: [s('matrix', f([3, 4]))] },
  { name: 'vectorNorm', call: (a) => torch.linalg.vectorNorm(a), py: 'torch.linalg.vector_norm(a)', samples: [s('matrix', f([3, 4])), s('empty', f([0, 3]))] },
  { name: 'vectorNorm.ord', call: (a) => torch.linalg.vectorNorm(a, 0.5, [1]), py: 'torch.linalg.vector_norm(a, 0.5, [1])', samples: [s('matrix', f([3, 4]))] },
  { name: 'vectorNorm.zero', call: (a) => torch.linalg.vectorNorm(a, 0, 0, true), py: 'torch.linalg.vector_norm(a, 0, 0, True)', samples: [s('matrix', f([3, 4]))] },
  { name: 'vectorNorm.neginf', call: (a) => torch.linalg.vectorNorm(a, -Infinity), py: "torch.linalg.vector_norm(a, float('-inf'))", samples: [s('matrix', f([3, 4]))] },
  { name: 'vectorNorm.dtype', call: (a) => torch.linalg.vectorNorm(a, 2, null, false, { dtype: 'float64' }), py: 'torch.linalg.vector_norm(a, dtype=torch.float64)', samples: [s('matrix', f([3, 4]))], dtypes: ['float32'] },
  {
    name: 'matrixNorm', call: (a) => torch.linalg.matrixNorm(a), py: 'torch.linalg.matrix_norm(a)', samples: [s('matrix', f([3, 4])), s('batched', f([2, 3, 3]))],
    errors: [
      { name: 'rank', run: () => torch.linalg.matrixNorm(torch.zeros(3)), match: /linalg.matrix_norm: The input tensor A must have at least 2 dimensions./ },
      { name: 'order', run: () => torch.linalg.matrixNorm(torch.zeros(3, 3), 3), match: /linalg.matrix_norm: Order 3 not supported./ },
      { name: 'nuc', run: () => torch.linalg.matrixNorm(torch.zeros(3, 3), 'nuc'), match: /singular values/ },
    ],
  },
  { name: 'matrixNorm.inf', call: (a) => torch.linalg.matrixNorm(a, Infinity), py: "torch.linalg.matrix_norm(a, float('inf'))", samples: [s('matrix', f([3, 4])), s('batched', f([2, 3, 3], T))] },
  { name: 'matrixNorm.neginf', call: (a) => torch.linalg.matrixNorm(a, -Infinity, [0, 1], true), py: "torch.linalg.matrix_norm(a, float('-inf'), (0, 1), True)", samples: [s('matrix', f([3, 4]))] },
  { name: 'matrixNorm.one', call: (a) => torch.linalg.matrixNorm(a, 1), py: 'torch.linalg.matrix_norm(a, 1)', samples: [s('matrix', f([3, 4])), s('batched', f([2, 3, 3]))] },
  { name: 'matrixNorm.minusone', call: (a) => torch.linalg.matrixNorm(a, -1, [-1, -2]), py: 'torch.linalg.matrix_norm(a, -1, (-1, -2))', samples: [s('matrix', f([3, 4], T))] },
  { name: 'linalg.norm', call: (a) => torch.linalg.norm(a), py: 'torch.linalg.norm(a)', samples: [s('matrix', f([3, 4])), s('cube', f([2, 3, 2]))] },
  { name: 'linalg.norm.ord', call: (a) => torch.linalg.norm(a, 1), py: 'torch.linalg.norm(a, 1)', samples: [s('matrix', f([3, 4])), s('vector', f([5]))] },
  { name: 'linalg.norm.dim', call: (a) => torch.linalg.norm(a, 3, 1), py: 'torch.linalg.norm(a, 3, 1)', samples: [s('matrix', f([3, 4]))] },
];

export const scatterInfos: OpInfo[] = [
  {
    name: 'scatter', call: (a, b, c) => torch.scatter(a, 0, b, c), py: 'torch.scatter(a, 0, b, c)',
    samples: [s('rows', f([3, 4]), idx([2, 4], 3), f([2, 4])), s('transposed', f([3, 4], T), idx([3, 2], 3), f([3, 2], T))],
    dtypes: ['float32', 'float64', 'int64'],
    gradcheckMaxNumel: 0, // a source overwritten by a repeated index has numerical gradient 0; test/ops/everyday.test.ts checks unique ones
    errors: [
      { name: 'bounds', run: () => torch.zeros(3, 4).scatter(0, long([5]).reshape(1, 1), 1), match: /index 5 is out of bounds for dimension 0 with size 3/ },
      { name: 'reduce', run: () => torch.zeros(3, 4).scatter(0, long([1]).reshape(1, 1), torch.ones(1, 1), { reduce: 'foo' as 'add' }), match: /reduce argument must be either add or multiply./ },
      { name: 'dtype', run: () => torch.zeros(3, 4).scatter(0, long([1]).reshape(1, 1), torch.ones([1, 1], { dtype: 'float64' })), match: /Expected self.dtype to be equal to src.dtype/ },
    ],
  },
  { name: 'scatter.value', call: (a, b) => a.scatter(1, b, 2.5), py: 'a.scatter(1, b, 2.5)', samples: [s('rows', f([3, 4]), idx([3, 2], 4))] },
  { name: 'scatter.add', call: (a, b, c) => torch.scatter(a, 1, b, c, { reduce: 'add' }), py: "torch.scatter(a, 1, b, c, reduce='add')", samples: [s('rows', f([3, 4]), idx([3, 5], 4), f([3, 5]))], differentiable: false },
  { name: 'scatter.multiply', call: (a, b, c) => a.scatter(0, b, c, { reduce: 'multiply' }), py: "a.scatter(0, b, c, reduce='multiply')", samples: [s('rows', f([3, 4]), idx([4, 4], 3), f([4, 4]))], dtypes: ['float32', 'float64', 'int64'], differentiable: false },
  { name: 'scatter_', call: (a, b, c) => a.clone().scatter_(1, b, c), py: 'a.clone().scatter_(1, b, c)', samples: [s('rows', f([3, 4]), idx([3, 2], 4), f([3, 2]))], gradcheckMaxNumel: 0 },
  {
    name: 'indexFill', call: (a, b) => a.indexFill(1, b, -1.5), py: 'a.index_fill(1, b, -1.5)',
    samples: [s('columns', f([3, 4]), idx([3], 4, -4)), s('transposed', f([3, 4], T), idx([], 4))], dtypes: ['float32', 'float64', 'int64'],
    errors: [
      { name: 'dtype', run: () => torch.zeros(3).indexFill(0, torch.tensor([1], { dtype: 'int32' }), 1), match: /index_fill_\(\): Expected dtype int64 for index./ },
      { name: 'bounds', run: () => torch.zeros(3).indexFill(0, long([3]), 1), match: /index 3 is out of bounds for dimension 0 with size 3/ },
      { name: 'rank', run: () => torch.zeros(3, 4).indexFill(0, long([1]).reshape(1, 1), 1), match: /Index has to be a vector\/scalar/ },
    ],
  },
  { name: 'indexFill.tensor', call: (a, b, c) => torch.indexFill(a, 0, b, c), py: 'torch.index_fill(a, 0, b, c)', samples: [s('rows', f([4, 3]), idx([2], 4), f([]))] },
  { name: 'indexFill_', call: (a, b) => a.clone().indexFill_(0, b, 3), py: 'a.clone().index_fill_(0, b, 3)', samples: [s('rows', f([4, 3]), idx([2], 4))] },
];

export const gridInfos: OpInfo[] = [
  {
    name: 'meshgrid', call: (a, b) => torch.stack(torch.meshgrid(a, b, { indexing: 'ij' })), py: "torch.stack(torch.meshgrid(a, b, indexing='ij'))",
    samples: [s('vectors', f([3]), f([4])), s('scalar', f([]), f([2]))],
    errors: [{ name: 'rank', run: () => torch.meshgrid(torch.zeros(2, 2)), match: /Expected 0D or 1D tensor in the tensor list/ }],
  },
  { name: 'meshgrid.xy', call: (a, b, c) => torch.stack(torch.meshgrid([a, b, c], { indexing: 'xy' })), py: "torch.stack(torch.meshgrid([a, b, c], indexing='xy'))", samples: [s('vectors', f([3]), f([2]), f([2]))] },
  { name: 'kron', call: (a, b) => torch.kron(a, b), py: 'torch.kron(a, b)', samples: [s('matrices', f([2, 3]), f([2, 2])), s('ranks', f([3]), f([2, 2]))], dtypes: ['float32', 'float64', 'int64'] },
  {
    name: 'linalg.cross', call: (a, b) => torch.linalg.cross(a, b), py: 'torch.linalg.cross(a, b)', samples: [s('rows', f([4, 3]), f([4, 3])), s('broadcast', f([1, 3]), f([2, 3]))],
    errors: [
      { name: 'length', run: () => torch.linalg.cross(torch.zeros(2, 3), torch.zeros(2, 2)), match: /linalg.cross: inputs dimension -1 must have length 3. Got 3 and 2/ },
      { name: 'ranks', run: () => torch.linalg.cross(torch.zeros(2, 3), torch.zeros(3)), match: /linalg.cross: inputs must have the same number of dimensions./ },
    ],
  },
  {
    name: 'cross', call: (a, b) => torch.cross(a, b), py: 'torch.cross(a, b)', samples: [s('columns', f([3, 4]), f([3, 4], T))],
    errors: [{ name: 'no 3', run: () => torch.cross(torch.zeros(2, 2), torch.zeros(2, 2)), match: /no dimension of size 3 in input/ }],
  },
  { name: 'cross.dim', call: (a, b) => a.cross(b, 1), py: 'a.cross(b, 1)', samples: [s('rows', f([2, 3, 2]), f([2, 3, 2]))] },
];

export const productInfos: OpInfo[] = [...einsumInfos, ...addmmFamilyInfos, ...diagonalInfos, ...normInfos, ...scatterInfos, ...gridInfos];
