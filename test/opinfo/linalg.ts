// test/opinfo/linalg.ts — entries for matrix products: mm, mv, bmm, dot, matmul, addmm, outer.
import * as torch from 'kindling';
import type { InputSpec, OpInfo, Sample } from './types.js';

const f = (shape: number[], extra: Partial<InputSpec> = {}): InputSpec => ({ shape, ...extra });
const s = (name: string, ...inputs: InputSpec[]): Sample => ({ name, inputs });
const T = { transposed: true };
// Products sum k terms: float32 results differ from PyTorch's by a few ulps of the terms.
const tol = { atol: 1e-5, rtol: 1e-5 };

const mmSamples: Sample[] = [
  s('contiguous', f([3, 4]), f([4, 5])),
  s('transposed_a', f([3, 4], T), f([4, 5])),
  s('transposed_b', f([3, 4]), f([4, 5], T)),
  s('transposed_both', f([2, 3], T), f([3, 2], T)),
  s('row_times_wide', f([1, 7]), f([7, 17])),
  s('column_times_row', f([17, 1]), f([1, 7])),
  s('empty_k', f([3, 0]), f([0, 4])),
  s('empty_m', f([0, 3]), f([3, 4])),
];

const matmulSamples: Sample[] = [
  s('1d_1d', f([7]), f([7])),
  s('2d_1d', f([3, 4]), f([4])),
  s('1d_2d', f([4]), f([4, 3])),
  s('2d_2d', f([3, 4]), f([4, 2])),
  s('3d_2d', f([2, 3, 4]), f([4, 2])),
  s('3d_transposed_2d', f([2, 3, 4], T), f([4, 2])),
  s('3d_1d', f([2, 3, 4]), f([4])),
  s('1d_3d', f([4]), f([2, 4, 3])),
  s('2d_3d', f([3, 4]), f([2, 4, 2])),
  s('3d_3d', f([2, 3, 4]), f([2, 4, 2], T)),
  s('batch_broadcast', f([2, 1, 2, 3]), f([3, 3, 2])),
  s('batch_one', f([1, 2, 3]), f([4, 3, 2])),
  s('empty_k', f([2, 3, 0]), f([0, 4])),
  s('empty_batch_k', f([2, 3, 0]), f([2, 0, 4])),
  s('empty_m', f([2, 0, 3]), f([3, 4])),
];

const linalgErrors = {
  mm: [
    { name: 'shapes', run: () => torch.mm(torch.zeros(523, 10), torch.zeros(4, 11)), match: /^mm: mat1 and mat2 shapes cannot be multiplied \(523x10 and 4x11\)$/ },
    { name: 'dtypes', run: () => torch.mm(torch.zeros(2, 3), torch.zeros([3, 4], { dtype: 'float64' })), match: /expected scalar type Float but found Double/ },
    { name: 'not a matrix', run: () => torch.mm(torch.zeros(2, 3), torch.zeros(3)), match: /mat2 must be a matrix/ },
    { name: 'bool', run: () => torch.mm(torch.zeros([2, 2], { dtype: 'bool' }), torch.zeros([2, 2], { dtype: 'bool' })), match: /not implemented for 'Bool'/ },
  ],
  matmul: [
    { name: '0-d', run: () => torch.matmul(torch.zeros(), torch.zeros(3)), match: /at least 1D, but they are 0D and 1D/ },
    { name: 'folded shapes', run: () => torch.matmul(torch.zeros(5, 2, 3), torch.zeros(4, 5)), match: /mat1 and mat2 shapes cannot be multiplied \(10x3 and 4x5\)/ },
    { name: 'batch k', run: () => torch.matmul(torch.zeros(5, 2, 3), torch.zeros(5, 4, 5)), match: /Expected size for first two dimensions of batch2 tensor to be: \[5, 3\] but got: \[5, 4\]/ },
    { name: 'batch broadcast', run: () => torch.matmul(torch.zeros(5, 2, 3), torch.zeros(4, 3, 5)), match: /size of tensor a \(5\) must match the size of tensor b \(4\) at non-singleton dimension 0/ },
    { name: 'dot sizes', run: () => torch.matmul(torch.zeros(3), torch.zeros(4)), match: /inconsistent tensor size, expected tensor \[3\] and src \[4\]/ },
    { name: 'dtypes', run: () => torch.matmul(torch.zeros(5, 2, 3), torch.zeros([3, 5], { dtype: 'float64' })), match: /expected scalar type Float but found Double/ },
  ],
};

export const linalgInfos: OpInfo[] = [
  { name: 'mm', call: (a, b) => a.mm(b), py: 'torch.mm(a, b)', samples: mmSamples, dtypes: ['float32', 'float64', 'int64'], ...tol, errors: linalgErrors.mm },
  {
    name: 'mv', call: (a, b) => a.mv(b), py: 'torch.mv(a, b)', ...tol,
    samples: [s('contiguous', f([3, 4]), f([4])), s('transposed', f([3, 4], T), f([4])), s('odd', f([17, 1]), f([1])), s('empty_k', f([3, 0]), f([0])), s('empty_m', f([0, 3]), f([3]))],
    errors: [
      { name: 'sizes', run: () => torch.mv(torch.zeros(2, 3), torch.zeros(4)), match: /size mismatch, got 2, 2x3,4/ },
      { name: 'ranks', run: () => torch.mv(torch.zeros(2, 3), torch.zeros(3, 1)), match: /vector \+ matrix @ vector expected, got 1, 2, 2/ },
    ],
  },
  {
    name: 'dot', call: (a, b) => a.dot(b), py: 'torch.dot(a, b)', ...tol, dtypes: ['float32', 'float64', 'int64'],
    samples: [s('vectors', f([7]), f([7])), s('one', f([1]), f([1])), s('empty', f([0]), f([0]))],
    errors: [
      { name: 'dtypes', run: () => torch.dot(torch.zeros(2), torch.zeros([2], { dtype: 'float64' })), match: /expected both vectors to have same dtype, but found Float and Double/ },
      { name: 'ranks', run: () => torch.dot(torch.zeros(2, 1), torch.zeros(2)), match: /1D tensors expected, but got 2D and 1D tensors/ },
    ],
  },
  {
    name: 'bmm', call: (a, b) => a.bmm(b), py: 'torch.bmm(a, b)', ...tol,
    samples: [s('contiguous', f([2, 3, 4]), f([2, 4, 5])), s('transposed', f([2, 4, 3], T), f([2, 3, 2], T)), s('empty_k', f([2, 3, 0]), f([2, 0, 1]))],
    errors: [
      { name: 'batch', run: () => torch.bmm(torch.zeros(2, 2, 3), torch.zeros(3, 3, 4)), match: /Expected size for first two dimensions of batch2 tensor to be: \[2, 3\] but got: \[3, 3\]/ },
      { name: 'rank', run: () => torch.bmm(torch.zeros(2, 3), torch.zeros(2, 3, 4)), match: /batch1 must be a 3D tensor/ },
    ],
  },
  { name: 'matmul', call: (a, b) => a.matmul(b), py: 'torch.matmul(a, b)', samples: matmulSamples, dtypes: ['float32', 'float64', 'int64'], ...tol, errors: linalgErrors.matmul },
  {
    // A linear layer's product: the weight enters as a transposed view.
    name: 'matmul.linear', call: (a, b) => torch.matmul(a, b.t()), py: 'torch.matmul(a, b.t())', ...tol,
    samples: [s('2d', f([5, 3]), f([4, 3])), s('3d', f([2, 3, 3]), f([4, 3]))],
  },
  {
    name: 'addmm', call: (a, b, c) => torch.addmm(a, b, c), py: 'torch.addmm(a, b, c)', ...tol,
    samples: [
      s('full', f([3, 5]), f([3, 4]), f([4, 5])), s('row', f([5]), f([3, 4]), f([4, 5])), s('column', f([3, 1]), f([3, 4], T), f([4, 5])),
      s('scalar', f([]), f([3, 4]), f([4, 5], T)), s('empty_k', f([2, 3]), f([2, 0]), f([0, 3])),
    ],
    errors: [
      { name: 'input shape', run: () => torch.addmm(torch.zeros(3, 4), torch.zeros(2, 3), torch.zeros(3, 4)), match: /expanded size of the tensor \(2\) must match the existing size \(3\) at non-singleton dimension 0/ },
      { name: 'input dtype', run: () => torch.addmm(torch.zeros([2, 4], { dtype: 'float64' }), torch.zeros(2, 3), torch.zeros(3, 4)), match: /self and mat2 must have the same dtype/ },
      { name: 'shapes', run: () => torch.addmm(torch.zeros(2, 4), torch.zeros(2, 3), torch.zeros(4, 5)), match: /mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)/ },
    ],
  },
  {
    name: 'addmm.scaled', call: (a, b, c) => a.addmm(b, c, { beta: 0.5, alpha: -2 }), py: 'a.addmm(b, c, beta=0.5, alpha=-2)', ...tol,
    samples: [s('full', f([3, 5]), f([3, 4]), f([4, 5])), s('row', f([5]), f([3, 4]), f([4, 5]))],
  },
  {
    name: 'addmm.beta0', call: (a, b, c) => torch.addmm(a, b, c, { beta: 0 }), py: 'torch.addmm(a, b, c, beta=0)', ...tol,
    samples: [s('full', f([3, 5]), f([3, 4]), f([4, 5]))],
  },
  {
    name: 'outer', call: (a, b) => torch.outer(a, b), py: 'torch.outer(a, b)',
    samples: [s('vectors', f([3]), f([4])), s('promote', f([3]), f([2], { kind: 'int64', range: [-3, 3] })), s('empty', f([0]), f([3]))],
    errors: [{ name: 'rank', run: () => torch.outer(torch.zeros(2, 1), torch.zeros(3)), match: /Expected 1-D argument self, but got 2-D/ }],
  },
];
